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
    void ffmpegPutsTheStandardHuffmanTablesBackIntoAWebcamStyleJpeg() throws Exception {
        byte[] jpeg = new TestPatternSource("x", 320, 240, 0.8f).jpeg(7, Instant.EPOCH);
        byte[] stripped = withoutHuffmanTables(jpeg);
        assertThat(JpegFrames.hasHuffmanTables(stripped)).isFalse();

        org.bytedeco.ffmpeg.avcodec.AVCodecParameters mjpeg = org.bytedeco.ffmpeg.global.avcodec.avcodec_parameters_alloc();
        mjpeg.codec_id(org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_MJPEG);
        try (BitstreamFilter f = new BitstreamFilter("mjpeg2jpeg", mjpeg, null)) {
            byte[] whole = f.filter(stripped);
            assertThat(JpegFrames.hasHuffmanTables(whole)).isTrue();
            assertThat(JpegFrames.whole(whole)).isSameAs(whole);
            assertThat(whole.length).isGreaterThan(stripped.length + 400); // the 420-byte DHT segment
            // ImageIO wrote the standard tables in the first place: the picture decodes again, counter and all
            assertThat(TestPatternSource.readCounter(whole)).hasValue(7);
        }
    }

    /** {@code jpeg} without its DHT segments, as USB webcams send MJPEG. */
    private static byte[] withoutHuffmanTables(byte[] jpeg) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.write(jpeg, 0, 2);
        int i = 2;
        while (true) {
            int marker = jpeg[i + 1] & 0xFF;
            if (marker == 0xDA) {
                out.write(jpeg, i, jpeg.length - i);
                return out.toByteArray();
            }
            int length = ((jpeg[i + 2] & 0xFF) << 8) | (jpeg[i + 3] & 0xFF);
            if (marker != 0xC4) {
                out.write(jpeg, i, 2 + length);
            }
            i += 2 + length;
        }
    }

    @Test
    void findsAJpegWithoutHuffmanTables() {
        // SOI, APP0 of 4 bytes, DQT of 4 bytes, SOS: the shape of a webcam's MJPEG frame
        byte[] noDht = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0, 0, 4, 1, 2,
                (byte) 0xFF, (byte) 0xDB, 0, 4, 3, 4, (byte) 0xFF, (byte) 0xDA, 0, 2, 9, (byte) 0xFF, (byte) 0xD9};
        assertThat(JpegFrames.hasHuffmanTables(noDht)).isFalse();
    }
}
