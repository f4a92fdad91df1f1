package io.github.cctv.dashboard.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Where NATS is ({@code CCTV_NATS_URL}), shared by every service of the system. */
@ConfigMapping(prefix = "cctv.nats")
public interface NatsConfig {

    /** NATS server URL, or several separated by commas. */
    @WithDefault("nats://127.0.0.1:4222")
    String url();

    /** Connection name shown by the NATS server's monitoring. */
    @WithDefault("cctv-dashboard")
    String connectionName();
}
