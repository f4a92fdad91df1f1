package io.github.cctv.dashboard.domain.live;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LiveMessagesTest {

    @Test
    void parsesSubscribeWithPerCameraRateCaps() {
        assertThat(LiveMessages.parseSubscribe("{\"type\":\"subscribe\",\"cameras\":{\"cam1\":5,\"cam2\":0}}"))
                .containsEntry("cam1", 5).containsEntry("cam2", 0).hasSize(2);
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
        assertThat(msg[0]).isEqualTo((byte) 1);
        assertThat(msg[1]).isEqualTo((byte) 5);
        Frame back = LiveFrameCodec.decode(msg);
        assertThat(back.cameraId()).isEqualTo("cam-7");
        assertThat(Long.toUnsignedString(back.seq())).isEqualTo("18446744073709551614");
        assertThat(back.captureUs()).isEqualTo(f.captureUs());
        assertThat(back.ingestUs()).isEqualTo(f.ingestUs());
        assertThat(back.data()).isEqualTo(f.data());
    }
}
