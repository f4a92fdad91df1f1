package io.github.cctv.recorder.domain.recording;

/**
 * The time of each frame in a segment, in microseconds from its first frame, strictly increasing.
 * <p>
 * The spacing between frames comes from the camera's capture times: they say when each picture was taken, free of
 * the network's jitter, so a variable frame rate and a pause are kept as they happened. The camera's clock is not
 * trusted beyond that: when a capture time goes backwards or does not move, or when following it would put the
 * frame more than {@code maxDisagreementUs} away from where the server's ingest times put it (a clock stepped by
 * NTP, a camera reporting 1970), the frame is spaced by its ingest time instead. So a segment's timeline never
 * drifts more than that from the server's clock, and files, segment boundaries and exports follow the server.
 * Capture times anywhere in the {@code long} range (a camera saying year 292278 or 1680) are handled without
 * overflow.
 */
public final class FrameTimeline {

    /** How far the capture-time timeline may stray from the ingest-time one, by default: 3 s. */
    public static final long DEFAULT_MAX_DISAGREEMENT_US = 3_000_000;

    private final long maxDisagreementUs;
    private long firstIngestUs;
    private long lastCaptureUs;
    private long lastIngestUs;
    private long lastUs = -1;
    private long lastStepUs;
    private long fallbacks;

    public FrameTimeline() {
        this(DEFAULT_MAX_DISAGREEMENT_US);
    }

    public FrameTimeline(long maxDisagreementUs) {
        this.maxDisagreementUs = maxDisagreementUs;
    }

    /** The time of the next frame, from its capture time (camera clock) and ingest time (server clock), in µs. */
    public long next(long captureUs, long ingestUs) {
        long t;
        if (lastUs < 0) {
            firstIngestUs = ingestUs;
            t = 0;
        } else {
            long byCapture = byCapture(captureUs, ingestUs - firstIngestUs);
            if (byCapture >= 0) {
                t = byCapture;
            } else {
                t = byIngest(ingestUs);
                fallbacks++;
            }
        }
        lastStepUs = lastUs < 0 ? 0 : t - lastUs;
        lastCaptureUs = captureUs;
        lastIngestUs = ingestUs;
        lastUs = t;
        return t;
    }

    /** The time {@link #next} would give this frame, without taking it (for a frame a writer may still refuse). */
    public long peek(long captureUs, long ingestUs) {
        if (lastUs < 0) {
            return 0;
        }
        long byCapture = byCapture(captureUs, ingestUs - firstIngestUs);
        return byCapture >= 0 ? byCapture : byIngest(ingestUs);
    }

    private long byIngest(long ingestUs) {
        return lastUs + Math.max(1, ingestUs - lastIngestUs);
    }

    /** The time the capture time gives the next frame, or -1 when it is not usable (backwards, too far, overflow). */
    private long byCapture(long captureUs, long byIngest) {
        if (captureUs <= lastCaptureUs) {
            return -1;
        }
        try {
            long t = Math.addExact(lastUs, Math.subtractExact(captureUs, lastCaptureUs));
            return Math.abs(Math.subtractExact(t, byIngest)) <= maxDisagreementUs ? t : -1;
        } catch (ArithmeticException e) {
            return -1;
        }
    }

    /** The time given to the last frame, or -1 before the first. */
    public long lastUs() {
        return lastUs;
    }

    /** The step from the frame before the last to the last one, 0 before the second frame. */
    public long lastStepUs() {
        return lastStepUs;
    }

    /** How many frames were spaced by their ingest time because the capture time could not be used. */
    public long fallbacks() {
        return fallbacks;
    }
}
