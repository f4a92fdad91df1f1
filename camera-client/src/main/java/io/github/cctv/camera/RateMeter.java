package io.github.cctv.camera;

/**
 * A stream's frame rate from the times its frames arrived, for streams that state none (multipart MJPEG).
 *
 * <p>A frame can arrive late (buffered while the stream was probed, queued in a socket while the reader was
 * starved, sent in a burst by a camera catching up) but never before it was sent. Frames read without waiting
 * for the camera were already there: late, and left out as ends of a span. A frame the reader had to wait for
 * arrived as it was sent, give or take a reader starved of CPU. So the period is measured between two waited-for
 * frames at least {@link #MIN_SPAN_MICROS} apart, over every frame between them (the burst's too): for each end
 * frame j the largest such span per frame from an earlier start i (a start that was late gives too short a period),
 * then the smallest of those over the ends (an end that was late gives too long a one). Counting the frames of the
 * first second instead is what made a slow start announce 46–79 fps for a 30 fps camera.
 */
final class RateMeter {

    /** The shortest span a period is taken over: a second, so that 10 ms of jitter is 1 %. */
    static final long MIN_SPAN_MICROS = 1_000_000;

    private final long[] arrivals;
    private final boolean[] waited;
    private int count;
    private long firstWaited = -1;
    private long lastWaited = -1;

    /** Keeps at most {@code capacity} arrivals (the first ones). */
    RateMeter(int capacity) {
        this.arrivals = new long[capacity];
        this.waited = new boolean[capacity];
    }

    /** Notes a frame's arrival, epoch µs (non-decreasing); {@code waitedFor}: the read waited for the camera. */
    void arrived(long micros, boolean waitedFor) {
        if (count < arrivals.length) {
            arrivals[count] = micros;
            waited[count] = waitedFor;
            count++;
            if (waitedFor) {
                if (firstWaited < 0) {
                    firstWaited = micros;
                }
                lastWaited = micros;
            }
        }
    }

    int count() {
        return count;
    }

    /** Microseconds from the first waited-for arrival to the last. */
    long spanMicros() {
        return firstWaited < 0 ? 0 : lastWaited - firstWaited;
    }

    /** Frames per second, or NaN while no two waited-for arrivals are {@link #MIN_SPAN_MICROS} apart. */
    double fps() {
        return fps(arrivals, waited, count, MIN_SPAN_MICROS);
    }

    static double fps(long[] arrivals, boolean[] waited, int count, long minSpanMicros) {
        double period = Double.POSITIVE_INFINITY;
        for (int j = 1; j < count; j++) {
            if (!waited[j]) {
                continue;
            }
            double longest = Double.NaN;
            for (int i = 0; i < j && arrivals[j] - arrivals[i] >= minSpanMicros; i++) {
                if (!waited[i]) {
                    continue;
                }
                double p = (double) (arrivals[j] - arrivals[i]) / (j - i);
                if (Double.isNaN(longest) || p > longest) {
                    longest = p;
                }
            }
            if (!Double.isNaN(longest) && longest < period) {
                period = longest;
            }
        }
        return period == Double.POSITIVE_INFINITY || period <= 0 ? Double.NaN : 1_000_000.0 / period;
    }
}
