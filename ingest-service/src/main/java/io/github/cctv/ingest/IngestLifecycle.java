package io.github.cctv.ingest;

import io.github.cctv.ingest.config.IngestConfig;
import io.github.cctv.ingest.endpoint.CameraServer;
import io.github.cctv.ingest.messaging.NatsOutbox;
import io.github.cctv.nats.NatsConnection;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/** Starts and stops the parts in the one order that loses nothing: cameras go first, NATS last. */
@ApplicationScoped
public class IngestLifecycle {

    private final NatsOutbox outbox;
    private final NatsConnection nats;
    private final CameraServer server;
    private final IngestConfig config;

    public IngestLifecycle(NatsOutbox outbox, NatsConnection nats, CameraServer server, IngestConfig config) {
        this.outbox = outbox;
        this.nats = nats;
        this.server = server;
        this.config = config;
    }

    void onStart(@Observes StartupEvent event) throws Exception {
        outbox.start();
        nats.start();
        server.start();
    }

    void onStop(@Observes ShutdownEvent event) {
        server.stop();
        outbox.flushAndStop(config.shutdownTimeout());
        nats.close();
    }
}
