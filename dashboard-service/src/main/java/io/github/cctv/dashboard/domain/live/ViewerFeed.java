package io.github.cctv.dashboard.domain.live;

import io.github.cctv.dashboard.health.LiveMetrics;
import io.github.cctv.dashboard.health.LiveMetrics.DropReason;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * One camera as one viewer sees it; the caller (a NATS callback) never waits, and a slow viewer drops frames for
 * itself only. At most one send is in flight.
 * <ul>
 * <li>JPEG: one pending slot that newer frames overwrite, so the viewer always gets the newest frame and never a
 * backlog; an optional frame-rate cap.</li>
 * <li>H.264: every frame depends on the ones before it back to the last key frame, so frames queue in order, from a
 * key frame on. When the queue is over its budget (bytes, or its oldest frame waiting longer than the allowed lag),
 * the viewer skips: what is queued is dropped and so is every frame up to the next key frame. A gap in the
 * camera's sequence (NATS dropped a frame, say) is handled the same way. The viewer thus only ever receives whole
 * runs from a key frame, never a frame it cannot decode. Frame-rate caps do not apply (an H.264 frame cannot be
 * left out without breaking the ones after it).</li>
 * </ul>
 */
public final class ViewerFeed {

    /** Frames a little early still pass the cap, so that camera jitter does not halve the rate. */
    private static final double CAP_TOLERANCE = 0.85;

    private record Queued(EncodedFrame frame, long enqueuedNanos) {
    }

    private final String cameraId;
    private final ViewerConnection connection;
    private final LiveMetrics metrics;
    private final LongSupplier nanoTime;
    private final long maxQueueBytes;
    private final long maxQueueLagNanos;

    private long minIntervalNanos;
    private long lastAcceptedNanos;
    private boolean hasAccepted;
    private long lastIngestUs = Long.MIN_VALUE;
    private boolean inFlight;
    private final Deque<Queued> queue = new ArrayDeque<>();
    private long queuedBytes;
    /** H.264: nothing is sent until the next key frame (at the start, after a skip or a gap). */
    private boolean awaitingKey = true;
    private long lastSeq;
    private boolean hasLastSeq;
    private boolean closed;
    private long sent;
    private long dropped;
    private long skips;

    /**
     * {@code maxQueueBytes}, {@code maxQueueLagNanos}: the H.264 queue's budget; past either the viewer skips to
     * the next key frame.
     */
    public ViewerFeed(String cameraId, int maxFps, ViewerConnection connection, LiveMetrics metrics,
                      LongSupplier nanoTime, long maxQueueBytes, long maxQueueLagNanos) {
        this.cameraId = cameraId;
        this.connection = connection;
        this.metrics = metrics;
        this.nanoTime = nanoTime;
        this.maxQueueBytes = maxQueueBytes;
        this.maxQueueLagNanos = maxQueueLagNanos;
        setMaxFps(maxFps);
    }

    public String cameraId() {
        return cameraId;
    }

    /** 0 = every frame. */
    public synchronized void setMaxFps(int maxFps) {
        minIntervalNanos = maxFps <= 0 ? 0 : (long) (TimeUnit.SECONDS.toNanos(1) * CAP_TOLERANCE / maxFps);
    }

    public synchronized int maxFps() {
        return minIntervalNanos == 0 ? 0 : (int) Math.round(TimeUnit.SECONDS.toNanos(1) * CAP_TOLERANCE / minIntervalNanos);
    }

    /** Hands a frame to this viewer; never blocks. */
    public void offer(EncodedFrame frame) {
        EncodedFrame toSend;
        synchronized (this) {
            if (closed) {
                return;
            }
            boolean queued = frame.frame().h264() ? queueH264(frame) : replaceJpeg(frame);
            if (!queued || inFlight) {
                return;
            }
            toSend = poll();
            inFlight = true;
        }
        send(toSend);
    }

    private boolean replaceJpeg(EncodedFrame frame) {
        if (frame.frame().ingestUs() < lastIngestUs) {
            return false;
        }
        long now = nanoTime.getAsLong();
        if (minIntervalNanos > 0 && hasAccepted && now - lastAcceptedNanos < minIntervalNanos) {
            drop(1, DropReason.RATE_CAP);
            return false;
        }
        hasAccepted = true;
        lastAcceptedNanos = now;
        lastIngestUs = frame.frame().ingestUs();
        drop(clearQueue(), DropReason.SUPERSEDED);
        enqueue(frame, now);
        hasLastSeq = false;
        awaitingKey = true;
        return true;
    }

    private boolean queueH264(EncodedFrame frame) {
        Frame f = frame.frame();
        long now = nanoTime.getAsLong();
        boolean overBudget = queuedBytes + frame.message().length > maxQueueBytes
                || (!queue.isEmpty() && now - queue.peekFirst().enqueuedNanos() > maxQueueLagNanos);
        if (!f.keyFrame()) {
            if (awaitingKey) {
                drop(1, DropReason.AWAITING_KEYFRAME);
                return false;
            }
            boolean gap = hasLastSeq && f.seq() != lastSeq + 1;
            if (gap || overBudget) {
                skip(1);
                return false;
            }
        } else if (overBudget) {
            skip(0);
        }
        awaitingKey = false;
        lastSeq = f.seq();
        hasLastSeq = true;
        lastIngestUs = f.ingestUs();
        enqueue(frame, now);
        return true;
    }

    /** Drops what is queued and {@code alsoDropped} more, and waits for the next key frame. */
    private void skip(int alsoDropped) {
        skips++;
        metrics.skippedToKeyframe();
        drop(clearQueue() + alsoDropped, DropReason.SKIPPED_TO_KEYFRAME);
        awaitingKey = true;
    }

    private void enqueue(EncodedFrame frame, long now) {
        queue.addLast(new Queued(frame, now));
        queuedBytes += frame.message().length;
    }

    private EncodedFrame poll() {
        Queued q = queue.pollFirst();
        if (q == null) {
            return null;
        }
        queuedBytes -= q.frame().message().length;
        return q.frame();
    }

    private int clearQueue() {
        int n = queue.size();
        queue.clear();
        queuedBytes = 0;
        return n;
    }

    private void drop(int n, DropReason reason) {
        for (int i = 0; i < n; i++) {
            dropped++;
            metrics.dropped(reason);
        }
    }

    private void send(EncodedFrame frame) {
        connection.sendBinary(frame.message(), this::completed);
    }

    private void completed(boolean ok) {
        EncodedFrame next;
        synchronized (this) {
            if (ok) {
                sent++;
                metrics.sent();
            } else {
                drop(1, DropReason.SEND_FAILED);
                // the viewer missed a frame: an H.264 picture after it would be broken
                drop(clearQueue(), DropReason.SEND_FAILED);
                awaitingKey = true;
            }
            next = closed ? null : poll();
            if (next == null) {
                inFlight = false;
                return;
            }
        }
        send(next);
    }

    public synchronized void close() {
        closed = true;
        clearQueue();
    }

    public synchronized long sent() {
        return sent;
    }

    public synchronized long dropped() {
        return dropped;
    }

    /** Times this viewer skipped to the next key frame of an H.264 camera because it fell behind. */
    public synchronized long skips() {
        return skips;
    }

    /** A frame and its WebSocket message, encoded once and shared by every viewer. */
    public record EncodedFrame(Frame frame, byte[] message) {
        public static EncodedFrame of(Frame frame) {
            return new EncodedFrame(frame, LiveFrameCodec.encode(frame));
        }

        public static EncodedFrame of(Frame frame, boolean substream) {
            return new EncodedFrame(frame, LiveFrameCodec.encode(frame, substream));
        }
    }
}
