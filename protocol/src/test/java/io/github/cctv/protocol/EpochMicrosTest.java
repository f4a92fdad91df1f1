package io.github.cctv.protocol;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;

class EpochMicrosTest {

    @Test
    void convertsBothWaysToTheMicrosecond() {
        Instant t = Instant.parse("2026-11-25T12:00:00.123456789Z");
        long us = EpochMicros.of(t);
        assertThat(us).isEqualTo(1_795_608_000_123_456L);
        assertThat(EpochMicros.toInstant(us)).isEqualTo(Instant.parse("2026-11-25T12:00:00.123456Z"));
        assertThat(EpochMicros.now(Clock.fixed(t, ZoneOffset.UTC))).isEqualTo(us);
    }

    @Test
    void handlesTimesBeforeTheEpoch() {
        Instant t = Instant.parse("1969-12-31T23:59:59.999999Z");
        assertThat(EpochMicros.of(t)).isEqualTo(-1);
        assertThat(EpochMicros.toInstant(-1)).isEqualTo(t);
    }
}
