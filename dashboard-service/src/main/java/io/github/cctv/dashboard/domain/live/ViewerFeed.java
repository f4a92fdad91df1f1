package io.github.cctv.dashboard.domain.live;

import io.github.cctv.dashboard.health.LiveMetrics.DropReason;
import io.github.cctv.dashboard.health.LiveMetrics;

import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * One camera as one viewer sees it: at most one send in flight and one pending slot that newer frames
 * overwrite, so the viewer always gets the newest frame and never a backlog. A slow viewer drops frames
 * for itself only; the caller (a NATS callback) never waits.
 */
public final class ViewerFeed {

    /** Frames a little early still pass the cap, so that camera jitter does not halve the rate. */
    private static final double CAP_TOLERANCE = 0.85;

    private final String cameraId;
    private final ViewerConnection connection;
    private final LiveMetrics metrics;
    private final LongSupplier nanoTime;

    private long minIntervalNanos;
    private long lastAcceptedNanos;
    private boolean hasAccepted;
    private long lastIngestUs = Long.MIN_VALUE;
    private boolean inFlight;
    private EncodedFrame pending;
    private boolean closed;
    private long sent;
    private long dropped;

    public ViewerFeed(String cameraId, int maxFps, ViewerConnection connection, LiveMetrics metrics,
                      LongSupplier nanoTime) {
        this.cameraId = cameraId;
        this.connection = connection;
        this.metrics = metrics;
        this.nanoTime = nanoTime;
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

    /** Hands a frame to this viewer; never blocks. Frames older than one already offered are ignored. */
    public void offer(EncodedFrame frame) {
        synchronized (this) {
            if (closed || frame.frame().ingestUs() < lastIngestUs) {
                return;
            }
            long now = nanoTime.getAsLong();
            if (minIntervalNanos > 0 && hasAccepted && now - lastAcceptedNanos < minIntervalNanos) {
                dropped++;
                metrics.dropped(DropReason.RATE_CAP);
                return;
            }
            hasAccepted = true;
            lastAcceptedNanos = now;
            lastIngestUs = frame.frame().ingestUs();
            if (inFlight) {
                if (pending != null) {
                    dropped++;
                    metrics.dropped(DropReason.SUPERSEDED);
                }
                pending = frame;
                return;
            }
            inFlight = true;
        }
        send(frame);
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
                dropped++;
                metrics.dropped(DropReason.SEND_FAILED);
            }
            next = pending;
            pending = null;
            if (next == null || closed) {
                inFlight = false;
                return;
            }
        }
        send(next);
    }

    public synchronized void close() {
        closed = true;
        pending = null;
    }

    public synchronized long sent() {
        return sent;
    }

    public synchronized long dropped() {
        return dropped;
    }

    /** A frame and its WebSocket message, encoded once and shared by every viewer. */
    public record EncodedFrame(Frame frame, byte[] message) {
        public static EncodedFrame of(Frame frame) {
            return new EncodedFrame(frame, LiveFrameCodec.encode(frame));
        }
    }
}
