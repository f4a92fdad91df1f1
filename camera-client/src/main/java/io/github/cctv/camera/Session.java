package io.github.cctv.camera;

import io.github.cctv.protocol.wire.Message;
import io.github.cctv.protocol.wire.ProtocolException;
import io.github.cctv.protocol.wire.ReasonCode;
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
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One camera's connection to the server, as a state machine driven by {@link StreamLoop}'s single thread:
 * connect, hello, wait for accept, then one frame per slot, heartbeats when idle, goodbye at the end, and
 * a backoff and a new connection whenever anything breaks. Never blocks: writes are non-blocking, and a
 * frame slot that comes while the previous frame is still being written is dropped and counted, so a slow
 * network never builds a backlog.
 */
final class Session {

    enum State { BACKOFF, CONNECTING, HANDSHAKING, STREAMING, CLOSING, DONE }

    private static final long NEVER = Long.MAX_VALUE;

    private final StreamConfig config;
    private final FrameSource source;
    private final StreamListener listener;
    private final Clock clock;
    private final Backoff backoff;
    private final long periodNanos;
    final SessionStats stats = new SessionStats();

    private State state = State.BACKOFF;
    private Outcome outcome = Outcome.RUNNING;
    private Message.Reject fatalReject;
    private boolean stopRequested;
    private boolean everConnected;

    private SocketChannel channel;
    private SelectionKey key;
    private WireDecoder decoder;
    private final ByteBuffer readBuffer = ByteBuffer.allocate(16 * 1024);

    private ByteBuffer[] pending;
    private long pendingSeq;
    private SourceFrame pendingFrame;
    private boolean goodbyeQueued;

    private long retryAt;
    private long deadline = NEVER;
    private long nextFrameAt = NEVER;
    private long lastSentAt;
    private long lastReceivedAt;
    private long heartbeatNanos;
    private long sessionTimeoutNanos;
    private int maxFrameBytes;
    private long seq;
    private long frameNumber;
    private boolean warnedTooLarge;

    Session(StreamConfig config, FrameSource source, StreamListener listener, Clock clock) {
        this.config = config;
        this.source = source;
        this.listener = listener;
        this.clock = clock;
        this.backoff = new Backoff(config.initialBackoff(), config.maxBackoff(), () -> ThreadLocalRandom.current().nextDouble());
        this.periodNanos = config.framePeriodNanos();
    }

    String cameraId() {
        return config.cameraId();
    }

    State state() {
        return state;
    }

    Outcome outcome() {
        return outcome;
    }

    Message.Reject fatalReject() {
        return fatalReject;
    }

    boolean done() {
        return state == State.DONE;
    }

    /** Starts with a connection attempt at {@code now}. */
    void begin(long now) {
        retryAt = now;
    }

    /** The earliest time this session needs the loop to call {@link #onTimers} again. */
    long nextWakeup() {
        switch (state) {
            case BACKOFF:
                return retryAt;
            case CONNECTING:
            case HANDSHAKING:
            case CLOSING:
                return deadline;
            case STREAMING:
                long hb = pending == null ? lastSentAt + heartbeatNanos : NEVER;
                return Math.min(Math.min(nextFrameAt, hb), lastReceivedAt + sessionTimeoutNanos);
            default:
                return NEVER;
        }
    }

    /** Ends the session: a goodbye after the frame in flight when streaming, otherwise at once. */
    void stop(Selector selector, long now) {
        stopRequested = true;
        if (outcome == Outcome.RUNNING) {
            outcome = Outcome.STOPPED;
        }
        if (state == State.STREAMING) {
            startClosing(now);
            onTimers(selector, now);
        } else if (state != State.CLOSING && state != State.DONE) {
            closeChannel();
            state = State.DONE;
        }
    }

    /** Gives up on a goodbye that could not be written in time. */
    void abort() {
        if (state != State.DONE) {
            closeChannel();
            if (everConnected && (state == State.CLOSING)) {
                listener.onDisconnected("closed before the goodbye could be written");
            }
            state = State.DONE;
        }
    }

    void onTimers(Selector selector, long now) {
        switch (state) {
            case BACKOFF -> {
                if (now >= retryAt) {
                    connect(selector, now);
                }
            }
            case CONNECTING -> {
                if (now >= deadline) {
                    fail(now, "no connection within " + config.connectTimeout().toMillis() + " ms");
                }
            }
            case HANDSHAKING -> {
                if (now >= deadline) {
                    fail(now, "no accept from the server within " + config.handshakeTimeout().toMillis() + " ms");
                }
            }
            case STREAMING -> streamingTimers(now);
            case CLOSING -> closingTimers(now);
            default -> {
            }
        }
    }

    private void streamingTimers(long now) {
        if (now - lastReceivedAt > sessionTimeoutNanos) {
            fail(now, "server lost: nothing received for " + (now - lastReceivedAt) / 1_000_000 + " ms (session timeout "
                    + sessionTimeoutNanos / 1_000_000 + " ms)");
            return;
        }
        if (now >= nextFrameAt) {
            frameSlot(now);
            if (state != State.STREAMING) {
                return;
            }
            nextFrameAt += periodNanos;
            if (nextFrameAt <= now) {
                // The thread or the network fell behind: skip the missed slots instead of bursting them out.
                long missed = (now - nextFrameAt) / periodNanos + 1;
                stats.dropped += missed;
                nextFrameAt += missed * periodNanos;
            }
        }
        if (pending == null && now - lastSentAt >= heartbeatNanos) {
            queue(now, WireEncoder.encode(new Message.Heartbeat(epochMicros())));
            stats.heartbeats++;
        }
    }

    private void frameSlot(long now) {
        if (pending != null) {
            stats.dropped++; // the previous frame is still on its way: never queue a second one
            return;
        }
        SourceFrame frame;
        try {
            frame = source.poll(frameNumber + 1, epochMicros());
        } catch (RuntimeException e) {
            stats.sourceErrors++;
            Log.warn(config.cameraId(), "frame source failed: " + e);
            return;
        }
        if (frame == null) {
            return;
        }
        frameNumber++;
        if (frame.jpeg().length > maxFrameBytes) {
            stats.dropped++;
            if (!warnedTooLarge) {
                warnedTooLarge = true;
                Log.warn(config.cameraId(), "frame of " + frame.jpeg().length + " bytes exceeds the server's limit of "
                        + maxFrameBytes + " bytes: dropped (lower --quality or the size)");
            }
            return;
        }
        seq++;
        pendingSeq = seq;
        pendingFrame = frame;
        byte[] header = WireEncoder.frameHeader(seq, frame.captureMicros(), true, frame.jpeg().length);
        // header and image in one gathering write: the image bytes are never copied
        pending = new ByteBuffer[] {ByteBuffer.wrap(header), ByteBuffer.wrap(frame.jpeg())};
        lastSentAt = now;
        flush(now);
    }

    private void closingTimers(long now) {
        if (state != State.CLOSING) {
            return;
        }
        if (pending == null && !goodbyeQueued) {
            goodbyeQueued = true;
            queue(now, WireEncoder.encode(new Message.Goodbye()));
            if (state != State.CLOSING) {
                return; // the goodbye went out and finished the session, or the write failed
            }
        }
        if (pending == null && goodbyeQueued) {
            closeChannel();
            state = State.DONE;
            listener.onDisconnected(outcome == Outcome.COMPLETED ? "frame limit reached, goodbye sent" : "stopped, goodbye sent");
        } else if (now >= deadline) {
            abort();
        }
    }

    private void startClosing(long now) {
        state = State.CLOSING;
        deadline = now + Duration.ofSeconds(2).toNanos();
    }

    private void connect(Selector selector, long now) {
        try {
            channel = SocketChannel.open();
            channel.configureBlocking(false);
            channel.socket().setTcpNoDelay(true);
            decoder = WireDecoder.forCamera();
            readBuffer.clear();
            pending = null;
            goodbyeQueued = false;
            InetSocketAddress address = new InetSocketAddress(config.host(), config.port());
            if (address.isUnresolved()) {
                throw new UnknownHostException("unknown host " + config.host());
            }
            state = State.CONNECTING;
            deadline = now + config.connectTimeout().toNanos();
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
        state = State.HANDSHAKING;
        deadline = now + config.handshakeTimeout().toNanos();
        key.interestOps(SelectionKey.OP_READ);
        Message.Hello hello = new Message.Hello(Wire.VERSION, config.cameraId(), config.displayName(), config.token(),
                io.github.cctv.protocol.wire.Codec.JPEG, config.width(), config.height(), config.fpsMilli());
        queue(now, WireEncoder.encode(hello));
    }

    /** Called by the loop when the selector reports the channel ready. */
    void onReady(long now) {
        if (key == null || !key.isValid()) {
            return;
        }
        try {
            if (state == State.CONNECTING && key.isConnectable()) {
                channel.finishConnect();
                connected(now);
                return;
            }
            if (key.isValid() && key.isWritable()) {
                flush(now);
            }
            if (key.isValid() && key.isReadable()) {
                read(now);
            }
        } catch (IOException | RuntimeException e) {
            fail(now, describe(e));
        }
    }

    private void read(long now) throws IOException {
        while (channel != null && state != State.DONE && state != State.BACKOFF) {
            readBuffer.clear();
            int n = channel.read(readBuffer);
            if (n < 0) {
                fail(now, state == State.HANDSHAKING ? "server closed the connection before accepting"
                        : "server closed the connection");
                return;
            }
            if (n == 0) {
                return;
            }
            readBuffer.flip();
            lastReceivedAt = now;
            try {
                decoder.feed(readBuffer, m -> onMessage(m, now));
            } catch (ProtocolException e) {
                fail(now, "protocol error from the server: " + e.getMessage());
                return;
            }
        }
    }

    private void onMessage(Message m, long now) {
        if (state == State.DONE || state == State.BACKOFF) {
            return; // the session already ended inside this batch of bytes
        }
        if (m instanceof Message.Accept a) {
            state = State.STREAMING;
            everConnected = true;
            heartbeatNanos = Duration.ofMillis(a.heartbeatIntervalMs()).toNanos();
            sessionTimeoutNanos = Duration.ofMillis(a.sessionTimeoutMs()).toNanos();
            maxFrameBytes = a.maxFrameBytes();
            seq = 0;
            nextFrameAt = now;
            lastReceivedAt = now;
            backoff.reset();
            stats.sessions++;
            listener.onConnected(a);
            if (stopRequested) {
                startClosing(now);
            }
        } else if (m instanceof Message.Reject r) {
            stats.rejects++;
            listener.onRejected(r);
            if (r.reason() == ReasonCode.INVALID_CAMERA_ID || r.reason() == ReasonCode.UNSUPPORTED_VERSION) {
                // retrying cannot help: the same hello would be refused forever
                fatalReject = r;
                outcome = Outcome.REJECTED;
                boolean wasStreaming = state == State.STREAMING || state == State.CLOSING;
                closeChannel();
                state = State.DONE;
                if (wasStreaming) {
                    listener.onDisconnected("rejected: " + r.reason() + ": " + r.message());
                }
            } else {
                fail(now, "rejected: " + r.reason() + (r.message().isEmpty() ? "" : ": " + r.message()));
            }
        } else if (m instanceof Message.Goodbye) {
            fail(now, "server said goodbye");
        }
        // heartbeats only refresh lastReceivedAt, done in read()
    }

    private void queue(long now, byte[] message) {
        pending = new ByteBuffer[] {ByteBuffer.wrap(message)};
        pendingFrame = null;
        lastSentAt = now;
        flush(now);
    }

    private void flush(long now) {
        if (pending == null || channel == null) {
            return;
        }
        try {
            long written = channel.write(pending);
            stats.bytes += written;
        } catch (IOException e) {
            fail(now, describe(e));
            return;
        }
        if (pending[pending.length - 1].hasRemaining()) {
            key.interestOps(key.interestOps() | SelectionKey.OP_WRITE);
            return;
        }
        key.interestOps(key.interestOps() & ~SelectionKey.OP_WRITE);
        pending = null;
        SourceFrame sent = pendingFrame;
        pendingFrame = null;
        if (sent != null) {
            stats.frames++;
            listener.onFrameSent(pendingSeq, sent.captureMicros(), sent.jpeg());
            if (config.frameLimit() > 0 && stats.frames >= config.frameLimit() && state == State.STREAMING) {
                outcome = Outcome.COMPLETED;
                startClosing(now);
            }
        }
        if (state == State.CLOSING) {
            closingTimers(now);
        }
    }

    private void fail(long now, String reason) {
        State was = state;
        closeChannel();
        if (was == State.STREAMING || was == State.CLOSING) {
            listener.onDisconnected(reason);
        }
        if (stopRequested || was == State.CLOSING) {
            state = State.DONE;
            return;
        }
        long delay = backoff.nextDelayNanos();
        stats.reconnects++;
        state = State.BACKOFF;
        retryAt = now + delay;
        listener.onRetry(reason, Duration.ofNanos(delay));
    }

    private void closeChannel() {
        pending = null;
        pendingFrame = null;
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
