package io.github.cctv.ingest;

import io.github.cctv.ingest.config.IngestConfig;
import io.github.cctv.ingest.domain.KnownCameras;
import io.github.cctv.ingest.endpoint.CameraServer;
import io.github.cctv.ingest.messaging.CameraControlResponder;
import io.github.cctv.ingest.messaging.NatsCameraClaims;
import io.github.cctv.ingest.messaging.NatsOutbox;
import io.github.cctv.nats.NatsConnection;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.time.Duration;

/**
 * Starts and stops the parts in the one order that loses nothing: cameras go first, then their claims, NATS last. While running, it
 * removes the registry entries of cameras offline too long, at a tenth of that time (at most hourly).
 */
@ApplicationScoped
public class IngestLifecycle {

    private static final Logger LOG = Logger.getLogger(IngestLifecycle.class);

    private final NatsOutbox outbox;
    private final NatsConnection nats;
    private final CameraServer server;
    private final IngestConfig config;
    private final KnownCameras known;
    private final Vertx vertx;
    private final CameraControlResponder control;
    private final NatsCameraClaims claims;
    private long expiryTimer = -1;

    public IngestLifecycle(NatsOutbox outbox, NatsConnection nats, CameraServer server, IngestConfig config,
                           KnownCameras known, Vertx vertx, CameraControlResponder control, NatsCameraClaims claims) {
        this.claims = claims;
        this.outbox = outbox;
        this.nats = nats;
        this.server = server;
        this.config = config;
        this.known = known;
        this.vertx = vertx;
        this.control = control;
    }

    void onStart(@Observes StartupEvent event) throws Exception {
        LOG.infof("ingest instance %s (claims of camera ids renewed as a lease of %s)", claims.instanceId(),
                config.lease());
        outbox.start();
        claims.start();
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
        // after the cameras' offline entries are written, so that an instance taking a camera over writes last
        claims.stop(Duration.ofSeconds(2));
        nats.close();
    }
}
