package io.github.cctv.dashboard.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Outgoing webhooks for camera events ({@code cctv.webhooks.*}, env {@code CCTV_WEBHOOKS_*}). */
@ConfigMapping(prefix = "cctv.webhooks")
public interface WebhooksConfig {

    /**
     * Where every camera event is posted, comma-separated; {@code URL#connected+disconnected} only sends those types.
     * Unset: no webhooks.
     */
    Optional<List<String>> urls();

    /** Key of the {@code X-Cctv-Signature} HMAC; when unset, {@code secret-file} is read. */
    Optional<String> secret();

    /** File holding the signing key (when {@code secret} is unset); created with a random one, owner-only, if missing. */
    Optional<Path> secretFile();

    /** Longest wait for a receiver's answer to one POST (connection included). */
    @WithDefault("5s")
    Duration timeout();

    /** Attempts per event and target before it is given up (logged and counted). */
    @WithDefault("6")
    int maxAttempts();

    /** Wait before the first retry; it doubles with every further one. */
    @WithDefault("1s")
    Duration initialBackoff();

    /** Longest wait between two attempts. */
    @WithDefault("1m")
    Duration maxBackoff();

    /** Events on their way to one target at once (across every dashboard sharing its durable consumer). */
    @WithDefault("32")
    int maxInFlight();

    /** Retry interval while NATS or the events stream is absent. */
    @WithDefault("2s")
    Duration retry();
}
