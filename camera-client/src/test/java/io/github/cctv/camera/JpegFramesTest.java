package io.github.cctv.camera;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

class JpegFramesTest {

    @Test
    void aWholeJpegIsTheSameArray() {
        byte[] jpeg = new TestPatternSource("x", 160, 120, 0.8f).jpeg(1, Instant.EPOCH);
        assertThat(JpegFrames.whole(jpeg)).isSameAs(jpeg);
        assertThat(JpegFrames.hasHuffmanTables(jpeg)).isTrue();
    }

    @Test
    void paddingAfterTheEoiIsTrimmed() {
        byte[] jpeg = new TestPatternSource("x", 160, 120, 0.8f).jpeg(1, Instant.EPOCH);
        byte[] padded = Arrays.copyOf(jpeg, jpeg.length + 4);
        padded[jpeg.length] = '\r';
        padded[jpeg.length + 1] = '\n';
        assertThat(JpegFrames.whole(padded)).isEqualTo(jpeg);
    }

    @Test
    void aCutJpegOrOtherBytesAreNotAFrame() {
        byte[] jpeg = new TestPatternSource("x", 160, 120, 0.8f).jpeg(1, Instant.EPOCH);
        assertThat(JpegFrames.whole(Arrays.copyOf(jpeg, jpeg.length - 100))).isNull();
        assertThat(JpegFrames.whole(new byte[] {1, 2, 3, 4, 5})).isNull();
        assertThat(JpegFrames.whole(new byte[] {(byte) 0xFF, (byte) 0xD8})).isNull();
    }

    @Test
    void findsAJpegWithoutHuffmanTables() {
        // SOI, APP0 of 4 bytes, DQT of 4 bytes, SOS: the shape of a webcam's MJPEG frame
        byte[] noDht = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0, 0, 4, 1, 2,
                (byte) 0xFF, (byte) 0xDB, 0, 4, 3, 4, (byte) 0xFF, (byte) 0xDA, 0, 2, 9, (byte) 0xFF, (byte) 0xD9};
        assertThat(JpegFrames.hasHuffmanTables(noDht)).isFalse();
    }
}
