package io.github.cctv.recorder.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** NATS connection, prefix {@code cctv.nats} (env {@code CCTV_NATS_*}). */
@ConfigMapping(prefix = "cctv.nats")
public interface NatsConfig {

    /** NATS server URL(s), comma separated. */
    @WithDefault("nats://127.0.0.1:4222")
    String url();

    /** Connection name shown by the NATS server's monitoring. */
    @WithDefault("cctv-recorder")
    String connectionName();
}
