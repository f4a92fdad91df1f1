package io.github.cctv.ingest.config;

import io.github.cctv.ingest.domain.CameraSessions;
import io.github.cctv.ingest.domain.CameraTokens;
import io.github.cctv.ingest.domain.FramePublisher;
import io.github.cctv.ingest.domain.Outbox;
import io.github.cctv.ingest.health.IngestMetrics;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.time.Clock;

/** Builds ingest's domain objects from configuration: they get their collaborators through interfaces. */
public class IngestBeans {

    @Produces
    @Singleton
    CameraTokens tokens(IngestConfig config) {
        return new CameraTokens(config.token(), config.cameraTokens());
    }

    @Produces
    @Singleton
    Outbox outbox(IngestConfig config, IngestMetrics metrics) {
        return new Outbox(config.outboxCapacity(), metrics);
    }

    @Produces
    @Singleton
    CameraSessions sessions(FramePublisher frames, Outbox outbox, IngestMetrics metrics, Clock clock, IngestConfig config) {
        return new CameraSessions(frames, outbox, outbox, metrics, clock, config.registryInterval());
    }
}
