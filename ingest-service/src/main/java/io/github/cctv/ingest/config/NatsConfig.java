package io.github.cctv.ingest.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** How the service reaches NATS ({@code CCTV_NATS_URL} and friends). */
@ConfigMapping(prefix = "cctv.nats")
public interface NatsConfig {

    /** NATS server URL; several may be given comma-separated. */
    @WithDefault("nats://127.0.0.1:4222")
    String url();

    /** Connection name shown in the NATS server's monitoring. */
    @WithDefault("cctv-ingest")
    String connectionName();

    /** Pause between reconnect attempts; ingest retries forever. */
    @WithDefault("1s")
    Duration reconnectWait();

    /**
     * Messages that may wait in the client's outgoing queue; when full, new frames are dropped rather than waited
     * for. It bounds ingest's memory: 512 frames of 200 KB are 100 MB, about a second of 16 cameras at 720p30.
     */
    @WithDefault("512")
    int maxOutgoingMessages();
}
