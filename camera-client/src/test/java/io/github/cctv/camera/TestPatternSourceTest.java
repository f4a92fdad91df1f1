package io.github.cctv.camera;

import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestPatternSourceTest {

    private static final Instant T = Instant.parse("2025-01-02T03:04:05Z");

    @Test
    void framesDifferFromOneAnotherAndCarryAReadableCounter() throws Exception {
        try (TestPatternSource src = new TestPatternSource("Yard", 640, 360, 0.8f)) {
            Set<String> distinct = new HashSet<>();
            for (long n = 1; n <= 5; n++) {
                byte[] jpeg = src.jpeg(n, T); // same time: only the counter and the moving square change
                distinct.add(java.util.Arrays.toString(jpeg));
                BufferedImage img = ImageIO.read(new ByteArrayInputStream(jpeg));
                assertThat(img.getWidth()).isEqualTo(640);
                assertThat(img.getHeight()).isEqualTo(360);
                assertThat(TestPatternSource.readCounter(img)).hasValue(n);
            }
            assertThat(distinct).hasSize(5);
        }
    }

    @Test
    void counterSurvivesLowQualityLargeValuesAndSmallSizes() {
        long[] counters = {0, 1, 0x5555_5555L, 0xFFFF_FFFFL, 123_456_789};
        int[][] sizes = {{1280, 720}, {320, 240}, {160, 120}};
        for (int[] size : sizes) {
            try (TestPatternSource src = new TestPatternSource("cam", size[0], size[1], 0.3f)) {
                for (long n : counters) {
                    assertThat(TestPatternSource.readCounter(src.jpeg(n, T))).as("%s at %dx%d", n, size[0], size[1]).hasValue(n);
                }
            }
        }
    }

    @Test
    void readsNoCounterFromAnImageWithoutTheStrip() {
        BufferedImage grey = new BufferedImage(320, 240, BufferedImage.TYPE_3BYTE_BGR);
        assertThat(TestPatternSource.readCounter(grey)).isEmpty();
        assertThat(TestPatternSource.readCounter(new byte[] {1, 2, 3})).isEmpty();
    }

    @Test
    void fullHdFrameIsARealisticSize() {
        try (TestPatternSource src = new TestPatternSource("cam", 1280, 720, 0.8f)) {
            // flat synthetic pictures compress to a few KB; real 720p camera JPEGs are around 100 KB
            assertThat(src.jpeg(1, T).length).isBetween(50_000, 250_000);
        }
    }

    @Test
    void qualityIsTakenAsAFractionOrAPercentage() {
        assertThat(JpegEncoder.normalizeQuality(0.8)).isEqualTo(0.8f);
        assertThat(JpegEncoder.normalizeQuality(80)).isEqualTo(0.8f);
        assertThat(JpegEncoder.normalizeQuality(1)).isEqualTo(1f);
        assertThatThrownBy(() -> JpegEncoder.normalizeQuality(101)).hasMessageContaining("0..1 or 1..100");
        assertThatThrownBy(() -> JpegEncoder.normalizeQuality(-1)).isInstanceOf(IllegalArgumentException.class);
    }
}
