package io.github.cctv.camera;

import io.github.cctv.protocol.wire.Codec;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SourcePlanTest {

    private static final SourcePlan.Probe RTSP = new SourcePlan.Probe("h264", Codec.H264, 1280, 720, 30, false);
    private static final SourcePlan.Probe MJPEG_HTTP = new SourcePlan.Probe("mjpeg", Codec.JPEG, 1280, 720, Double.NaN, false);
    private static final SourcePlan.Probe RAW = new SourcePlan.Probe("rawvideo", null, 640, 480, 30, false);

    @Test
    void anEncodedCameraPassesThroughAsItSends() {
        SourcePlan plan = SourcePlan.decide(SourceRequest.asSent(), RTSP);
        assertThat(plan.passThrough()).isTrue();
        assertThat(plan).extracting(SourcePlan::codec, SourcePlan::width, SourcePlan::height, SourcePlan::fps)
                .containsExactly(Codec.H264, 1280, 720, 30.0);
        assertThat(Double.isNaN(plan.thinTo())).isTrue();
    }

    @Test
    void askingForWhatTheCameraSendsStillPassesThrough() {
        SourceRequest same = SourceRequest.asSent().withSize(1280, 720).withFps(30).withCodec(Codec.H264);
        assertThat(SourcePlan.decide(same, RTSP).passThrough()).isTrue();
    }

    @Test
    void aDifferentSizeRateOrCodecOrTranscodeEncodesAgain() {
        assertThat(SourcePlan.decide(SourceRequest.asSent().withSize(640, 360), RTSP).reason()).contains("--size 640x360");
        assertThat(SourcePlan.decide(SourceRequest.asSent().withFps(15), RTSP).reason()).contains("--fps 15");
        assertThat(SourcePlan.decide(SourceRequest.asSent().withCodec(Codec.JPEG), RTSP).reason()).contains("--codec jpeg");
        SourcePlan t = SourcePlan.decide(SourceRequest.asSent().withTranscode(true), RTSP);
        assertThat(t.reason()).contains("--transcode");
        assertThat(t.codec()).isEqualTo(Codec.H264);
        assertThat(t.fps()).isEqualTo(30.0);
    }

    @Test
    void rawAndBFramesAreEncoded() {
        SourcePlan raw = SourcePlan.decide(SourceRequest.asSent(), RAW);
        assertThat(raw.reason()).contains("rawvideo");
        assertThat(raw.codec()).isEqualTo(Codec.H264);
        SourcePlan.Probe bFrames = new SourcePlan.Probe("h264", Codec.H264, 1280, 720, 25, true);
        assertThat(SourcePlan.decide(SourceRequest.asSent(), bFrames).reason()).contains("B-frames");
    }

    @Test
    void aLowerRateForJpegThinsWithoutEncoding() {
        SourcePlan plan = SourcePlan.decide(SourceRequest.asSent().withFps(10), MJPEG_HTTP);
        assertThat(plan.passThrough()).isTrue();
        assertThat(plan.thinTo()).isEqualTo(10.0);
        assertThat(plan.fps()).isEqualTo(10.0);
    }

    @Test
    void anUnstatedRateIsLeftToBeMeasured() {
        assertThat(Double.isNaN(SourcePlan.decide(SourceRequest.asSent(), MJPEG_HTTP).fps())).isTrue();
    }

    @Test
    void aMeasuredRateIsTheNearestCommonOne() {
        assertThat(GrabberSource.snap(29.62)).isEqualTo(30.0);
        assertThat(GrabberSource.snap(14.8)).isEqualTo(15.0);
        assertThat(GrabberSource.snap(42.123)).isEqualTo(42.12);
    }

    @Test
    void anOddSourceSizeIsEncodedAtTheNextEvenSize() {
        SourcePlan.Probe odd = new SourcePlan.Probe("rawvideo", null, 641, 481, 30, false);
        SourcePlan plan = SourcePlan.decide(SourceRequest.asSent(), odd);
        assertThat(plan.width()).isEqualTo(640);
        assertThat(plan.height()).isEqualTo(480);
    }
}
