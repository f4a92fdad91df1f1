package io.github.cctv.ingest.endpoint;

import io.github.cctv.ingest.config.IngestConfig;
import io.github.cctv.protocol.wire.Wire;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;

import static org.assertj.core.api.Assertions.assertThat;

class FrameLimitTest {

    private final FrameLimit limit = new FrameLimit(config(4 * 1024 * 1024), null);

    @Test
    void keepsConfiguredLimitWhenNatsAllowsIt() {
        assertThat(limit.clamp(4 * 1024 * 1024, 8 * 1024 * 1024)).isEqualTo(4 * 1024 * 1024);
    }

    @Test
    void lowersLimitToNatsMaxPayloadMinusHeaderRoom() {
        assertThat(limit.clamp(4 * 1024 * 1024, 1024 * 1024)).isEqualTo(1024 * 1024 - FrameLimit.HEADER_ROOM);
    }

    @Test
    void keepsConfiguredLimitWhileMaxPayloadIsUnknownButNeverAboveTheProtocolCeiling() {
        assertThat(limit.clamp(4 * 1024 * 1024, -1)).isEqualTo(4 * 1024 * 1024);
        assertThat(limit.clamp(Integer.MAX_VALUE, -1)).isEqualTo(Wire.MAX_FRAME_BYTES_CEILING);
    }

    private static IngestConfig config(int maxFrameBytes) {
        return (IngestConfig) Proxy.newProxyInstance(IngestConfig.class.getClassLoader(), new Class<?>[]{IngestConfig.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("maxFrameBytes")) {
                        return maxFrameBytes;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }
}
