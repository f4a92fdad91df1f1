package io.github.cctv.camera;

import io.github.cctv.protocol.wire.Message;
import io.github.cctv.protocol.wire.ReasonCode;

import java.time.Duration;

/**
 * The camera's side of the wire protocol as a state machine, without sockets or clocks: it is told what
 * happened (connected, a message arrived, time passed, a write failed) and decides the next state, the
 * deadlines, the backoff, and what the listener hears. {@link Session} does the I/O around it.
 *
 * <pre>
 * BACKOFF ─▶ CONNECTING ─▶ HANDSHAKING ─▶ STREAMING ─▶ CLOSING ─▶ DONE
 *    ▲            │              │             │           (goodbye written, or abandoned)
 *    └────────────┴──────────────┴─────────────┘  any failure: back off and connect again
 * </pre>
 * Times are {@link System#nanoTime()} values.
 */
final class ProtocolState {

    enum State { BACKOFF, CONNECTING, HANDSHAKING, STREAMING, CLOSING, DONE }

    static final long NEVER = Long.MAX_VALUE;

    /** How long a goodbye may take to be written before the connection is closed anyway. */
    static final Duration CLOSING_GRACE = Duration.ofSeconds(2);

    private final StreamConfig config;
    private final Backoff backoff;
    private final StreamListener listener;
    private final SessionStats stats;

    private State state = State.BACKOFF;
    private Outcome outcome = Outcome.RUNNING;
    private Message.Reject fatalReject;
    /** Asked on UNSUPPORTED_VERSION: true when the camera can say hello again in an older version. */
    private java.util.function.BooleanSupplier olderVersion = () -> false;
    private Message.Accept accept;
    private boolean stopRequested;
    private long retryAt = NEVER;
    private long deadline = NEVER;
    private long lastReceivedAt;

    ProtocolState(StreamConfig config, Backoff backoff, StreamListener listener, SessionStats stats) {
        this.config = config;
        this.backoff = backoff;
        this.listener = listener;
        this.stats = stats;
    }

    State state() {
        return state;
    }

    Outcome outcome() {
        return outcome;
    }

    /** What to do when the server does not speak the hello's version: true when a retry in an older one is possible. */
    void onUnsupportedVersion(java.util.function.BooleanSupplier olderVersion) {
        this.olderVersion = olderVersion;
    }

    Message.Reject fatalReject() {
        return fatalReject;
    }

    /** The server's limits for the open session; null before the first accept. */
    Message.Accept accept() {
        return accept;
    }

    /** True in the states that own an open (or opening) socket. */
    boolean wantsConnection() {
        return state == State.CONNECTING || state == State.HANDSHAKING || state == State.STREAMING
                || state == State.CLOSING;
    }

    /** The first connection attempt is due at {@code now}. */
    void begin(long now) {
        retryAt = now;
    }

    boolean connectDue(long now) {
        return state == State.BACKOFF && now >= retryAt;
    }

    void connecting(long now) {
        state = State.CONNECTING;
        deadline = now + config.connectTimeout().toNanos();
    }

    /** The TCP connection is up; the hello goes out now. */
    void connected(long now) {
        state = State.HANDSHAKING;
        deadline = now + config.handshakeTimeout().toNanos();
        lastReceivedAt = now;
    }

    /** Bytes arrived from the server. */
    void received(long now) {
        lastReceivedAt = now;
    }

    /** A message from the server. */
    void onMessage(Message m, long now) {
        if (!wantsConnection()) {
            return; // the session already ended inside this batch of bytes
        }
        if (m instanceof Message.Accept a) {
            if (state != State.HANDSHAKING) {
                return;
            }
            state = State.STREAMING;
            accept = a;
            deadline = NEVER;
            lastReceivedAt = now;
            backoff.reset();
            stats.sessions++;
            listener.onConnected(a);
            if (stopRequested) {
                closing(now);
            }
        } else if (m instanceof Message.Reject r) {
            stats.rejects++;
            listener.onRejected(r);
            if (r.reason() == ReasonCode.UNSUPPORTED_VERSION && olderVersion.getAsBoolean()) {
                failed(now, "rejected: " + r.reason() + ": " + r.message() + "; trying again in an older version");
            } else if (r.reason() == ReasonCode.INVALID_CAMERA_ID || r.reason() == ReasonCode.UNSUPPORTED_VERSION) {
                // retrying cannot help: the same hello would be refused forever
                fatalReject = r;
                outcome = Outcome.REJECTED;
                boolean wasStreaming = state == State.STREAMING || state == State.CLOSING;
                state = State.DONE;
                if (wasStreaming) {
                    listener.onDisconnected("rejected: " + r.reason() + ": " + r.message());
                }
            } else {
                failed(now, "rejected: " + r.reason() + (r.message().isEmpty() ? "" : ": " + r.message()));
            }
        } else if (m instanceof Message.Goodbye) {
            // the server is going away (shutting down): no answer, just connect again later
            failed(now, "server said goodbye");
        }
        // a heartbeat only proves the server alive, which received() already noted
    }

    /** Fails the connection whose deadline has passed at {@code now}. */
    void checkDeadlines(long now) {
        switch (state) {
            case CONNECTING -> {
                if (now >= deadline) {
                    failed(now, "no connection within " + config.connectTimeout().toMillis() + " ms");
                }
            }
            case HANDSHAKING -> {
                if (now >= deadline) {
                    failed(now, "no accept from the server within " + config.handshakeTimeout().toMillis() + " ms");
                }
            }
            case STREAMING -> {
                long timeout = sessionTimeoutNanos();
                if (now - lastReceivedAt > timeout) {
                    failed(now, "server lost: nothing received for " + (now - lastReceivedAt) / 1_000_000
                            + " ms (session timeout " + timeout / 1_000_000 + " ms)");
                }
            }
            case CLOSING -> {
                if (now >= deadline) {
                    abort();
                }
            }
            default -> {
            }
        }
    }

    /** The earliest time {@link #checkDeadlines} or {@link #connectDue} can change something. */
    long nextDeadline() {
        return switch (state) {
            case BACKOFF -> retryAt;
            case CONNECTING, HANDSHAKING, CLOSING -> deadline;
            case STREAMING -> lastReceivedAt + sessionTimeoutNanos() + 1;
            case DONE -> NEVER;
        };
    }

    long sessionTimeoutNanos() {
        return accept == null ? NEVER / 2 : Duration.ofMillis(accept.sessionTimeoutMs()).toNanos();
    }

    long heartbeatNanos() {
        return accept == null ? NEVER / 2 : Duration.ofMillis(accept.heartbeatIntervalMs()).toNanos();
    }

    /** Stop requested: a streaming session closes with a goodbye, anything else ends at once. */
    void stop(long now) {
        stopRequested = true;
        if (outcome == Outcome.RUNNING) {
            outcome = Outcome.STOPPED;
        }
        if (state == State.STREAMING) {
            closing(now);
        } else if (state != State.CLOSING) {
            state = State.DONE;
        }
    }

    /** The frame limit is reached: close with a goodbye. */
    void complete(long now) {
        if (state == State.STREAMING) {
            outcome = Outcome.COMPLETED;
            closing(now);
        }
    }

    /** The goodbye is written: the stream is over. */
    void goodbyeWritten() {
        if (state == State.CLOSING) {
            state = State.DONE;
            listener.onDisconnected(outcome == Outcome.COMPLETED ? "frame limit reached, goodbye sent" : "stopped, goodbye sent");
        }
    }

    /** The connection failed for {@code reason}: back off and retry, unless the stream is ending anyway. */
    void failed(long now, String reason) {
        State was = state;
        if (was == State.DONE || was == State.BACKOFF) {
            return;
        }
        if (was == State.STREAMING || was == State.CLOSING) {
            listener.onDisconnected(reason);
        }
        deadline = NEVER;
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

    /** Gives up on a goodbye that could not be written in time. */
    void abort() {
        if (state != State.DONE) {
            if (state == State.CLOSING) {
                listener.onDisconnected("closed before the goodbye could be written");
            }
            state = State.DONE;
        }
    }

    private void closing(long now) {
        state = State.CLOSING;
        deadline = now + CLOSING_GRACE.toNanos();
    }
}
