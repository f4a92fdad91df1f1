package io.github.cctv.ingest.config;

import io.github.cctv.ingest.domain.CameraEvents;
import io.github.cctv.ingest.domain.CameraSessions;
import io.github.cctv.ingest.domain.CameraTokens;
import io.github.cctv.ingest.domain.FramePublisher;
import io.github.cctv.ingest.domain.KnownCameras;
import io.github.cctv.ingest.domain.Outbox;
import io.github.cctv.ingest.endpoint.FrameMemory;
import io.github.cctv.ingest.health.IngestMetrics;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.time.Clock;

/** Builds ingest's domain objects from configuration: they get their collaborators through interfaces. */
public class IngestBeans {

    @Produces
    @Singleton
    CameraTokens tokens(IngestConfig config) {
        return new CameraTokens(CameraSecret.read(config.cameraSecretFile(), config.cameraSecret()), config.token(),
                config.cameraTokens(), config.allowUnauthenticated());
    }

    @Produces
    @Singleton
    Outbox outbox(IngestConfig config, IngestMetrics metrics) {
        return new Outbox(config.outboxCapacity(), metrics);
    }

    @Produces
    @Singleton
    KnownCameras knownCameras(Outbox outbox, IngestConfig config, Clock clock, IngestMetrics metrics) {
        if (config.registry().maxCameras() < config.maxConnections()) {
            throw new IllegalArgumentException("cctv.ingest.registry.max-cameras (" + config.registry().maxCameras()
                    + ") must be at least cctv.ingest.max-connections (" + config.maxConnections() + ")");
        }
        return new KnownCameras(outbox, config.registry().maxCameras(), config.registry().offlineExpiry(), clock, metrics);
    }

    /** {@code cctv.ingest.instance-id}, or the host name and a random suffix. */
    @Produces
    @Singleton
    InstanceId instanceId(IngestConfig config) {
        return InstanceId.of(config.instanceId());
    }

    @Produces
    @Singleton
    CameraSessions sessions(FramePublisher frames, Outbox outbox, KnownCameras registry, IngestMetrics metrics, Clock clock,
                            IngestConfig config, InstanceId instanceId) {
        CameraEvents events = outbox;
        return new CameraSessions(frames, events, registry, metrics, clock, config.registryInterval(),
                config.clock().maxOffset(), instanceId.value());
    }

    /** {@code cctv.ingest.frame-memory}, or a quarter of the heap the JVM may grow to. */
    @Produces
    @Singleton
    FrameMemory frameMemory(IngestConfig config) {
        return new FrameMemory(config.frameMemory() > 0 ? config.frameMemory() : Runtime.getRuntime().maxMemory() / 4);
    }
}
