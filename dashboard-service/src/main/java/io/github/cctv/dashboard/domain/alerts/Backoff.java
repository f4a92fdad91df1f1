package io.github.cctv.dashboard.domain.alerts;

import java.time.Duration;

/**
 * Retry schedule of one delivery: attempt 1 at once, then waits of {@code initial}, 2×, 4×… capped at {@code max},
 * for at most {@code maxAttempts} attempts in all; after the last failure the delivery is given up.
 */
public record Backoff(Duration initial, Duration max, int maxAttempts) {

    public Backoff {
        if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0 || maxAttempts < 1) {
            throw new IllegalArgumentException("webhook backoff needs initial > 0, max >= initial and attempts >= 1, not "
                    + initial + ", " + max + ", " + maxAttempts);
        }
    }

    /** Whether another attempt follows a failed attempt number {@code attempt} (1-based). */
    public boolean retriesAfter(int attempt) {
        return attempt < maxAttempts;
    }

    /** The wait before attempt number {@code attempt} (2 or more): initial × 2^(attempt−2), at most {@code max}. */
    public Duration delayBefore(int attempt) {
        if (attempt < 2) {
            return Duration.ZERO;
        }
        int doublings = Math.min(attempt - 2, 40);
        long ms = initial.toMillis();
        for (int i = 0; i < doublings && ms < max.toMillis(); i++) {
            ms *= 2;
        }
        return Duration.ofMillis(Math.min(ms, max.toMillis()));
    }

    /** The longest a delivery can take in waits alone, from its first attempt to its last. */
    public Duration totalWait() {
        Duration sum = Duration.ZERO;
        for (int a = 2; a <= maxAttempts; a++) {
            sum = sum.plus(delayBefore(a));
        }
        return sum;
    }
}
