package io.github.cctv.ingest.endpoint;

import io.github.cctv.testing.MutableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class AddressRateLimitTest {

    final MutableClock clock = new MutableClock(Instant.parse("2026-11-25T12:00:00Z"));

    @Test
    void letsABurstThroughThenRefusesUntilTheBucketRefills() {
        AddressRateLimit limit = new AddressRateLimit(5, 10, 100, clock);
        for (int i = 0; i < 10; i++) {
            assertThat(limit.tryAcquire("10.0.0.1")).isTrue();
        }
        assertThat(limit.tryAcquire("10.0.0.1")).isFalse();
        assertThat(limit.retryAfterSeconds("10.0.0.1")).isEqualTo(1);
        assertThat(limit.tryAcquire("10.0.0.2")).as("another address").isTrue();
        clock.advance(Duration.ofMillis(400));
        assertThat(limit.tryAcquire("10.0.0.1")).isTrue();
        assertThat(limit.tryAcquire("10.0.0.1")).isTrue();
        assertThat(limit.tryAcquire("10.0.0.1")).isFalse();
    }

    @Test
    void remembersABoundedNumberOfAddressesForgettingTheLeastRecentlySeen() {
        AddressRateLimit limit = new AddressRateLimit(1, 1, 50, clock);
        assertThat(limit.tryAcquire("busy")).isTrue();
        for (int i = 0; i < 10_000; i++) {
            limit.tryAcquire("10." + (i >> 16) + "." + ((i >> 8) & 255) + "." + (i & 255));
            if (i % 20 == 0) {
                assertThat(limit.tryAcquire("busy")).as("the busy address stays remembered, and limited").isFalse();
            }
        }
        assertThat(limit.size()).isEqualTo(50);
    }
}
