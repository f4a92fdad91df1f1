package io.github.cctv.dashboard.messaging;

import io.github.cctv.nats.FrameMessages;
import io.github.cctv.protocol.FrameHeaders;
import io.github.cctv.protocol.FrameMetadata;
import io.nats.client.impl.Headers;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class NatsFrameSourceTest {

    @Test
    void readsAFrameWithTheSharedHeaderCodec() {
        FrameMetadata m = new FrameMetadata(-2L, 10, 20, "jpeg", 1280, 720, true);
        assertThat(NatsFrameSource.toFrame("cam1", FrameMessages.headers(m), new byte[]{1}))
                .satisfies(f -> {
                    assertThat(f.metadata()).isEqualTo(m);
                    assertThat(Long.toUnsignedString(f.seq())).isEqualTo("18446744073709551614");
                });
    }

    @Test
    void ignoresEmptyFramesAndFramesWhoseHeadersBreakTheContract() {
        Headers ok = FrameMessages.headers(new FrameMetadata(1, 10, 20, "jpeg", 64, 48, true));
        assertThat(NatsFrameSource.toFrame("cam1", ok, new byte[0])).isNull();
        assertThat(NatsFrameSource.toFrame("cam1", null, new byte[]{1})).isNull();
        Headers bad = FrameMessages.headers(new FrameMetadata(1, 10, 20, "jpeg", 64, 48, true));
        bad.put(FrameHeaders.INGEST_US, "yesterday");
        assertThat(NatsFrameSource.toFrame("cam1", bad, new byte[]{1})).isNull();
    }
}
