package io.github.cctv.ingest.domain;

import io.github.cctv.protocol.wire.Codec;
import org.junit.jupiter.api.Test;

import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;

class FrameCheckTest {

    /** The IDR access unit of docs/protocol.md: SPS, PPS and IDR slice of a real libopenh264 16x16 picture. */
    static final byte[] IDR = HexFormat.of().parseHex("0000000167" + "42d00b8c69c807844235"
            + "0000000168ce3c80" + "0000000165b8000409e231401ff0");
    /** The P frame that follows it there. */
    static final byte[] P = HexFormat.of().parseHex("0000000161e0007e409ea0");

    static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replace(" ", ""));
    }

    @Test
    void acceptsAJpegFromSoiToEoi() {
        assertThat(FrameCheck.problem(Codec.JPEG, hex("ffd8ffd9"), true)).isNull();
        assertThat(FrameCheck.problem(Codec.JPEG, hex("ffd8 ffe0 0010 4a46 4946 00 ffd9"), false)).isNull();
    }

    @Test
    void refusesAJpegWithoutSoiOrEoiAndSaysWhichBytesItFound() {
        assertThat(FrameCheck.problem(Codec.JPEG, hex("89504e470d0a1a0a"), true)).contains("SOI", "89 50 4E 47");
        assertThat(FrameCheck.problem(Codec.JPEG, hex("ffd8ffe000100000"), true)).contains("EOI", "00 10 00 00");
        assertThat(FrameCheck.problem(Codec.JPEG, hex("ffd8"), true)).contains("SOI");
        assertThat(FrameCheck.problem(Codec.JPEG, hex("ffd9ffd8"), true)).contains("SOI");
    }

    @Test
    void acceptsTheProtocolDocumentsH264FramesWithThreeAndFourByteStartCodes() {
        assertThat(FrameCheck.problem(Codec.H264, IDR, true)).isNull();
        assertThat(FrameCheck.problem(Codec.H264, P, false)).isNull();
        byte[] aud3 = hex("000001 09f0 000001 67 42d00b8c69c807844235 000001 68ce3c80 000001 65b8000409e231401ff0 0000");
        assertThat(FrameCheck.problem(Codec.H264, aud3, true)).isNull();
    }

    @Test
    void refusesH264ThatIsNotAnnexB() {
        // the same IDR in the length-prefixed form of MP4 (avcC)
        byte[] avcc = hex("0000000b 6742d00b8c69c807844235 00000004 68ce3c80 0000000a 65b8000409e231401ff0");
        assertThat(FrameCheck.problem(Codec.H264, avcc, true)).contains("Annex B", "start code");
        assertThat(FrameCheck.problem(Codec.H264, hex("ffd8ffd9"), true)).contains("Annex B");
    }

    @Test
    void aKeyFrameMustHoldAnIdrAndItsParameterSetsBeforeIt() {
        assertThat(FrameCheck.problem(Codec.H264, P, true)).contains("no IDR slice");
        assertThat(FrameCheck.problem(Codec.H264, hex("0000000165b8000409e231401ff0"), true))
                .contains("an SPS (NAL type 7) and a PPS (NAL type 8)");
        assertThat(FrameCheck.problem(Codec.H264, hex("0000000167 42d00b8c69c807844235 0000000165b8000409e231401ff0"), true))
                .contains("a PPS (NAL type 8)");
        assertThat(FrameCheck.problem(Codec.H264, hex("0000000165b8000409e231401ff0 0000000167 42d00b8c69c807844235 0000000168ce3c80"), true))
                .contains("after its first IDR slice");
    }

    @Test
    void theKeyFlagMustMatchTheContent() {
        assertThat(FrameCheck.problem(Codec.H264, IDR, false)).contains("IDR slice", "not flagged key frame");
        byte[] spsAndP = hex("0000000167 42d00b8c69c807844235 0000000168ce3c80 0000000161e0007e409ea0");
        assertThat(FrameCheck.problem(Codec.H264, spsAndP, false)).as("parameter sets in a non-IDR frame are fine").isNull();
    }

    @Test
    void refusesBytesThatCannotBeH264NalUnits() {
        assertThat(FrameCheck.problem(Codec.H264, hex("00000001 e5 1234"), false)).contains("forbidden_zero_bit");
    }
}
