package io.github.cctv.ingest.messaging;

import io.github.cctv.ingest.config.IngestConfig;
import io.github.cctv.nats.NatsConfig;
import io.github.cctv.nats.Topology;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.api.KeyValueConfiguration;
import io.nats.client.api.StreamConfiguration;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.io.IOException;

/**
 * Ingest's part of the {@link Topology}, with the limits of its configuration: both streams, the camera bucket and the
 * claims bucket, in as many copies as {@code cctv.nats.replicas} and {@code cctv.nats.frames-replicas} say. Safe to run
 * any number of times.
 */
@ApplicationScoped
public class StreamSetup {

    private final Topology topology;
    private final java.time.Duration lease;
    private final int maxCameras;

    /** One copy of everything: a single NATS server. */
    public StreamSetup(IngestConfig config) {
        this(config, topology(config));
    }

    @Inject
    public StreamSetup(IngestConfig config, NatsConfig nats) {
        this(config, topology(config).withReplicas(nats.replicas(), nats.framesReplicas()));
    }

    private StreamSetup(IngestConfig config, Topology topology) {
        this.lease = config.lease();
        this.maxCameras = config.registry().maxCameras();
        this.topology = topology;
    }

    /** The streams' and the registry's limits of {@code config}, one copy of each. */
    private static Topology topology(IngestConfig config) {
        return new Topology(config.framesStream().maxAge(), config.framesStream().maxBytes(),
                config.eventsStream().maxAge(), config.eventsStream().maxBytes(), config.registry().maxCameras());
    }

    public Topology topology() {
        return topology;
    }

    public StreamConfiguration framesStream() {
        return topology.framesStream();
    }

    public StreamConfiguration eventsStream() {
        return topology.eventsStream();
    }

    public KeyValueConfiguration camerasBucket() {
        return topology.camerasBucket();
    }

    /** Makes the streams and bucket match this service's configuration. Blocking: never call it on an event loop. */
    public void ensure(Connection connection) throws IOException, JetStreamApiException {
        topology.ensureIngestPart(connection);
        ensureClaimsBucket(connection);
    }

    /** Makes the claims bucket match this service's configuration (lease, bound, copies). Blocking. */
    public void ensureClaimsBucket(Connection connection) throws IOException, JetStreamApiException {
        Topology.ensureClaimsBucket(connection, lease, maxCameras, topology.replicas());
    }
}
