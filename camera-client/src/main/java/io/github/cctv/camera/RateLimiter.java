package io.github.cctv.camera;

/**
 * Thins a stream to at most a given rate: a frame is kept when its time is no earlier than a quarter
 * period before its slot, so a 30 fps camera thinned to 15 keeps every other frame despite jitter. By the
 * stream's own timestamps where it has them, so that a burst of buffered frames is thinned like the
 * live ones. Not thread-safe.
 */
final class RateLimiter {

    private final long periodMicros;
    private long next = Long.MIN_VALUE;

    RateLimiter(double fps) {
        if (!(fps > 0)) {
            throw new IllegalArgumentException("rate " + fps);
        }
        this.periodMicros = Math.round(1_000_000 / fps);
    }

    /** @param nowMicros the frame's time: its timestamp in the stream where it has one, else its arrival */
    boolean take(long nowMicros) {
        if (next != Long.MIN_VALUE && nowMicros < next - 3 * periodMicros) {
            next = Long.MIN_VALUE; // time went backwards (the stream restarted): slots start again from here
        }
        if (next != Long.MIN_VALUE && nowMicros < next - periodMicros / 4) {
            return false;
        }
        next = next == Long.MIN_VALUE || next + periodMicros < nowMicros - periodMicros
                ? nowMicros + periodMicros // first frame, or fell far behind: slots start from here
                : next + periodMicros;
        return true;
    }
}
