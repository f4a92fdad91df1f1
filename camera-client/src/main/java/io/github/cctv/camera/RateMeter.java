package io.github.cctv.camera;

/**
 * A stream's frame rate from the times its frames arrived, for streams that state none (multipart MJPEG).
 *
 * <p>A frame can arrive late (buffered while the stream was probed, queued in a socket while the reader was
 * starved, sent fast by a camera catching up after it was held up) but never before it was sent. So only frames
 * the reader had to wait for mark the ends of a span (they arrived as they were sent; the frames in between all
 * count), and a rate is stated only once the stream is steady: the last second and the second before it give the
 * same rate within {@link #STEADY_TOLERANCE}. Then the rate is that of those two seconds. A camera still catching
 * up (faster than its rate) or a burst of buffered frames makes the two seconds disagree, and the measurement
 * goes on. Counting the frames of the first second instead is what made a slow start announce 46–79 fps for a
 * 30 fps camera.
 */
final class RateMeter {

    /** The span of each of the two seconds compared. */
    static final long SPAN_MICROS = 1_000_000;
    /** How far the two may differ and still be steady: the tolerance of {@link GrabberSource#snap}. */
    static final double STEADY_TOLERANCE = 0.03;

    private final long[] arrivals;
    private final boolean[] waited;
    private int count;

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
        }
    }

    int count() {
        return count;
    }

    /** Frames per second over the last two seconds once they agree, or NaN while they do not (or are not there). */
    double fps() {
        int end = lastWaited(count - 1, Long.MAX_VALUE);
        if (end < 0) {
            return Double.NaN;
        }
        int mid = lastWaited(end - 1, arrivals[end] - SPAN_MICROS);
        int start = mid < 0 ? -1 : lastWaited(mid - 1, arrivals[end] - 2 * SPAN_MICROS);
        if (start < 0) {
            return Double.NaN;
        }
        double first = rate(start, mid);
        double second = rate(mid, end);
        if (Math.abs(first - second) > STEADY_TOLERANCE * second) {
            return Double.NaN;
        }
        return rate(start, end);
    }

    /** The rate of the last second of frames that ends on a waited-for frame, steady or not; NaN without one. */
    double lastSecondFps() {
        int end = lastWaited(count - 1, Long.MAX_VALUE);
        int mid = end < 0 ? -1 : lastWaited(end - 1, arrivals[end] - SPAN_MICROS);
        return mid < 0 ? Double.NaN : rate(mid, end);
    }

    private double rate(int from, int to) {
        return (to - from) * 1_000_000.0 / (arrivals[to] - arrivals[from]);
    }

    /** The last waited-for frame at or before index {@code from} that arrived at or before {@code notAfter}, or -1. */
    private int lastWaited(int from, long notAfter) {
        for (int i = from; i >= 0; i--) {
            if (waited[i] && arrivals[i] <= notAfter) {
                return i;
            }
        }
        return -1;
    }
}
