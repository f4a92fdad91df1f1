package io.github.cctv.ingest;

import io.github.cctv.ingest.config.IngestConfig;
import io.github.cctv.ingest.domain.KnownCameras;
import io.github.cctv.ingest.endpoint.CameraServer;
import io.github.cctv.ingest.messaging.CameraControlResponder;
import io.github.cctv.ingest.messaging.NatsOutbox;
import io.github.cctv.nats.NatsConnection;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Starts and stops the parts in the one order that loses nothing: cameras go first, NATS last. While running, it
 * removes the registry entries of cameras offline too long, at a tenth of that time (at most hourly).
 */
@ApplicationScoped
public class IngestLifecycle {

    private final NatsOutbox outbox;
    private final NatsConnection nats;
    private final CameraServer server;
    private final IngestConfig config;
    private final KnownCameras known;
    private final Vertx vertx;
    private final CameraControlResponder control;
    private long expiryTimer = -1;

    public IngestLifecycle(NatsOutbox outbox, NatsConnection nats, CameraServer server, IngestConfig config,
                           KnownCameras known, Vertx vertx, CameraControlResponder control) {
        this.outbox = outbox;
        this.nats = nats;
        this.server = server;
        this.config = config;
        this.known = known;
        this.vertx = vertx;
        this.control = control;
    }

    void onStart(@Observes StartupEvent event) throws Exception {
        outbox.start();
        control.start();
        nats.start();
        server.start();
        long every = Math.max(100, Math.min(config.registry().offlineExpiry().toMillis() / 10, 3_600_000L));
        // the sweep queues removals in the outbox and never blocks
        expiryTimer = vertx.setPeriodic(every, id -> known.expire());
    }

    void onStop(@Observes ShutdownEvent event) {
        if (expiryTimer >= 0) {
            vertx.cancelTimer(expiryTimer);
        }
        server.stop();
        outbox.flushAndStop(config.shutdownTimeout());
        nats.close();
    }
}
