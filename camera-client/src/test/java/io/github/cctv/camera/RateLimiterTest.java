package io.github.cctv.camera;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RateLimiterTest {

    @Test
    void aThirtyFpsStreamThinnedToFifteenKeepsEveryOtherFrameDespiteJitter() {
        RateLimiter r = new RateLimiter(15);
        int kept = 0;
        StringBuilder pattern = new StringBuilder();
        for (int i = 0; i < 300; i++) {
            long jitter = (i * 7919L % 11) * 1000 - 5000; // +-5 ms
            boolean k = r.take(i * 33_333L + jitter);
            kept += k ? 1 : 0;
            if (i < 8) {
                pattern.append(k ? 'x' : '.');
            }
        }
        assertThat(kept).isEqualTo(150);
        assertThat(pattern.toString()).isEqualTo("x.x.x.x.");
    }

    @Test
    void aSlowerStreamKeepsEverything() {
        RateLimiter r = new RateLimiter(30);
        for (int i = 0; i < 50; i++) {
            assertThat(r.take(i * 100_000L)).isTrue();
        }
    }

    @Test
    void timeGoingBackwardsStartsTheSlotsAgain() {
        RateLimiter r = new RateLimiter(10);
        assertThat(r.take(5_000_000)).isTrue();
        assertThat(r.take(5_050_000)).isFalse();
        // the stream restarted its timestamps: the next frame is kept, not refused for 5 s
        assertThat(r.take(0)).isTrue();
        assertThat(r.take(50_000)).isFalse();
        assertThat(r.take(100_000)).isTrue();
    }
}
