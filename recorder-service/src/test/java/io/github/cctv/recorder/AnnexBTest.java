package io.github.cctv.recorder;

import io.github.cctv.recorder.media.AnnexB;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class AnnexBTest {

    private static byte[] bytes(int... b) {
        byte[] out = new byte[b.length];
        for (int i = 0; i < b.length; i++) {
            out[i] = (byte) b[i];
        }
        return out;
    }

    @Test
    void splitsNalUnitsBehindThreeAndFourByteStartCodes() {
        byte[] au = bytes(0, 0, 0, 1, 0x67, 0xAA, 0, 0, 1, 0x68, 0xBB, 0, 0, 0, 0, 1, 0x65, 0x88, 0x80);
        List<AnnexB.Nal> nals = AnnexB.nalUnits(au);
        assertThat(nals).extracting(AnnexB.Nal::type).containsExactly(AnnexB.NAL_SPS, AnnexB.NAL_PPS, AnnexB.NAL_IDR);
        // trailing zero bytes and the zero byte of a four-byte start code are no part of a unit
        assertThat(nals).extracting(AnnexB.Nal::length).containsExactly(2, 2, 3);
        assertThat(AnnexB.isKeyframe(au)).isTrue();
        assertThat(AnnexB.firstSliceType(au)).isEqualTo(AnnexB.NAL_IDR);
        assertThat(AnnexB.parameterSets(au)).isEqualTo(bytes(0, 0, 0, 1, 0x67, 0xAA, 0, 0, 0, 1, 0x68, 0xBB));
    }

    @Test
    void anIdrWithoutItsParameterSetsIsNoStartingPoint() {
        assertThat(AnnexB.isKeyframe(bytes(0, 0, 1, 0x65, 0x88))).isFalse();
        assertThat(AnnexB.isKeyframe(bytes(0, 0, 1, 0x67, 1, 0, 0, 1, 0x65, 0x88))).as("no PPS").isFalse();
        assertThat(AnnexB.isKeyframe(bytes(0, 0, 1, 0x67, 1, 0, 0, 1, 0x68, 2, 0, 0, 1, 0x41, 0x9a)))
                .as("parameter sets before a non-IDR slice").isFalse();
        assertThat(AnnexB.firstSliceType(bytes(0, 0, 1, 0x09, 0xf0, 0, 0, 1, 0x41, 0x9a))).isEqualTo(AnnexB.NAL_SLICE);
    }

    @Test
    void garbageHoldsNoAccessUnit() {
        assertThat(AnnexB.startsWithStartCode(TestFrames.jpeg(1))).isFalse();
        assertThat(AnnexB.startsWithStartCode(bytes(0, 0, 1))).isFalse();
        assertThat(AnnexB.firstSliceType(bytes(1, 2, 3, 4))).isEqualTo(-1);
        assertThat(AnnexB.nalUnits(new byte[0])).isEmpty();
        assertThat(AnnexB.isKeyframe(new byte[0])).isFalse();
    }

    @Test
    void readsAnEncodersAccessUnits() {
        try (H264TestStream camera = new H264TestStream(160, 120, 10)) {
            for (int i = 0; i < 21; i++) {
                H264TestStream.AccessUnit au = camera.encode(i);
                assertThat(AnnexB.startsWithStartCode(au.data())).isTrue();
                assertThat(AnnexB.isKeyframe(au.data())).as("frame %d", i).isEqualTo(i % 10 == 0).isEqualTo(au.key());
            }
        }
    }
}
