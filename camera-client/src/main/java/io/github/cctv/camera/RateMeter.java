package io.github.cctv.camera;

/**
 * A stream's frame rate from the times its frames arrived, for streams that state none (multipart MJPEG).
 *
 * <p>A frame can arrive late (buffered while the stream was probed, queued in a socket while the reader was
 * starved, sent in a burst by a camera catching up) but never before it was sent. So the span from frame i to
 * frame j over {@code j - i} frames is the true period only when i was on time and j was too: a late i gives
 * too short a period (the burst that made earlier measurements announce 46–79 fps for a 30 fps camera), a late j
 * too long a one. The period is therefore the smallest, over every end frame j, of the largest span per frame
 * from an earlier frame i at least {@link #MIN_SPAN_MICROS} before it: the lower envelope of the arrivals,
 * which a burst lies above.
 */
final class RateMeter {

    /** The shortest span a period is taken over: a second, so that 10 ms of jitter is 1 %. */
    static final long MIN_SPAN_MICROS = 1_000_000;

    private final long[] arrivals;
    private int count;

    /** Keeps at most {@code capacity} arrivals (the first ones). */
    RateMeter(int capacity) {
        this.arrivals = new long[capacity];
    }

    /** Notes a frame's arrival, epoch µs (non-decreasing). */
    void arrived(long micros) {
        if (count < arrivals.length) {
            arrivals[count++] = micros;
        }
    }

    int count() {
        return count;
    }

    /** Microseconds from the first arrival to the last. */
    long spanMicros() {
        return count < 2 ? 0 : arrivals[count - 1] - arrivals[0];
    }

    /** Frames per second, or NaN while no two arrivals are {@link #MIN_SPAN_MICROS} apart. */
    double fps() {
        return fps(arrivals, count, MIN_SPAN_MICROS);
    }

    static double fps(long[] arrivals, int count, long minSpanMicros) {
        double period = Double.POSITIVE_INFINITY;
        for (int j = 1; j < count; j++) {
            double longest = Double.NaN;
            for (int i = 0; i < j && arrivals[j] - arrivals[i] >= minSpanMicros; i++) {
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
