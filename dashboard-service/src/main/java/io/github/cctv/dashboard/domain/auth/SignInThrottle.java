package io.github.cctv.dashboard.domain.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts failed sign-ins per client address over a sliding window; an address with {@code maxFailures} failures in
 * the window is refused until the oldest of them leaves it. Guessing a password then takes years, not minutes.
 */
public final class SignInThrottle {

    /** Beyond this many tracked addresses, addresses with no failure left in the window are forgotten. */
    private static final int PRUNE_ABOVE = 10_000;

    private final int maxFailures;
    private final Duration window;
    private final Clock clock;
    private final Map<String, Deque<Instant>> failures = new ConcurrentHashMap<>();

    public SignInThrottle(int maxFailures, Duration window, Clock clock) {
        if (maxFailures < 1) {
            throw new IllegalArgumentException("max failures must be at least 1");
        }
        this.maxFailures = maxFailures;
        this.window = window;
        this.clock = clock;
    }

    /** How long {@code address} must wait before it may try again, or empty when it may try now. */
    public Optional<Duration> retryAfter(String address) {
        Deque<Instant> times = failures.get(address);
        if (times == null) {
            return Optional.empty();
        }
        synchronized (times) {
            Instant now = clock.instant();
            expire(times, now);
            if (times.size() < maxFailures) {
                return Optional.empty();
            }
            Duration wait = Duration.between(now, times.peekFirst().plus(window));
            return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
        }
    }

    /** Records a failed sign-in from {@code address}. */
    public void failed(String address) {
        if (failures.size() > PRUNE_ABOVE) {
            prune();
        }
        Deque<Instant> times = failures.computeIfAbsent(address, a -> new ArrayDeque<>());
        synchronized (times) {
            Instant now = clock.instant();
            expire(times, now);
            times.addLast(now);
            while (times.size() > maxFailures) {
                times.removeFirst();
            }
        }
    }

    /** A successful sign-in forgets the address's failures. */
    public void succeeded(String address) {
        failures.remove(address);
    }

    private void expire(Deque<Instant> times, Instant now) {
        Instant cutoff = now.minus(window);
        while (!times.isEmpty() && !times.peekFirst().isAfter(cutoff)) {
            times.removeFirst();
        }
    }

    private void prune() {
        Instant now = clock.instant();
        failures.values().removeIf(times -> {
            synchronized (times) {
                expire(times, now);
                return times.isEmpty();
            }
        });
    }
}
