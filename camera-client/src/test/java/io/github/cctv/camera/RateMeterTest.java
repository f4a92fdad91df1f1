package io.github.cctv.camera;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class RateMeterTest {

    private final Random random = new Random(7);
    private final long[] arrivals = new long[1000];
    private final boolean[] waited = new boolean[1000];
    private int n;
    private long t = 1_764_072_000_000_000L;

    /** {@code count} frames at {@code fps} that the reader waited for, each read up to {@code jitterMicros} late. */
    private void live(int count, double fps, long jitterMicros) {
        long start = t;
        for (int i = 0; i < count; i++) {
            long due = start + Math.round(i * 1_000_000 / fps);
            long late = jitterMicros == 0 ? 0 : (long) (random.nextDouble() * jitterMicros);
            long at = Math.max(n > 0 ? arrivals[n - 1] : 0, due + late);
            waited[n] = true; // the reader waited for it
            arrivals[n++] = at;
        }
        t = start + Math.round(count * 1_000_000 / fps);
    }

    /** {@code count} frames read back to back, {@code spacingMicros} apart: buffered, or a camera catching up. */
    private void burst(int count, long spacingMicros) {
        for (int i = 0; i < count; i++) {
            waited[n] = false;
            arrivals[n++] = t;
            t += spacingMicros;
        }
    }

    /** The next {@code count} frames held up, then read back to back at the end of the hold-up. */
    private void stall(int count, double fps, long spacingMicros) {
        long end = t + Math.round(count * 1_000_000 / fps);
        for (int i = 0; i < count; i++) {
            waited[n] = false;
            arrivals[n++] = end + i * spacingMicros;
        }
        t = end;
    }

    private double fps() {
        RateMeter meter = new RateMeter(1000);
        for (int i = 0; i < n; i++) {
            meter.arrived(arrivals[i], waited[i]);
        }
        return meter.fps();
    }

    @Test
    void measuresASteadyStream() {
        live(70, 30, 5_000);
        assertThat(fps()).isCloseTo(30, within(0.6));
        n = 0;
        live(60, 25, 5_000);
        assertThat(GrabberSource.snap(fps())).isEqualTo(25);
    }

    @Test
    void aBurstOfBufferedFramesAtTheStartDoesNotRaiseTheRate() {
        // 50 frames read while the stream was probed and the reader starved come out at once, then the camera's 30 fps
        burst(50, 200);
        live(70, 30, 8_000);
        assertThat(fps()).isCloseTo(30, within(0.6));
        // what counting the frames over the first second gave: about 79
        int inFirstSecond = 0;
        while (inFirstSecond < n && arrivals[inFirstSecond] - arrivals[0] <= 1_000_000) {
            inFirstSecond++;
        }
        assertThat(inFirstSecond).isGreaterThan(75);
    }

    @Test
    void aCameraCatchingUpAfterASlowStartIsWaitedOut() {
        // the client was slow to read at first: the camera sends what it owes as fast as it is taken, every frame
        // waited for, for 1.5 s, then keeps its 30 fps
        for (int i = 0; i < 90; i++) {
            waited[n] = true;
            arrivals[n++] = t;
            t += 16_700;
        }
        assertThat(fps()).as("still catching up: no rate yet").isNaN();
        live(40, 30, 3_000);
        assertThat(fps()).as("one steady second is not two").isNaN();
        live(40, 30, 3_000);
        assertThat(GrabberSource.snap(fps())).isEqualTo(30);
    }

    @Test
    void aStallInTheMiddleDoesNotChangeTheRate() {
        live(20, 30, 3_000);
        stall(40, 30, 4_000); // held up, then read back to back
        live(61, 30, 3_000);
        stall(10, 30, 1_000); // the reader starved for a moment
        live(31, 30, 3_000);
        assertThat(GrabberSource.snap(fps())).isEqualTo(30);
    }

    @Test
    void framesBufferedWhileProbingDoNotStartASpan() {
        // 20 frames FFmpeg read while probing (650 ms of the camera), handed out at once when probing ends
        stall(20, 30, 300);
        live(70, 30, 3_000);
        assertThat(GrabberSource.snap(fps())).isEqualTo(30);
    }

    @Test
    void aSlowCameraIsNotRoundedUp() {
        burst(20, 500);
        live(30, 12.5, 10_000);
        assertThat(GrabberSource.snap(fps())).isEqualTo(12.5);
    }

    @Test
    void noRateFromLessThanTwoSeconds() {
        live(50, 30, 0);
        assertThat(fps()).isNaN();
        RateMeter meter = new RateMeter(3);
        assertThat(meter.fps()).isNaN();
        assertThat(meter.lastSecondFps()).isNaN();
        meter.arrived(0, true);
        meter.arrived(1_000_000, true);
        meter.arrived(2_000_000, true);
        meter.arrived(2_100_000, true); // beyond its capacity: the first arrivals are kept
        assertThat(meter.count()).isEqualTo(3);
        assertThat(meter.fps()).isCloseTo(1, within(1e-9));
        assertThat(meter.lastSecondFps()).isCloseTo(1, within(1e-9));
    }
}
