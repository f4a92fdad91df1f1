package io.github.cctv.ingest.messaging;

import io.github.cctv.ingest.health.IngestMetrics;
import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.JetStreamApiException;
import io.nats.client.api.PublishAck;
import io.nats.client.impl.NatsMessage;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Frames published to the frame stream with JetStream acknowledgements, each frame sent again until the stream
 * acknowledges it: a replicated stream changing its leader (a NATS node lost) answers with no responders or not at
 * all, and a core publish would lose those frames without knowing.
 *
 * <p>Each subject (a camera's main stream, its substream) is a lane with one frame in flight: the next is sent once
 * the stream has acknowledged the one before, so a frame resent after a failure can never land behind a later one,
 * and the stream holds each lane's frames in capture order. A resent frame that was stored after all (its
 * acknowledgement lost) is recognised by its {@code Nats-Msg-Id} within the stream's duplicate window and stored once.
 * What waits is bounded per lane and in total, in frames and bytes; beyond a bound the oldest waiting frame is
 * dropped and counted ({@code unstored}). Nothing here blocks: {@link #publish} is called on camera event loops, the
 * acknowledgements arrive on the client's threads, and resends run on one scheduler thread.
 */
final class AcknowledgedFrames implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(AcknowledgedFrames.class);
    /** Pause before a frame whose publish failed is sent again: no leader to take it is a matter of seconds. */
    static final Duration RESEND_DELAY = Duration.ofMillis(100);

    /** Bounds of what waits for an acknowledgement or a resend. */
    record Limits(Duration ackTimeout, int framesPerLane, long bytesPerLane, int frames, long bytes) {
    }

    private final Supplier<Connection> connection;
    private final IngestMetrics metrics;
    private final Limits limits;
    private final ConcurrentHashMap<String, Lane> lanes = new ConcurrentHashMap<>();
    private final AtomicInteger totalFrames = new AtomicInteger();
    private final AtomicLong totalBytes = new AtomicLong();
    private final ScheduledExecutorService resends = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "frame-resend");
        t.setDaemon(true);
        return t;
    });
    private volatile Connection jetStreamOf;
    private volatile JetStream jetStream;

    AcknowledgedFrames(Supplier<Connection> connection, IngestMetrics metrics, Limits limits) {
        this.connection = connection;
        this.metrics = metrics;
        this.limits = limits;
        metrics.unacknowledgedFrames(totalFrames::get, totalBytes::get);
    }

    /** Takes a frame for the stream; false when it was dropped at once (every bound reached). Never blocks. */
    boolean publish(NatsMessage message) {
        Pending frame = new Pending(message, message.getData().length);
        while (true) {
            Lane lane = lanes.computeIfAbsent(message.getSubject(), Lane::new);
            boolean sendNow;
            synchronized (lane) {
                if (lane.retired) {
                    continue; // emptied and removed meanwhile: take the lane that replaces it
                }
                while (!fitsTotal(frame.bytes) && !lane.waiting.isEmpty()) {
                    drop(lane, lane.waiting.pollFirst());
                }
                if (!fitsTotal(frame.bytes)) {
                    metrics.frameDropped("unstored");
                    return false;
                }
                hold(lane, frame);
                sendNow = lane.inFlight == null && lane.waiting.isEmpty() && !lane.resendPending;
                if (sendNow) {
                    lane.inFlight = frame;
                } else {
                    lane.waiting.addLast(frame);
                    trim(lane);
                }
            }
            if (sendNow) {
                send(lane, frame);
            }
            return true;
        }
    }

    private boolean fitsTotal(int bytes) {
        return totalFrames.get() < limits.frames() && totalBytes.get() + bytes <= limits.bytes();
    }

    private void send(Lane lane, Pending frame) {
        CompletableFuture<PublishAck> ack;
        try {
            frame.attempts++;
            ack = jetStream().publishAsync(frame.message);
        } catch (IOException | RuntimeException e) {
            // closed connection, reconnect buffer full: the same as no answer
            failed(lane, frame, e);
            return;
        }
        ack.orTimeout(limits.ackTimeout().toNanos(), TimeUnit.NANOSECONDS).whenComplete((a, failure) -> {
            if (failure == null) {
                acknowledged(lane, frame);
            } else {
                failed(lane, frame, failure);
            }
        });
    }

    private JetStream jetStream() throws IOException {
        Connection c = connection.get();
        if (c == null) {
            throw new IOException("not connected to NATS yet");
        }
        JetStream js = jetStream;
        if (jetStreamOf != c || js == null) {
            js = c.jetStream();
            jetStream = js;
            jetStreamOf = c;
        }
        return js;
    }

    private void acknowledged(Lane lane, Pending frame) {
        if (frame.attempts > 1) {
            metrics.frameAcknowledgedLate();
        }
        next(lane, frame);
    }

    private void failed(Lane lane, Pending frame, Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (cause instanceof RuntimeException && cause.getCause() instanceof JetStreamApiException api) {
            cause = api;
        }
        if (cause instanceof JetStreamApiException api && api.getErrorCode() != 503) {
            // the stream refuses this frame for good (too large, say): sending it again would stall the lane
            LOG.debugf("frame on %s refused by the stream: %s", frame.message.getSubject(), api.toString());
            metrics.publishFailure("frame");
            metrics.frameDropped("error");
            next(lane, frame);
            return;
        }
        synchronized (lane) {
            lane.inFlight = null;
            lane.waiting.addFirst(frame);
            trim(lane);
            if (lane.resendPending) {
                return;
            }
            lane.resendPending = true;
        }
        try {
            resends.schedule(() -> resend(lane), RESEND_DELAY.toNanos(), TimeUnit.NANOSECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // shutting down: what waits is not sent any more
        }
    }

    private void resend(Lane lane) {
        sendNext(lane, null);
    }

    /** {@code done} is settled: release it and send the lane's next frame, if any. */
    private void next(Lane lane, Pending done) {
        sendNext(lane, done);
    }

    /**
     * Sends the lane's first waiting frame, if any (else the lane may retire), after releasing {@code done} (a frame
     * settled) or, when it is null, as the resend the lane waited for.
     */
    private void sendNext(Lane lane, Pending done) {
        Pending frame;
        synchronized (lane) {
            if (done != null) {
                release(lane, done);
            } else {
                lane.resendPending = false;
            }
            frame = lane.waiting.pollFirst();
            lane.inFlight = frame;
            if (frame == null) {
                retireIfIdle(lane);
                return;
            }
        }
        if (frame.attempts > 0) {
            metrics.frameResent();
        }
        send(lane, frame);
    }

    /** Drops the oldest waiting frames of {@code lane} while it is over its bounds. Called holding the lane. */
    private void trim(Lane lane) {
        while (!lane.waiting.isEmpty() && (lane.waiting.size() > limits.framesPerLane() || lane.bytes > limits.bytesPerLane())) {
            drop(lane, lane.waiting.pollFirst());
        }
    }

    private void drop(Lane lane, Pending frame) {
        release(lane, frame);
        metrics.frameDropped("unstored");
    }

    private void hold(Lane lane, Pending frame) {
        lane.bytes += frame.bytes;
        totalFrames.incrementAndGet();
        totalBytes.addAndGet(frame.bytes);
    }

    private void release(Lane lane, Pending frame) {
        lane.bytes -= frame.bytes;
        totalFrames.decrementAndGet();
        totalBytes.addAndGet(-frame.bytes);
    }

    /** Called holding the lane: a lane with nothing to send leaves the map, so that gone cameras cost nothing. */
    private void retireIfIdle(Lane lane) {
        if (lane.inFlight == null && lane.waiting.isEmpty() && !lane.resendPending) {
            lane.retired = true;
            lanes.remove(lane.subject, lane);
        }
    }

    /** Frames waiting for an acknowledgement or a resend, all lanes. */
    int pendingFrames() {
        return totalFrames.get();
    }

    /** Image bytes of {@link #pendingFrames()}. */
    long pendingBytes() {
        return totalBytes.get();
    }

    @Override
    public void close() {
        resends.shutdownNow();
    }

    private static final class Pending {
        final NatsMessage message;
        final int bytes;
        /** Publishes so far; touched only by whoever holds the frame in flight. */
        int attempts;

        Pending(NatsMessage message, int bytes) {
            this.message = message;
            this.bytes = bytes;
        }
    }

    /** One subject's frames; guarded by its own monitor. */
    private static final class Lane {
        final String subject;
        final ArrayDeque<Pending> waiting = new ArrayDeque<>();
        Pending inFlight;
        long bytes;
        boolean resendPending;
        boolean retired;

        Lane(String subject) {
            this.subject = subject;
        }
    }
}
