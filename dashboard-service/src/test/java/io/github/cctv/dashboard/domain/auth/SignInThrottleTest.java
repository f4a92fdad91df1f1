package io.github.cctv.dashboard.domain.auth;

import io.github.cctv.testing.MutableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class SignInThrottleTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
    private final SignInThrottle throttle = new SignInThrottle(5, Duration.ofMinutes(1), clock);

    @Test
    void refusesAnAddressAfterFiveFailuresUntilTheOldestLeavesTheWindow() {
        for (int i = 0; i < 5; i++) {
            assertThat(throttle.retryAfter("10.0.0.1")).isEmpty();
            throttle.failed("10.0.0.1");
            clock.advance(Duration.ofSeconds(10));
        }
        // failures at 0, 10, 20, 30, 40 s; now 50 s: the first leaves the window at 60 s
        assertThat(throttle.retryAfter("10.0.0.1")).contains(Duration.ofSeconds(10));
        assertThat(throttle.retryAfter("10.0.0.2")).isEmpty();
        clock.advance(Duration.ofSeconds(10));
        assertThat(throttle.retryAfter("10.0.0.1")).isEmpty();
    }

    @Test
    void successForgetsTheFailures() {
        for (int i = 0; i < 4; i++) {
            throttle.failed("10.0.0.3");
        }
        throttle.succeeded("10.0.0.3");
        throttle.failed("10.0.0.3");
        assertThat(throttle.retryAfter("10.0.0.3")).isEmpty();
    }

}
