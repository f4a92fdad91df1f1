package io.github.cctv.camera;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * Exponential backoff with jitter: the ceiling doubles from {@code initial} up to {@code max} after each
 * failure, and each delay is drawn between half the ceiling and the ceiling, so that many cameras cut off
 * by the same outage do not all knock again in the same millisecond.
 */
final class Backoff {

    private final long initialNanos;
    private final long maxNanos;
    private final DoubleSupplier random;
    private long ceilingNanos;

    Backoff(Duration initial, Duration max, DoubleSupplier random) {
        if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("backoff needs 0 < initial <= max, got " + initial + ", " + max);
        }
        this.initialNanos = initial.toNanos();
        this.maxNanos = max.toNanos();
        this.random = random;
        this.ceilingNanos = initialNanos;
    }

    /** The delay before the next attempt; each call doubles the ceiling for the one after. */
    long nextDelayNanos() {
        long ceiling = ceilingNanos;
        ceilingNanos = Math.min(maxNanos, ceilingNanos * 2);
        return (long) (ceiling * (0.5 + 0.5 * random.getAsDouble()));
    }

    /** After a successful session: start again from the initial delay. */
    void reset() {
        ceilingNanos = initialNanos;
    }
}
