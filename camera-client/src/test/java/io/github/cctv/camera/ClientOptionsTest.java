package io.github.cctv.camera;

import io.github.cctv.protocol.wire.Codec;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ClientOptionsTest {

    private static ClientOptions parse(String... extra) {
        String[] args = new String[extra.length + 4];
        args[0] = "--server";
        args[1] = "cctv:9000";
        args[2] = "--id";
        args[3] = "cam1";
        System.arraycopy(extra, 0, args, 4, extra.length);
        return ClientOptions.parse(args, Map.of());
    }

    @Test
    void leavesSizeRateAndCodecUnsetSoThatACameraPassesThrough() {
        ClientOptions o = parse("--source", "rtsp://cam/stream");
        assertThat(o.width()).isNull();
        assertThat(o.fps()).isNull();
        assertThat(o.codec()).isNull();
        assertThat(o.transcode()).isFalse();
        assertThat(o.encodedCodec()).isEqualTo(Codec.H264);
        assertThat(o.patternWidth()).isEqualTo(1280);
        assertThat(o.patternHeight()).isEqualTo(720);
        assertThat(o.patternFps()).isEqualTo(15.0);
        assertThat(o.encoding()).isEqualTo(EncoderSettings.DEFAULTS);
        assertThat(o.sourceRequest()).isEqualTo(SourceRequest.asSent());
    }

    @Test
    void takesSizeAsWxhAsRunShPassesIt() {
        ClientOptions o = parse("--size", "640x360");
        assertThat(o.width()).isEqualTo(640);
        assertThat(o.height()).isEqualTo(360);
        assertThat(parse("--size=1920X1080").height()).isEqualTo(1080);
        assertThat(parse("--width", "320", "--height", "240").width()).isEqualTo(320);
        assertThatThrownBy(() -> parse("--size", "640")).hasMessageContaining("--size must be WIDTHxHEIGHT");
        assertThatThrownBy(() -> parse("--width", "640")).hasMessageContaining("height");
    }

    @Test
    void takesCodecEncoderBitrateKeyframeIntervalAndTranscode() {
        ClientOptions o = parse("--codec", "jpeg", "--encoder", "libopenh264", "--bitrate", "2500",
                "--keyframe-interval", "2", "--transcode", "--rtsp-transport", "udp", "--quality", "90");
        assertThat(o.codec()).isEqualTo(Codec.JPEG);
        assertThat(o.transcode()).isTrue();
        assertThat(o.rtspTransport()).isEqualTo("udp");
        assertThat(o.encoding()).isEqualTo(new EncoderSettings("libopenh264", 2500, 2.0, 0.9f));
        assertThat(parse("--bitrate", "auto").encoding().bitrateKbps()).isZero();
        assertThatThrownBy(() -> parse("--codec", "vp8")).hasMessageContaining("--codec must be h264 or jpeg");
        assertThatThrownBy(() -> parse("--encoder", "x264")).hasMessageContaining("--encoder must be one of");
        assertThatThrownBy(() -> parse("--rtsp-transport", "http")).hasMessageContaining("tcp, udp");
    }

    @Test
    void theAutomaticBitrateFitsTheSizeAndRate() {
        assertThat(EncoderSettings.autoBitrateKbps(1280, 720, 30)).isEqualTo(1935);
        assertThat(EncoderSettings.DEFAULTS.gopFrames(30)).isEqualTo(30);
        assertThat(EncoderSettings.DEFAULTS.gopFrames(12.5)).isEqualTo(13);
    }

    @Test
    void aSubstreamIsASecondSourceOrASecondEncodeNeverBoth() {
        ClientOptions pass = parse("--source", "rtsp://cam/stream1", "--substream", "rtsp://cam/stream2");
        assertThat(pass.hasSubstream()).isTrue();
        assertThat(pass.substreamSource()).isEqualTo("rtsp://cam/stream2");
        assertThat(pass.substreamRequest().transcode()).isFalse();
        assertThat(pass.substreamRequest().width()).isNull();

        ClientOptions enc = parse("--source", "rtsp://cam/stream1", "--bitrate", "4000", "--substream-size", "640x360",
                "--substream-fps", "10");
        assertThat(enc.substreamWidth()).isEqualTo(640);
        assertThat(enc.substreamHeight()).isEqualTo(360);
        SourceRequest r = enc.substreamRequest();
        assertThat(r.transcode()).isTrue();
        assertThat(r.codec()).isEqualTo(Codec.H264);
        assertThat(r.fps()).isEqualTo(10.0);
        assertThat(r.encoding().bitrateKbps()).as("the substream's own automatic bitrate").isZero();
        assertThat(parse("--substream-size", "320x180").substreamPatternFps()).isEqualTo(ClientOptions.DEFAULT_FPS);
        assertThat(parse().hasSubstream()).isFalse();

        assertThatThrownBy(() -> parse("--substream", "rtsp://x/2", "--substream-size", "320x180"))
                .hasMessageContaining("give one");
        assertThatThrownBy(() -> parse("--substream-fps", "5")).hasMessageContaining("needs --substream-size");
        assertThatThrownBy(() -> parse("--source", "/dev/video0", "--substream-size", "320x180"))
                .hasMessageContaining("opens only once");
        assertThatThrownBy(() -> parse("--substream-size", "320")).hasMessageContaining("WIDTHxHEIGHT");
    }
}
