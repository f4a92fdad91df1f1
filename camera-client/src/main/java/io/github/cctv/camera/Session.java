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
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;

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

    private final StreamConfig config;
    private final FrameSource source;
    private final StreamListener listener;
    private final Clock clock;
    private final ProtocolState protocol;
    private final OutboundBuffer out = new OutboundBuffer();
    private final FramePacer pacer;
    final SessionStats stats = new SessionStats();

    private SocketChannel channel;
    private SelectionKey key;
    private WireDecoder decoder;
    private final ByteBuffer readBuffer = ByteBuffer.allocate(16 * 1024);

    private boolean goodbyeQueued;
    private long lastSentAt;
    private long seq;
    private long frameNumber;
    private boolean awaitingKey;
    private boolean keyAfterLoss;
    private boolean warnedTooLarge;

    Session(StreamConfig config, FrameSource source, StreamListener listener, Clock clock) {
        this.config = config;
        this.source = source;
        this.listener = listener;
        this.clock = clock;
        this.protocol = new ProtocolState(config,
                new Backoff(config.initialBackoff(), config.maxBackoff(), () -> ThreadLocalRandom.current().nextDouble()),
                listener, stats);
        this.pacer = new FramePacer((long) (1_000_000_000L / format().fps())); // a file plays at its own rate
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
        return stats.dropped + source.droppedFrames();
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
            if (!source.live()) {
                t = Math.min(t, pacer.nextSlot());
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
            if (key.isValid() && key.isWritable()) {
                flush(now);
                if (protocol.state() == ProtocolState.State.STREAMING && source.live()) {
                    drainLive(now);
                }
            }
            if (key != null && key.isValid() && key.isReadable()) {
                read(now);
            }
        } catch (IOException | RuntimeException e) {
            fail(now, describe(e));
        }
    }

    private void streaming(long now) {
        if (source.live()) {
            drainLive(now);
        } else if (pacer.due(now)) {
            slot(now);
            stats.dropped += pacer.advance(now);
        }
        if (protocol.state() == ProtocolState.State.STREAMING && out.isEmpty()
                && now - lastSentAt >= protocol.heartbeatNanos()) {
            out.add(WireEncoder.encode(new Message.Heartbeat(epochMicros())));
            stats.heartbeats++;
            lastSentAt = now;
            flush(now);
        }
    }

    /** A paced slot: make and send a frame, unless the previous one is still on its way. */
    private void slot(long now) {
        if (out.hasFrame()) {
            stats.dropped++; // never queue a second frame behind one the network has not taken yet
            return;
        }
        SourceFrame frame = poll();
        if (frame != null) {
            send(frame, now);
        }
    }

    /** Sends what a live source has ready, one frame at a time as the socket takes them. */
    private void drainLive(long now) {
        while (protocol.state() == ProtocolState.State.STREAMING && !out.hasFrame()) {
            SourceFrame frame = poll();
            if (frame == null) {
                return;
            }
            send(frame, now);
        }
    }

    private SourceFrame poll() {
        try {
            SourceFrame f = source.poll(frameNumber + 1, epochMicros());
            if (f != null) {
                frameNumber++;
            }
            return f;
        } catch (RuntimeException e) {
            stats.sourceErrors++;
            Log.warn(config.cameraId(), "frame source failed: " + e);
            return null;
        }
    }

    private void send(SourceFrame frame, long now) {
        if (awaitingKey && !frame.keyFrame()) {
            if (keyAfterLoss) {
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
            awaitingKey = true;
            keyAfterLoss = true;
            source.startAtKeyFrame();
            return;
        }
        awaitingKey = false;
        keyAfterLoss = false;
        seq++;
        out.addFrame(seq, frame);
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
        StreamFormat f = format();
        out.add(WireEncoder.encode(new Message.Hello(Wire.VERSION, config.cameraId(), config.displayName(), config.token(),
                f.codec(), f.width(), f.height(), (int) Math.round(f.fps() * 1000))));
        lastSentAt = now;
        flush(now);
    }

    private void read(long now) throws IOException {
        while (channel != null && protocol.wantsConnection()) {
            readBuffer.clear();
            int n = channel.read(readBuffer);
            if (n < 0) {
                fail(now, protocol.state() == ProtocolState.State.HANDSHAKING
                        ? "server closed the connection before accepting" : "server closed the connection");
                return;
            }
            if (n == 0) {
                return;
            }
            readBuffer.flip();
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

    /** The server accepted: frames start, each connection with a key frame. */
    private void opened(long now) {
        seq = 0;
        awaitingKey = true; // a receiver can only start at a key frame: skip to one (not a loss)
        keyAfterLoss = false;
        source.startAtKeyFrame();
        if (!source.live()) {
            pacer.start(now);
        }
    }

    private void flush(long now) {
        if (channel == null) {
            return;
        }
        try {
            stats.bytes += out.writeTo(channel, sent -> frameSent(sent, now));
        } catch (IOException e) {
            fail(now, describe(e));
            return;
        }
        if (key != null && key.isValid()) {
            key.interestOps(out.isEmpty() ? key.interestOps() & ~SelectionKey.OP_WRITE
                    : key.interestOps() | SelectionKey.OP_WRITE);
        }
        if (protocol.state() == ProtocolState.State.CLOSING) {
            closing(now); // the frame in flight is out: the goodbye may follow, or it is out too
        }
    }

    private void frameSent(OutboundBuffer.Sent sent, long now) {
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
            pacer.stop();
        }
    }

    private void closeChannel() {
        out.clear();
        if (key != null) {
            key.cancel();
            key = null;
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
}
