package io.github.cctv.ingest.domain;

import io.github.cctv.protocol.event.CameraEvent;

import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;

/**
 * One camera's clock against the server's: the offset (capture time minus ingest time) of each frame goes into a
 * window of the last {@link #WINDOW} frames, and the offset is their median, which network jitter and a stray
 * timestamp do not move. A camera is {@code skewed} once the offset is beyond the bound, and {@code ok} again once
 * it is back within three quarters of it (so that an offset near the bound does not flap). Used from the thread
 * that handles the camera's frames.
 */
public final class ClockWatch {

    /** Frames the offset is the median of. */
    public static final int WINDOW = 64;
    /** Frames needed before the offset is reported at all. */
    public static final int MIN_SAMPLES = 3;
    /** Capture times before this (2000-01-01T00:00Z, epoch µs) cannot be right. */
    public static final long EARLIEST_PLAUSIBLE_US = 946_684_800_000_000L;
    /** Capture times this far ahead of the server's clock (a day, µs) cannot be right. */
    public static final long MOST_AHEAD_PLAUSIBLE_US = 86_400_000_000L;

    private final long boundMs;
    private final long[] offsets = new long[WINDOW];
    private int count;
    private int next;
    // read by the thread that closes the session too
    private volatile Long offsetMs;
    private volatile boolean skewed;

    /** {@code boundMs}: the largest offset that is not reported, milliseconds. */
    public ClockWatch(long boundMs) {
        if (boundMs < 1) {
            throw new IllegalArgumentException("clock bound must be positive, got " + boundMs + " ms");
        }
        this.boundMs = boundMs;
    }

    /** True when a capture time cannot be right whatever the camera's clock: before 2000, or a day ahead of the server. */
    public static boolean implausible(long captureUs, long ingestUs) {
        return captureUs < EARLIEST_PLAUSIBLE_US || captureUs - ingestUs > MOST_AHEAD_PLAUSIBLE_US;
    }

    /** Adds one frame's capture and ingest times (epoch µs). */
    public void sample(long captureUs, long ingestUs) {
        offsets[next] = captureUs / 1000 - ingestUs / 1000;
        next = (next + 1) % WINDOW;
        count = Math.min(count + 1, WINDOW);
    }

    /**
     * Re-estimates the offset from the window; returns the event to publish when the camera has just become skewed
     * or just come back within bounds.
     */
    public Optional<CameraEvent> evaluate(String cameraId, Instant now) {
        if (count < MIN_SAMPLES) {
            return Optional.empty();
        }
        long[] sorted = Arrays.copyOf(offsets, count);
        Arrays.sort(sorted);
        long median = sorted[count / 2];
        offsetMs = median;
        long distance = Math.abs(median);
        if (!skewed && distance > boundMs) {
            skewed = true;
            return Optional.of(new CameraEvent.ClockSkewed(cameraId, now, median, boundMs));
        }
        if (skewed && distance <= boundMs * 3 / 4) {
            skewed = false;
            return Optional.of(new CameraEvent.ClockCorrected(cameraId, now, median, boundMs));
        }
        return Optional.empty();
    }

    /** The last estimate, milliseconds (camera minus server), or null before {@link #MIN_SAMPLES} frames. */
    public Long offsetMs() {
        return offsetMs;
    }

    public boolean skewed() {
        return skewed;
    }
}
