package io.github.cctv.camera;

import org.junit.jupiter.api.Test;

import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ParameterSetsTest {

    private static final HexFormat HEX = HexFormat.of();
    private static final String SPS = "6742c01fda01";
    private static final String PPS = "68ce3c80";
    private static final String AUD = "0910";
    private static final String IDR = "65888400ff";
    private static final String P = "419a2211";

    private static byte[] hex(String s) {
        return HEX.parseHex(s);
    }

    @Test
    void splitsNalUnitsBehindThreeAndFourByteStartCodes() {
        byte[] au = hex("00000001" + AUD + "000001" + SPS + "00000001" + IDR);
        List<AnnexB.Nal> units = AnnexB.units(au);
        assertThat(units).extracting(AnnexB.Nal::type).containsExactly(9, 7, 5);
        assertThat(AnnexB.isIdr(au)).isTrue();
        assertThat(AnnexB.isIdr(hex("00000001" + P))).isFalse();
        assertThat(AnnexB.units(hex("6742c0"))).as("no start code: not Annex B").isEmpty();
    }

    @Test
    void insertsTheExtradataParameterSetsAfterTheDelimiterOfAnIdrThatLacksThem() {
        ParameterSets ps = new ParameterSets(hex("00000001" + SPS + "00000001" + PPS));
        byte[] idr = hex("00000001" + AUD + "00000001" + IDR);
        assertThat(HEX.formatHex(ps.complete(idr)))
                .isEqualTo("00000001" + AUD + "00000001" + SPS + "00000001" + PPS + "00000001" + IDR);
        assertThat(ps.inserted()).isEqualTo(1);
    }

    @Test
    void leavesEverythingElseByteForByte() {
        ParameterSets ps = new ParameterSets(hex("00000001" + SPS + "00000001" + PPS));
        byte[] p = hex("00000001" + AUD + "00000001" + P);
        assertThat(ps.complete(p)).isSameAs(p);
        byte[] complete = hex("000001" + SPS + "000001" + PPS + "000001" + IDR);
        assertThat(ps.complete(complete)).isSameAs(complete);
        assertThat(ps.inserted()).isZero();
    }

    @Test
    void withoutADelimiterTheParameterSetsGoFirst() {
        ParameterSets ps = new ParameterSets(hex("00000001" + SPS + "00000001" + PPS));
        assertThat(HEX.formatHex(ps.complete(hex("000001" + IDR))))
                .isEqualTo("00000001" + SPS + "00000001" + PPS + "000001" + IDR);
    }

    @Test
    void theLatestInBandParameterSetsWinOverTheExtradata() {
        ParameterSets ps = new ParameterSets(hex("00000001" + SPS + "00000001" + PPS));
        String newSps = "6764001facd9";
        String newPps = "68ebe3cb";
        ps.complete(hex("00000001" + newSps + "00000001" + newPps + "00000001" + IDR));
        assertThat(HEX.formatHex(ps.complete(hex("00000001" + IDR))))
                .isEqualTo("00000001" + newSps + "00000001" + newPps + "00000001" + IDR);
    }

    @Test
    void aMissingPpsGoesAfterTheSps() {
        ParameterSets ps = new ParameterSets(hex("00000001" + SPS + "00000001" + PPS));
        assertThat(HEX.formatHex(ps.complete(hex("00000001" + SPS + "00000001" + IDR))))
                .isEqualTo("00000001" + SPS + "00000001" + PPS + "00000001" + IDR);
    }

    @Test
    void withNothingKnownTheIdrIsLeftAlone() {
        ParameterSets ps = new ParameterSets(null);
        byte[] idr = hex("00000001" + IDR);
        assertThat(ps.complete(idr)).isSameAs(idr);
    }
}
