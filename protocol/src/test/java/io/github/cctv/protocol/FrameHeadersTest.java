package io.github.cctv.protocol;

import io.github.cctv.protocol.FrameHeaders.InvalidFrameHeadersException;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FrameHeadersTest {

    private static Map<String, String> written(FrameMetadata m) {
        Map<String, String> h = new LinkedHashMap<>();
        FrameHeaders.write(m, h::put);
        return h;
    }

    private static Map<String, String> required() {
        Map<String, String> h = new HashMap<>();
        h.put(FrameHeaders.SEQ, "7");
        h.put(FrameHeaders.CAPTURE_US, "1764072000000000");
        h.put(FrameHeaders.INGEST_US, "1764072000000123");
        return h;
    }

    @Test
    void roundTripsEveryFieldIncludingASequenceAboveTheSignedRange() {
        FrameMetadata m = new FrameMetadata(-2L, 1_764_072_000_000_001L, 1_764_072_000_000_999L, "h264", 1920, 1080, false);
        Map<String, String> h = written(m);
        assertThat(h).containsEntry(FrameHeaders.SEQ, "18446744073709551614")
                .containsEntry(FrameHeaders.CAPTURE_US, "1764072000000001")
                .containsEntry(FrameHeaders.INGEST_US, "1764072000000999")
                .containsEntry(FrameHeaders.CODEC, "h264")
                .containsEntry(FrameHeaders.WIDTH, "1920")
                .containsEntry(FrameHeaders.HEIGHT, "1080")
                .containsEntry(FrameHeaders.KEY_FRAME, "0");
        assertThat(FrameHeaders.read(h::get)).isEqualTo(m);
    }

    @Test
    void ignoresHeadersItDoesNotKnow() {
        Map<String, String> h = written(new FrameMetadata(1, 2, 3, "jpeg", 640, 480, true));
        h.put("Cctv-Stream", "sub");
        h.put("Nats-Msg-Id", "x");
        assertThat(FrameHeaders.read(h::get)).isEqualTo(new FrameMetadata(1, 2, 3, "jpeg", 640, 480, true));
    }

    @Test
    void fillsOptionalHeadersWithTheirDefaults() {
        assertThat(FrameHeaders.read(required()::get))
                .isEqualTo(new FrameMetadata(7, 1_764_072_000_000_000L, 1_764_072_000_000_123L, "jpeg", 0, 0, true));
        Map<String, String> h264 = required();
        h264.put(FrameHeaders.CODEC, "h264");
        assertThat(FrameHeaders.read(h264::get).keyFrame()).as("an H.264 frame is no key frame unless it says so").isFalse();
    }

    @Test
    void namesTheMissingRequiredHeader() {
        for (String name : new String[]{FrameHeaders.SEQ, FrameHeaders.CAPTURE_US, FrameHeaders.INGEST_US}) {
            Map<String, String> h = required();
            h.remove(name);
            assertThatThrownBy(() -> FrameHeaders.read(h::get)).isInstanceOf(InvalidFrameHeadersException.class)
                    .hasMessage("header " + name + " is missing");
        }
    }

    @Test
    void namesTheMalformedHeaderAndWhatWasExpected() {
        assertMalformed(FrameHeaders.SEQ, "-1", "unsigned");
        assertMalformed(FrameHeaders.SEQ, "18446744073709551616", "unsigned");
        assertMalformed(FrameHeaders.CAPTURE_US, "soon", "microseconds");
        assertMalformed(FrameHeaders.INGEST_US, "", "microseconds");
        assertMalformed(FrameHeaders.WIDTH, "wide", "pixels");
        assertMalformed(FrameHeaders.HEIGHT, "-480", "pixels");
        assertMalformed(FrameHeaders.KEY_FRAME, "yes", "1 or 0");
        assertMalformed(FrameHeaders.CODEC, " ", "codec");
    }

    @Test
    void neverEchoesControlCharactersOrLongValuesIntoTheMessage() {
        Map<String, String> h = required();
        h.put(FrameHeaders.SEQ, "1\r\n" + "9".repeat(100));
        assertThatThrownBy(() -> FrameHeaders.read(h::get)).hasMessageNotContaining("\r").hasMessageContaining("…")
                .hasMessageContaining("1??9");
    }

    private static void assertMalformed(String name, String value, String expected) {
        Map<String, String> h = required();
        h.put(name, value);
        assertThatThrownBy(() -> FrameHeaders.read(h::get)).as(name + "=" + value)
                .isInstanceOf(InvalidFrameHeadersException.class)
                .hasMessageContaining(name).hasMessageContaining(expected);
    }
}
