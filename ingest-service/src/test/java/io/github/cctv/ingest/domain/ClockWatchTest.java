package io.github.cctv.ingest.domain;

import io.github.cctv.protocol.event.CameraEvent;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Optional;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class ClockWatchTest {

    static final long NOW_US = 1_764_072_000_000_000L;
    static final Instant NOW = Instant.ofEpochSecond(NOW_US / 1_000_000);

    @Test
    void theOffsetIsTheMedianSoJitterAndAStrayTimestampDoNotMoveIt() {
        ClockWatch w = new ClockWatch(3000);
        Random jitter = new Random(1);
        for (int i = 0; i < 64; i++) {
            long ingest = NOW_US + i * 40_000L;
            long delayUs = 5_000 + jitter.nextInt(200_000); // 5..205 ms on the way
            long capture = ingest - delayUs + 10_000_000L; // camera 10 s ahead
            w.sample(i == 30 ? -999_000_000_000L : capture, ingest);
        }
        assertThat(w.evaluate("cam1", NOW)).containsInstanceOf(CameraEvent.ClockSkewed.class);
        assertThat(w.offsetMs()).isBetween(9_790L, 9_995L);
    }

    @Test
    void saysNothingBeforeItHasEnoughFramesAndNothingForAClockWithinTheBound() {
        ClockWatch w = new ClockWatch(3000);
        w.sample(NOW_US + 2_900_000, NOW_US);
        w.sample(NOW_US + 2_900_000, NOW_US);
        assertThat(w.evaluate("cam1", NOW)).isEmpty();
        assertThat(w.offsetMs()).isNull();
        w.sample(NOW_US + 2_900_000, NOW_US);
        assertThat(w.evaluate("cam1", NOW)).isEmpty();
        assertThat(w.offsetMs()).isEqualTo(2_900);
        assertThat(w.skewed()).isFalse();
    }

    @Test
    void reportsOkOnlyOnceTheOffsetIsWellBackWithinTheBound() {
        ClockWatch w = new ClockWatch(4000);
        for (int i = 0; i < 64; i++) {
            w.sample(NOW_US - 5_000_000, NOW_US);
        }
        Optional<CameraEvent> skewed = w.evaluate("cam1", NOW);
        assertThat(skewed).get().isEqualTo(new CameraEvent.ClockSkewed("cam1", NOW, -5000, 4000));
        for (int i = 0; i < 64; i++) {
            w.sample(NOW_US - 3_500_000, NOW_US);
        }
        assertThat(w.evaluate("cam1", NOW)).as("within the bound, not within 3/4 of it").isEmpty();
        assertThat(w.skewed()).isTrue();
        for (int i = 0; i < 64; i++) {
            w.sample(NOW_US - 1_000_000, NOW_US);
        }
        assertThat(w.evaluate("cam1", NOW)).get().isEqualTo(new CameraEvent.ClockCorrected("cam1", NOW, -1000, 4000));
        assertThat(w.evaluate("cam1", NOW)).isEmpty();
    }

    @Test
    void captureTimesBefore2000OrADayAheadAreImplausible() {
        assertThat(ClockWatch.implausible(-1, NOW_US)).isTrue();
        assertThat(ClockWatch.implausible(Long.MIN_VALUE, NOW_US)).isTrue();
        assertThat(ClockWatch.implausible(ClockWatch.EARLIEST_PLAUSIBLE_US - 1, NOW_US)).isTrue();
        assertThat(ClockWatch.implausible(NOW_US + 86_400_000_001L, NOW_US)).isTrue();
        assertThat(ClockWatch.implausible(Long.MAX_VALUE, NOW_US)).isTrue();
        assertThat(ClockWatch.implausible(NOW_US - 40L * 86_400_000_000L, NOW_US)).as("40 days behind: skewed, not impossible").isFalse();
        assertThat(ClockWatch.implausible(NOW_US + 3_600_000_000L, NOW_US)).isFalse();
    }
}
