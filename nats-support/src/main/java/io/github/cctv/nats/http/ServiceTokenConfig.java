package io.github.cctv.nats.http;

import io.smallrye.config.ConfigMapping;

import java.nio.file.Path;
import java.util.Optional;

/**
 * The service token, prefix {@code cctv.http} (env {@code CCTV_HTTP_*}): the one secret of the internal HTTP APIs.
 * Ingest and the recorder require it of every caller (health aside); the dashboard sends it to the recorder.
 */
@ConfigMapping(prefix = "cctv.http")
public interface ServiceTokenConfig {

    /**
     * File holding the service token (surrounding white space ignored); wins over {@link #serviceToken()}. run.sh and
     * compose make it on the first start. Neither set: the HTTP API is open to whoever reaches its port.
     */
    Optional<Path> serviceTokenFile();

    /** The service token itself; {@link #serviceTokenFile()} is the better place for it. */
    Optional<String> serviceToken();
}
