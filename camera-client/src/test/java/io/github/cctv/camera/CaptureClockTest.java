package io.github.cctv.camera;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CaptureClockTest {

    private static final long T0 = 1_764_072_000_000_000L;

    @Test
    void timestampsKeepTheCamerasSpacingDespiteJitter() {
        CaptureClock c = new CaptureClock();
        // 30 fps camera timestamps; arrivals delayed by 5 ms, sometimes by 25
        assertThat(c.captureMicros(0, T0 + 5_000)).isEqualTo(T0 + 5_000);
        assertThat(c.captureMicros(33_333, T0 + 33_333 + 25_000)).isEqualTo(T0 + 5_000 + 33_333);
        assertThat(c.captureMicros(66_667, T0 + 66_667 + 5_000)).isEqualTo(T0 + 5_000 + 66_667);
    }

    @Test
    void aFrameThatArrivedSoonerAfterCaptureMovesTheMapping() {
        CaptureClock c = new CaptureClock();
        // the first frames came out of a buffer, late: later ones show the real delay
        c.captureMicros(0, T0 + 900_000);
        assertThat(c.captureMicros(900_000, T0 + 905_000)).isEqualTo(T0 + 905_000);
        assertThat(c.captureMicros(933_333, T0 + 950_000)).isEqualTo(T0 + 905_000 + 33_333);
    }

    @Test
    void aJumpOrASlowCameraClockMapsAfresh() {
        CaptureClock c = new CaptureClock();
        c.captureMicros(0, T0);
        // timestamps restart after the camera rebooted: the frame would seem 5 s old
        assertThat(c.captureMicros(100, T0 + 5_000_000)).isEqualTo(T0 + 5_000_000);
        assertThat(c.captureMicros(33_433, T0 + 5_033_333)).isEqualTo(T0 + 5_033_333);
    }

    @Test
    void withoutTimestampsTheArrivalCountsAndTimeNeverGoesBack() {
        CaptureClock c = new CaptureClock();
        assertThat(c.captureMicros(CaptureClock.UNKNOWN, T0)).isEqualTo(T0);
        assertThat(c.captureMicros(CaptureClock.UNKNOWN, T0 - 10)).isEqualTo(T0 + 1);
    }
}
