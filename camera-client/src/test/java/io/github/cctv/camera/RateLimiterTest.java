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
}
