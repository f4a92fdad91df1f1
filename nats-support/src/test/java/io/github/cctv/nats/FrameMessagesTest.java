package io.github.cctv.nats;

import io.github.cctv.protocol.FrameHeaders;
import io.github.cctv.protocol.FrameMetadata;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FrameMessagesTest {

    @Test
    void carriesTheMetadataInHeadersAndTheImageAsBody() {
        FrameMetadata m = new FrameMetadata(Long.MIN_VALUE, 10, 20, "jpeg", 1280, 720, true);
        NatsMessage msg = FrameMessages.message("cam1", m, new byte[]{1, 2, 3});
        assertThat(msg.getSubject()).isEqualTo("cctv.frames.cam1");
        assertThat(msg.getData()).containsExactly(1, 2, 3);
        assertThat(msg.getHeaders().getFirst(FrameHeaders.SEQ)).isEqualTo("9223372036854775808");
        assertThat(FrameMessages.metadata(msg.getHeaders())).isEqualTo(m);
    }

    @Test
    void aSubstreamFrameGoesToItsOwnSubjectWithTheSameHeaders() {
        FrameMetadata m = new FrameMetadata(7, 10, 20, "h264", 640, 360, false);
        NatsMessage msg = FrameMessages.substreamMessage("cam1", m, new byte[]{0, 0, 1, 1});
        assertThat(msg.getSubject()).isEqualTo("cctv.frames.cam1.sub");
        assertThat(FrameMessages.metadata(msg.getHeaders())).isEqualTo(m);
        assertThat(msg.getHeaders().keySet()).isEqualTo(FrameMessages.message("cam1", m, new byte[]{1}).getHeaders().keySet());
    }

    @Test
    void anIdentifiedFrameIsNamedBySubjectSequenceAndIngestTime() {
        FrameMetadata m = new FrameMetadata(7, 10, 20, "jpeg", 640, 360, true);
        NatsMessage main = FrameMessages.identifiedMessage("cam1", m, new byte[]{1}, false);
        NatsMessage sub = FrameMessages.identifiedMessage("cam1", m, new byte[]{1}, true);
        assertThat(main.getSubject()).isEqualTo("cctv.frames.cam1");
        assertThat(FrameMessages.metadata(main.getHeaders())).isEqualTo(m);
        assertThat(main.getHeaders().getFirst(FrameMessages.MSG_ID)).isEqualTo("cctv.frames.cam1/7/20");
        assertThat(sub.getSubject()).isEqualTo("cctv.frames.cam1.sub");
        assertThat(sub.getHeaders().getFirst(FrameMessages.MSG_ID)).isEqualTo("cctv.frames.cam1.sub/7/20");
        // the same sequence in a later session is another frame
        FrameMetadata later = new FrameMetadata(7, 10, 21, "jpeg", 640, 360, true);
        assertThat(FrameMessages.identifiedMessage("cam1", later, new byte[]{1}, false).getHeaders()
                .getFirst(FrameMessages.MSG_ID)).isNotEqualTo(main.getHeaders().getFirst(FrameMessages.MSG_ID));
        assertThat(FrameMessages.message("cam1", m, new byte[]{1}).getHeaders().get(FrameMessages.MSG_ID)).isNull();
    }

    @Test
    void aMessageWithoutHeadersIsAClearError() {
        assertThatThrownBy(() -> FrameMessages.metadata(null)).isInstanceOf(FrameHeaders.InvalidFrameHeadersException.class)
                .hasMessageContaining("no headers");
        assertThatThrownBy(() -> FrameMessages.metadata(new Headers().put("Other", "1")))
                .hasMessageContaining(FrameHeaders.SEQ);
    }
}
