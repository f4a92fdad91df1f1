package io.github.cctv.dashboard.domain.alerts;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BackoffTest {

    @Test
    void doublesFromTheInitialWaitUpToTheCap() {
        Backoff b = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(10), 7);
        assertThat(b.delayBefore(1)).isZero();
        assertThat(b.delayBefore(2)).isEqualTo(Duration.ofSeconds(1));
        assertThat(b.delayBefore(3)).isEqualTo(Duration.ofSeconds(2));
        assertThat(b.delayBefore(4)).isEqualTo(Duration.ofSeconds(4));
        assertThat(b.delayBefore(5)).isEqualTo(Duration.ofSeconds(8));
        assertThat(b.delayBefore(6)).isEqualTo(Duration.ofSeconds(10));
        assertThat(b.delayBefore(1000)).isEqualTo(Duration.ofSeconds(10));
        assertThat(b.totalWait()).isEqualTo(Duration.ofSeconds(1 + 2 + 4 + 8 + 10 + 10));
    }

    @Test
    void boundsTheNumberOfAttempts() {
        Backoff b = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(1), 3);
        assertThat(b.retriesAfter(1)).isTrue();
        assertThat(b.retriesAfter(2)).isTrue();
        assertThat(b.retriesAfter(3)).isFalse();
        assertThat(new Backoff(Duration.ofMillis(100), Duration.ofSeconds(1), 1).retriesAfter(1)).isFalse();
    }

    @Test
    void refusesNonsense() {
        assertThatThrownBy(() -> new Backoff(Duration.ZERO, Duration.ofSeconds(1), 3)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1), 3)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(1), 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
