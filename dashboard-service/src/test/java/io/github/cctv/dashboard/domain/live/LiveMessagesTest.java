package io.github.cctv.dashboard.domain.live;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LiveMessagesTest {

    @Test
    void parsesSubscribeWithPerCameraRateCaps() {
        assertThat(LiveMessages.parseSubscribe("{\"type\":\"subscribe\",\"cameras\":{\"cam1\":5,\"cam2\":0}}"))
                .containsEntry("cam1", Watch.main(5)).containsEntry("cam2", Watch.main(0)).hasSize(2);
    }

    @Test
    void rejectsMalformedMessagesWithAReadableReason() {
        assertThatThrownBy(() -> LiveMessages.parseSubscribe("{")).hasMessageContaining("not JSON");
        assertThatThrownBy(() -> LiveMessages.parseSubscribe("{\"type\":\"delete\"}")).hasMessageContaining("unknown");
        assertThatThrownBy(() -> LiveMessages.parseSubscribe("{\"type\":\"subscribe\",\"cameras\":[\"cam1\"]}"))
                .hasMessageContaining("'cameras'");
        assertThatThrownBy(() -> LiveMessages.parseSubscribe("{\"type\":\"subscribe\",\"cameras\":{\"cam1\":-1}}"))
                .hasMessageContaining("cam1");
        assertThatThrownBy(() -> LiveMessages.parseSubscribe("{\"type\":\"subscribe\",\"cameras\":{\"cam1\":\"fast\"}}"))
                .hasMessageContaining("cam1");
    }

    @Test
    void frameHeaderRoundTripsByteExact() {
        Frame f = new Frame("cam-7", -2L, 1_700_000_000_000_001L, 1_700_000_000_000_999L, "jpeg", 1, 1,
                new byte[]{(byte) 0xff, (byte) 0xd8, 1, 2});
        byte[] msg = LiveFrameCodec.encode(f);
        assertThat(msg).hasSize(LiveFrameCodec.headerLength("cam-7") + 4);
        assertThat(msg[0]).isEqualTo((byte) 2);
        assertThat(msg[1]).as("flags: key frame").isEqualTo((byte) 1);
        assertThat(msg[2]).as("codec: jpeg").isEqualTo((byte) 0);
        assertThat(msg[3]).isEqualTo((byte) 5);
        Frame back = LiveFrameCodec.decode(msg);
        assertThat(back.cameraId()).isEqualTo("cam-7");
        assertThat(Long.toUnsignedString(back.seq())).isEqualTo("18446744073709551614");
        assertThat(back.captureUs()).isEqualTo(f.captureUs());
        assertThat(back.ingestUs()).isEqualTo(f.ingestUs());
        assertThat(back.data()).isEqualTo(f.data());
    }

    @Test
    void parsesPingsAndSubscriptionsToTheSubstream() {
        assertThat(LiveMessages.parse("{\"type\":\"ping\",\"t\":1700000000123.5}"))
                .isEqualTo(new LiveMessages.Ping(1700000000123.5));
        assertThat(LiveMessages.parseSubscribe("{\"type\":\"subscribe\",\"cameras\":{\"a\":{\"fps\":5,\"stream\":\"sub\"},\"b\":{\"stream\":\"main\"}}}"))
                .containsEntry("a", new Watch(5, true)).containsEntry("b", Watch.main(0));
        assertThatThrownBy(() -> LiveMessages.parse("{\"type\":\"subscribe\",\"cameras\":{\"a\":{\"stream\":\"x\"}}}"))
                .hasMessageContaining("'main' or 'sub'");
        assertThatThrownBy(() -> LiveMessages.parse("{\"type\":\"ping\"}")).hasMessageContaining("'t'");
    }

    @Test
    void anH264FrameCarriesItsCodecKeyFlagSizeAndStream() {
        Frame f = new Frame("cam1", new io.github.cctv.protocol.FrameMetadata(7, 1, 2, "h264", 1280, 720, false),
                new byte[]{0, 0, 0, 1, 0x41});
        byte[] msg = LiveFrameCodec.encode(f, true);
        assertThat(msg[1]).as("flags: substream, not key").isEqualTo((byte) 2);
        assertThat(msg[2]).as("codec: h264").isEqualTo((byte) 1);
        assertThat(LiveFrameCodec.isSubstream(msg)).isTrue();
        Frame back = LiveFrameCodec.decode(msg);
        assertThat(back.codec()).isEqualTo("h264");
        assertThat(back.keyFrame()).isFalse();
        assertThat(back.width()).isEqualTo(1280);
        assertThat(back.height()).isEqualTo(720);
        assertThat(back.data()).isEqualTo(f.data());
    }
}
