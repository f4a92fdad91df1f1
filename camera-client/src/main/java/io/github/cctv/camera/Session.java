package io.github.cctv.camera;

import io.github.cctv.protocol.wire.Codec;
import io.github.cctv.protocol.wire.Message;
import io.github.cctv.protocol.wire.ProtocolException;
import io.github.cctv.protocol.wire.Wire;
import io.github.cctv.protocol.wire.WireDecoder;
import io.github.cctv.protocol.wire.WireEncoder;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.GatheringByteChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;
import javax.net.ssl.SSLException;
import tlschannel.ClientTlsChannel;
import tlschannel.NeedsReadException;
import tlschannel.NeedsWriteException;
import tlschannel.TlsChannel;

/**
 * One camera's connection to the server, driven by {@link StreamLoop}'s single thread: the socket and the
 * decoder here, the protocol's states in {@link ProtocolState}, the bytes on their way in
 * {@link OutboundBuffer}, the slots of a paced source in {@link FramePacer}. Never blocks.
 *
 * <p>At most one frame is in the outbound buffer at a time. A live source's frames wait in its own
 * bounded queue meanwhile, so every one of them is sent while the network keeps up; a paced source's slot
 * that comes while a frame is still being written is skipped before the frame is made, and counted.
 * An H.264 stream that lost a frame (too large for the server) resumes at the next key frame, and every
 * new connection starts with one.
 */
final class Session {

    /** One stream of the session (the main one, or the substream) and what sending it needs. */
    private static final class Track {
        final FrameSource source;
        final boolean substream;
        final FramePacer pacer;
        long seq;
        long frameNumber;
        boolean awaitingKey;
        boolean keyAfterLoss;
        /** A connection of this run has been accepted before: the next one is a reconnect. */
        boolean opened;
        /** A live track's next frame goes out no sooner than this (System.nanoTime): a backlog drains at a bounded rate. */
        long nextLiveSend;
        final long liveSpacingNanos;
        /** The last drain held this live track back: the loop wakes at {@link #nextLiveSend}. */
        boolean held;

        Track(FrameSource source, boolean substream, StreamFormat format) {
            this.source = source;
            this.substream = substream;
            this.pacer = new FramePacer((long) (1_000_000_000L / format.fps())); // a file plays at its own rate
            this.liveSpacingNanos = (long) (1_000_000_000L / (format.fps() * CATCH_UP));
        }
    }

    /**
     * A live source's queue (what it read before the accept, or while the connection was down) drains at up to this
     * many times the camera's rate, so that many cameras starting at once do not flood the server with their backlogs.
     */
    static final double CATCH_UP = 2.0;

    /** First bytes of a TLS record (alert, handshake): no message of the protocol starts with them. */
    private static final byte TLS_ALERT = 0x15;
    private static final byte TLS_HANDSHAKE = 0x16;

    private final StreamConfig config;
    private final FrameSource source;
    private final StreamListener listener;
    private final Clock clock;
    private final ProtocolState protocol;
    private final OutboundBuffer out = new OutboundBuffer();
    private final Track main;
    /** The substream, or null when the camera sends none. */
    private final Track sub;
    final SessionStats stats = new SessionStats();

    private SocketChannel channel;
    /** The TLS layer over {@link #channel}, or null on plain TCP. */
    private TlsChannel tlsChannel;
    /** What the protocol writes to and reads from: the socket, or the TLS layer over it. */
    private GatheringByteChannel ioOut;
    private ReadableByteChannel ioIn;
    /** The TLS handshake is under way: nothing of the protocol, not even the hello, is sent before it completes. */
    private boolean tlsHandshaking;
    /** TLS: a write waits for bytes from the server first; a read waits for room to write. */
    private boolean writeNeedsRead;
    private boolean readNeedsWrite;
    private SelectionKey key;
    private WireDecoder decoder;
    private final ByteBuffer readBuffer = ByteBuffer.allocate(16 * 1024);

    private boolean goodbyeQueued;
    private long lastSentAt;
    private boolean warnedTooLarge;
    /** The server speaks only version 1: the substream is not sent. */
    private boolean substreamRefused;

    Session(StreamConfig config, FrameSource source, StreamListener listener, Clock clock) {
        this(config, source, null, listener, clock);
    }

    /**
     * A session that also sends {@code substream} (null for none) on the same connection: its hello is then version
     * {@link Wire#VERSION_SUBSTREAMS}, and the substream's frames carry their own sequence and the substream flag.
     */
    Session(StreamConfig config, FrameSource source, FrameSource substream, StreamListener listener, Clock clock) {
        this.config = config;
        this.source = source;
        this.listener = listener;
        this.clock = clock;
        this.protocol = new ProtocolState(config,
                new Backoff(config.initialBackoff(), config.maxBackoff(), () -> ThreadLocalRandom.current().nextDouble()),
                listener, stats);
        this.main = new Track(source, false, format());
        if (substream != null && substream.format() == null) {
            throw new IllegalArgumentException("a substream source must state its format");
        }
        this.sub = substream == null ? null : new Track(substream, true, substream.format());
        protocol.onUnsupportedVersion(() -> {
            if (sub == null || substreamRefused) {
                return false;
            }
            substreamRefused = true;
            Log.warn(config.cameraId(), "the server speaks only protocol version 1, which carries no substream: "
                    + "streaming without it");
            return true;
        });
    }

    /** The substream's format, or null. */
    StreamFormat substreamFormat() {
        return sub == null || substreamRefused ? null : sub.source.format();
    }

    private java.util.List<Track> tracks() {
        return sub == null || substreamRefused ? java.util.List.of(main) : java.util.List.of(main, sub);
    }

    String cameraId() {
        return config.cameraId();
    }

    ProtocolState.State state() {
        return protocol.state();
    }

    Outcome outcome() {
        return protocol.outcome();
    }

    Message.Reject fatalReject() {
        return protocol.fatalReject();
    }

    boolean done() {
        return protocol.state() == ProtocolState.State.DONE;
    }

    /** Frames dropped so far: skipped slots, frames too large, and those the source's queue dropped. */
    long droppedFrames() {
        return stats.dropped + source.droppedFrames() + (sub == null || substreamRefused ? 0 : sub.source.droppedFrames());
    }

    /** What the hello announces: the source's own format, or JPEG of the configured size and rate. */
    StreamFormat format() {
        StreamFormat f = source.format();
        return f != null ? f : new StreamFormat(Codec.JPEG, config.width(), config.height(), config.fps());
    }

    /** Starts with a connection attempt at {@code now}. */
    void begin(long now) {
        protocol.begin(now);
    }

    /** The earliest time this session needs the loop to call {@link #onTimers} again. */
    long nextWakeup() {
        long t = protocol.nextDeadline();
        if (protocol.state() == ProtocolState.State.STREAMING) {
            for (Track track : tracks()) {
                if (!track.source.live()) {
                    t = Math.min(t, track.pacer.nextSlot());
                } else if (track.held) {
                    t = Math.min(t, track.nextLiveSend);
                }
            }
            if (out.isEmpty()) {
                t = Math.min(t, lastSentAt + protocol.heartbeatNanos());
            }
        }
        return t;
    }

    /** Ends the stream: a goodbye after the frame in flight when streaming, otherwise at once. */
    void stop(Selector selector, long now) {
        protocol.stop(now);
        afterStateChange();
        onTimers(selector, now);
    }

    /** Gives up on a goodbye that could not be written in time. */
    void abort() {
        protocol.abort();
        afterStateChange();
    }

    void onTimers(Selector selector, long now) {
        protocol.checkDeadlines(now);
        afterStateChange();
        switch (protocol.state()) {
            case BACKOFF -> {
                if (protocol.connectDue(now)) {
                    connect(selector, now);
                }
            }
            case STREAMING -> streaming(now);
            case CLOSING -> closing(now);
            default -> {
            }
        }
    }

    /** Called by the loop when the selector reports the channel ready. */
    void onReady(long now) {
        if (key == null || !key.isValid()) {
            return;
        }
        try {
            if (protocol.state() == ProtocolState.State.CONNECTING && key.isConnectable()) {
                channel.finishConnect();
                connected(now);
                return;
            }
            if (tlsHandshaking) {
                tlsHandshake(now);
                return;
            }
            if (key.isValid() && key.isWritable()) {
                if (readNeedsWrite) {
                    read(now);
                }
                flush(now);
                drainLive(now);
            }
            if (key != null && key.isValid() && key.isReadable()) {
                read(now);
                if (writeNeedsRead) {
                    flush(now);
                    drainLive(now);
                }
            }
        } catch (IOException | RuntimeException e) {
            fail(now, describe(e));
        }
    }

    private void streaming(long now) {
        for (Track track : tracks()) {
            if (!track.source.live() && track.pacer.due(now)) {
                slot(track, now);
                stats.dropped += track.pacer.advance(now);
            }
        }
        drainLive(now);
        if (protocol.state() == ProtocolState.State.STREAMING && out.isEmpty()
                && now - lastSentAt >= protocol.heartbeatNanos()) {
            out.add(WireEncoder.encode(new Message.Heartbeat(epochMicros())));
            stats.heartbeats++;
            lastSentAt = now;
            flush(now);
        }
    }

    /** A paced slot: make and send a frame, unless the previous one is still on its way. */
    private void slot(Track track, long now) {
        if (out.hasFrame()) {
            stats.dropped++; // never queue a second frame behind one the network has not taken yet
            return;
        }
        SourceFrame frame = poll(track);
        if (frame != null) {
            send(track, frame, now);
        }
    }

    /**
     * Sends what the live sources have ready, one frame at a time as the socket takes them; the main stream first,
     * the substream when the main one has nothing waiting.
     */
    private void drainLive(long now) {
        boolean more = true;
        while (more && protocol.state() == ProtocolState.State.STREAMING && !out.hasFrame()) {
            more = false;
            for (Track track : tracks()) {
                if (!track.source.live() || protocol.state() != ProtocolState.State.STREAMING || out.hasFrame()) {
                    continue;
                }
                track.held = now - track.nextLiveSend < 0;
                if (track.held) {
                    continue; // draining a backlog: at most CATCH_UP times the camera's rate
                }
                SourceFrame frame = poll(track);
                if (frame != null) {
                    // a few frames may go at once (a camera's own burst), then the spacing holds
                    track.nextLiveSend = Math.max(track.nextLiveSend, now - 4 * track.liveSpacingNanos)
                            + track.liveSpacingNanos;
                    send(track, frame, now);
                    more = true;
                    break;
                }
            }
        }
    }

    private SourceFrame poll(Track track) {
        try {
            SourceFrame f = track.source.poll(track.frameNumber + 1, epochMicros());
            if (f != null) {
                track.frameNumber++;
            }
            return f;
        } catch (RuntimeException e) {
            stats.sourceErrors++;
            Log.warn(config.cameraId(), (track.substream ? "substream " : "") + "frame source failed: " + e);
            return null;
        }
    }

    private void send(Track track, SourceFrame frame, long now) {
        if (track.awaitingKey && !frame.keyFrame()) {
            if (track.keyAfterLoss) {
                stats.dropped++; // an H.264 frame whose reference was lost: useless until the next key frame
            }
            return;
        }
        int max = protocol.accept().maxFrameBytes();
        if (frame.data().length > max) {
            stats.dropped++;
            if (!warnedTooLarge) {
                warnedTooLarge = true;
                Log.warn(config.cameraId(), "frame of " + frame.data().length + " bytes exceeds the server's limit of "
                        + max + " bytes: dropped (lower --quality, --bitrate or the size)");
            }
            track.awaitingKey = true;
            track.keyAfterLoss = true;
            track.source.startAtKeyFrame();
            return;
        }
        track.awaitingKey = false;
        track.keyAfterLoss = false;
        track.seq++;
        out.addFrame(track.seq, frame, track.substream);
        lastSentAt = now;
        flush(now);
    }

    private void closing(long now) {
        if (!goodbyeQueued && !out.hasFrame()) {
            goodbyeQueued = true;
            out.add(WireEncoder.encode(new Message.Goodbye()));
            flush(now);
        }
        if (goodbyeQueued && out.isEmpty() && protocol.state() == ProtocolState.State.CLOSING) {
            closeChannel();
            protocol.goodbyeWritten();
        }
    }

    private void connect(Selector selector, long now) {
        try {
            channel = SocketChannel.open();
            channel.configureBlocking(false);
            channel.socket().setTcpNoDelay(true);
            decoder = WireDecoder.forCamera();
            ioOut = channel;
            ioIn = channel;
            readBuffer.clear();
            out.clear();
            goodbyeQueued = false;
            InetSocketAddress address = new InetSocketAddress(config.host(), config.port());
            if (address.isUnresolved()) {
                throw new UnknownHostException("unknown host " + config.host());
            }
            protocol.connecting(now);
            if (channel.connect(address)) {
                key = channel.register(selector, 0, this);
                connected(now);
            } else {
                key = channel.register(selector, SelectionKey.OP_CONNECT, this);
            }
        } catch (IOException | RuntimeException e) {
            fail(now, describe(e));
        }
    }

    private void connected(long now) {
        protocol.connected(now);
        key.interestOps(SelectionKey.OP_READ);
        if (config.tls().enabled()) {
            // the server's certificate is checked in the handshake; the hello (and its token) only follows a success
            tlsChannel = ClientTlsChannel.newBuilder(channel, config.tls().engine(config.host(), config.port())).build();
            ioOut = tlsChannel;
            ioIn = tlsChannel;
            tlsHandshaking = true;
            tlsHandshake(now);
            return;
        }
        sendHello(now);
    }

    /** Takes the TLS handshake as far as the socket allows; sends the hello once it is complete. */
    private void tlsHandshake(long now) {
        try {
            tlsChannel.handshake();
        } catch (NeedsReadException e) {
            key.interestOps(SelectionKey.OP_READ);
            return;
        } catch (NeedsWriteException e) {
            key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
            return;
        } catch (IOException | RuntimeException e) {
            fail(now, describe(e));
            return;
        }
        tlsHandshaking = false;
        key.interestOps(SelectionKey.OP_READ);
        sendHello(now);
    }

    private void sendHello(long now) {
        StreamFormat f = format();
        StreamFormat sf = substreamFormat();
        // without a substream the hello stays version 1, which every server takes
        Message.Substream substream = sf == null ? null
                : new Message.Substream(sf.codec(), sf.width(), sf.height(), (int) Math.round(sf.fps() * 1000));
        out.add(WireEncoder.encode(new Message.Hello(substream == null ? Wire.VERSION : Wire.VERSION_SUBSTREAMS,
                config.cameraId(), config.displayName(), config.token(),
                f.codec(), f.width(), f.height(), (int) Math.round(f.fps() * 1000), substream)));
        lastSentAt = now;
        flush(now);
    }

    private void read(long now) throws IOException {
        while (channel != null && protocol.wantsConnection()) {
            readBuffer.clear();
            int n;
            try {
                n = ioIn.read(readBuffer);
                readNeedsWrite = false;
            } catch (NeedsReadException e) {
                readNeedsWrite = false;
                return; // TLS: nothing more to decrypt for now
            } catch (NeedsWriteException e) {
                readNeedsWrite = true;
                updateWriteInterest();
                return;
            }
            if (n < 0) {
                fail(now, protocol.state() != ProtocolState.State.HANDSHAKING ? "server closed the connection"
                        : "server closed the connection before accepting" + (config.tls().enabled() ? ""
                        : " (if its camera port speaks TLS, as ingest's does by default: give --tls, --ca FILE or --pin)"));
                return;
            }
            if (n == 0) {
                return;
            }
            readBuffer.flip();
            if (!config.tls().enabled() && protocol.state() == ProtocolState.State.HANDSHAKING
                    && (readBuffer.get(0) == TLS_ALERT || readBuffer.get(0) == TLS_HANDSHAKE)) {
                fail(now, "the server answered in TLS (" + config.host() + ":" + config.port() + " is a TLS port, as "
                        + "ingest's camera port is by default): give --tls, --ca FILE or --pin");
                return;
            }
            protocol.received(now);
            try {
                decoder.feed(readBuffer, m -> onMessage(m, now));
            } catch (ProtocolException e) {
                fail(now, "protocol error from the server: " + e.getMessage());
                return;
            }
        }
    }

    private void onMessage(Message m, long now) {
        ProtocolState.State before = protocol.state();
        protocol.onMessage(m, now);
        if (before == ProtocolState.State.HANDSHAKING && protocol.state() != ProtocolState.State.HANDSHAKING
                && protocol.wantsConnection()) {
            opened(now);
        }
        afterStateChange();
    }

    /**
     * The server accepted: frames start, each connection with a key frame. A live source's queue is sent from its
     * oldest key frame, so the frames read before the accept (the source opening, a slow server) are not lost.
     */
    private void opened(long now) {
        for (Track track : tracks()) {
            track.seq = 0;
            track.awaitingKey = true; // a receiver can only start at a key frame: skip to one (not a loss)
            track.keyAfterLoss = false;
            track.source.startConnection(!track.opened);
            track.opened = true;
            track.nextLiveSend = now;
            track.held = false;
            if (!track.source.live()) {
                track.pacer.start(now);
            }
        }
    }

    private void flush(long now) {
        if (channel == null || tlsHandshaking) {
            return;
        }
        try {
            stats.bytes += out.writeTo(ioOut, sent -> frameSent(sent, now));
            writeNeedsRead = false;
        } catch (NeedsReadException e) {
            writeNeedsRead = true; // TLS: the write goes on when the server has sent what it waits for
        } catch (NeedsWriteException e) {
            writeNeedsRead = false;
        } catch (IOException e) {
            fail(now, describe(e));
            return;
        }
        updateWriteInterest();
        if (protocol.state() == ProtocolState.State.CLOSING) {
            closing(now); // the frame in flight is out: the goodbye may follow, or it is out too
        }
    }

    /** Wakes for writing while bytes wait and the socket, not the server, holds them back. */
    private void updateWriteInterest() {
        if (key != null && key.isValid()) {
            boolean write = (!out.isEmpty() && !writeNeedsRead) || readNeedsWrite;
            key.interestOps(write ? key.interestOps() | SelectionKey.OP_WRITE : key.interestOps() & ~SelectionKey.OP_WRITE);
        }
    }

    private void frameSent(OutboundBuffer.Sent sent, long now) {
        if (sent.substream()) {
            stats.substreamFrames++;
            listener.onSubstreamFrameSent(sent.seq(), sent.frame().captureMicros(), sent.frame().data());
            return;
        }
        stats.frames++;
        listener.onFrameSent(sent.seq(), sent.frame().captureMicros(), sent.frame().data());
        if (config.frameLimit() > 0 && stats.frames >= config.frameLimit()) {
            protocol.complete(now);
        }
    }

    private void fail(long now, String reason) {
        protocol.failed(now, reason);
        afterStateChange();
    }

    /** Keeps the socket and the pacer in step with the protocol's state. */
    private void afterStateChange() {
        if (!protocol.wantsConnection()) {
            closeChannel();
        }
        if (protocol.state() != ProtocolState.State.STREAMING) {
            for (Track track : tracks()) {
                track.pacer.stop();
            }
        }
    }

    private void closeChannel() {
        out.clear();
        if (key != null) {
            key.cancel();
            key = null;
        }
        tlsHandshaking = false;
        writeNeedsRead = false;
        readNeedsWrite = false;
        ioOut = null;
        ioIn = null;
        if (tlsChannel != null) {
            try {
                tlsChannel.close(); // a close_notify if the socket takes it; the goodbye already said it all
            } catch (IOException | RuntimeException ignored) {
                // the socket is closed below either way
            }
            tlsChannel = null;
        }
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // nothing left to do with a socket that fails to close
            }
            channel = null;
        }
    }

    private long epochMicros() {
        Instant now = clock.instant();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
    }

    private String describe(Exception e) {
        String where = config.host() + ":" + config.port();
        if (e instanceof SSLException) {
            return tlsProblem(e, where);
        }
        if (tlsHandshaking && (e instanceof java.nio.channels.ClosedChannelException || e instanceof java.io.EOFException)) {
            return "the server at " + where + " closed the connection during the TLS handshake (a plain TCP port? "
                    + "then drop --tls, --ca and --pin)";
        }
        if (e instanceof ConnectException) {
            return "connection refused by " + where;
        }
        if (e instanceof UnknownHostException) {
            return "unknown host " + config.host();
        }
        if (e instanceof NoRouteToHostException) {
            return "no route to " + where;
        }
        String msg = e.getMessage();
        return (msg == null ? e.getClass().getSimpleName() : msg) + " (" + where + ")";
    }

    /** Why a TLS handshake failed, in words that say what to do. */
    private String tlsProblem(Exception e, String where) {
        StringBuilder all = new StringBuilder();
        String last = null;
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t.getMessage() != null) {
                all.append(t.getMessage()).append(' ');
                last = t.getMessage();
            }
        }
        String text = all.toString();
        String detail = last == null ? e.getClass().getSimpleName() : last;
        if (text.contains("does not match --pin")) {
            return "TLS: refused the server at " + where + ": " + detail + "; the hello and token were not sent";
        }
        if (text.contains("PKIX path") || text.contains("certification path")) {
            return "TLS: refused the server at " + where + ": its certificate is not trusted (" + detail
                    + "); give --ca FILE (its CA, or its own certificate) or --pin sha256:<fingerprint>; the hello and "
                    + "token were not sent";
        }
        if (text.contains("No subject alternative") || text.contains("No name matching")) {
            return "TLS: refused the server at " + where + ": its certificate is not for " + config.host() + " ("
                    + detail + "); the hello and token were not sent";
        }
        if (text.contains("Unsupported or unrecognized SSL message") || text.contains("plaintext")) {
            return "TLS handshake with " + where + " failed: the server does not answer in TLS (a plain TCP port? "
                    + "then drop --tls, --ca and --pin)";
        }
        return (tlsHandshaking ? "TLS handshake with " : "TLS connection to ") + where + " failed: " + detail;
    }
}
