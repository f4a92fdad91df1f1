package io.github.cctv.ingest.messaging;

import io.github.cctv.ingest.config.InstanceId;
import io.github.cctv.ingest.domain.CameraSessions;
import io.github.cctv.ingest.domain.KnownCameras;
import io.github.cctv.ingest.domain.Outbox;
import io.github.cctv.ingest.domain.StaleCameras;
import io.github.cctv.ingest.health.IngestMetrics;
import io.github.cctv.nats.NatsConnection;
import io.github.cctv.nats.NatsReadiness;
import io.github.cctv.protocol.Subjects;
import io.github.cctv.protocol.event.CameraStatus;
import io.github.cctv.protocol.event.Events;
import io.nats.client.Connection;
import io.nats.client.KeyValue;
import io.nats.client.PublishOptions;
import io.nats.client.api.KeyValueEntry;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * Delivers the {@link Outbox} to NATS on one thread of its own, which alone makes the blocking calls: sets up
 * the streams and bucket whenever a connection comes up (and, once, corrects what a previous run left in the
 * registry and learns which cameras it holds), then publishes events to JetStream and writes and removes registry
 * entries, retrying what fails. The delete markers of removed entries are purged about once an hour.
 */
@ApplicationScoped
public class NatsOutbox implements NatsReadiness.Detail {

    private static final Logger LOG = Logger.getLogger(NatsOutbox.class);
    private static final Duration RETRY = Duration.ofMillis(500);
    private static final Duration IDLE = Duration.ofSeconds(1);
    private static final Duration PURGE_EVERY = Duration.ofHours(1);

    private final NatsConnection nats;
    private final StreamSetup setup;
    private final Outbox outbox;
    private final CameraSessions sessions;
    private final KnownCameras known;
    private final IngestMetrics metrics;
    private final Clock clock;
    private final String instanceId;
    private final Object signal = new Object();

    private volatile boolean connected;
    private volatile boolean setupNeeded;
    private volatile boolean streamsReady;
    private volatile boolean stopped;
    private boolean swept;
    private boolean removedSincePurge;
    private long lastPurgeMillis;
    private Thread worker;
    /** The registry bucket and the connection it was opened on (opening one asks the server for the bucket's stream). */
    private KeyValue registry;
    private Connection registryConnection;

    public NatsOutbox(NatsConnection nats, StreamSetup setup, Outbox outbox, CameraSessions sessions, KnownCameras known,
                      IngestMetrics metrics, Clock clock, InstanceId instanceId) {
        this.instanceId = instanceId.value();
        this.nats = nats;
        this.setup = setup;
        this.outbox = outbox;
        this.sessions = sessions;
        this.known = known;
        this.lastPurgeMillis = clock.millis();
        this.metrics = metrics;
        this.clock = clock;
    }

    /** Starts the worker; call before the NATS connection starts so that no connect is missed. */
    public synchronized void start() {
        if (worker != null) {
            return;
        }
        nats.addListener(new NatsConnection.Listener() {
            @Override
            public void connectionChanged(boolean up) {
                NatsOutbox.this.connectionChanged(up);
            }
        });
        worker = new Thread(this::run, "cctv-ingest-outbox");
        worker.setDaemon(true);
        worker.start();
    }

    /** True once the streams and bucket are in place on the current connection. */
    public boolean streamsReady() {
        return streamsReady;
    }

    public int pending() {
        return outbox.pending();
    }

    /** True while the delivering thread runs (it ends only at shutdown). */
    public boolean workerAlive() {
        Thread w = worker;
        return w != null && w.isAlive();
    }

    @Override
    public boolean describe(HealthCheckResponseBuilder response) {
        boolean ready = streamsReady;
        response.withData("streams", ready).withData("pending", outbox.pending());
        return ready;
    }

    /** Waits up to {@code timeout} for the outbox to reach NATS (not at all while NATS is away), then stops the worker. */
    public void flushAndStop(Duration timeout) {
        try {
            int lost = outbox.awaitEmpty(timeout, () -> connected);
            if (lost > 0) {
                LOG.warnf("stopping with %d events/registry updates not delivered to NATS", lost);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        stopped = true;
        wakeWorker();
        Thread w = worker;
        if (w != null) {
            w.interrupt();
            try {
                w.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    // called on a jnats thread: flags only
    private void connectionChanged(boolean up) {
        connected = up;
        if (up) {
            setupNeeded = true;
        } else {
            streamsReady = false;
        }
        wakeWorker();
    }

    private void wakeWorker() {
        synchronized (signal) {
            signal.notifyAll();
        }
        outbox.wake();
    }

    private void run() {
        try {
            while (!stopped) {
                if (!connected) {
                    synchronized (signal) {
                        if (!connected && !stopped) {
                            signal.wait(IDLE.toMillis());
                        }
                    }
                } else if (setupNeeded) {
                    attempt("stream setup", null, this::setUp);
                } else if (removedSincePurge && clock.millis() - lastPurgeMillis >= PURGE_EVERY.toMillis()) {
                    attempt("registry purge", "registry", this::purgeDeleteMarkers);
                } else {
                    Outbox.Item item = outbox.next(IDLE);
                    if (item != null && connected && !setupNeeded) {
                        attempt(item instanceof Outbox.PendingEvent ? "event publish" : "registry change",
                                item instanceof Outbox.PendingEvent ? "event" : "registry", () -> deliver(item));
                    }
                }
            }
        } catch (InterruptedException e) {
            // stopping
        }
    }

    private interface Step {
        void run() throws Exception;
    }

    private void attempt(String what, String failureTag, Step step) throws InterruptedException {
        try {
            step.run();
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            if (failureTag != null) {
                metrics.publishFailure(failureTag);
            }
            LOG.warnf("NATS %s failed, will retry: %s", what, e.toString());
            synchronized (signal) {
                if (!stopped) {
                    signal.wait(RETRY.toMillis());
                }
            }
        }
    }

    private void deliver(Outbox.Item item) throws Exception {
        Connection conn = nats.connection();
        if (item instanceof Outbox.PendingEvent e) {
            conn.jetStream().publish(Subjects.event(e.event().cameraId(), e.event().type()), Events.toJson(e.event()),
                    PublishOptions.builder().messageId(e.messageId()).build());
        } else if (item instanceof Outbox.PendingStatus s) {
            registry(conn).put(s.status().cameraId(), Events.write(s.status()));
        } else if (item instanceof Outbox.PendingRemoval r) {
            KeyValue kv = registry(conn);
            if (onlineElsewhere(kv.get(r.cameraId()))) {
                // this instance saw the camera offline; another one has it online since: its entry stays
                LOG.debugf("registry entry %s not removed: online on another ingest instance", r.cameraId());
            } else {
                // a delete marker, so that watchers of the bucket see the camera go
                kv.delete(r.cameraId());
                removedSincePurge = true;
            }
        }
        outbox.done(item);
    }

    /**
     * The registry bucket on {@code conn}, opened once per connection: every camera's status is written about once a
     * second, and opening the bucket for each write would ask the server for the bucket's stream info each time.
     */
    private KeyValue registry(Connection conn) throws java.io.IOException {
        if (registry == null || registryConnection != conn) {
            registry = conn.keyValue(Subjects.CAMERAS_BUCKET);
            registryConnection = conn;
        }
        return registry;
    }

    private boolean onlineElsewhere(KeyValueEntry entry) {
        if (entry == null || entry.getValue() == null) {
            return false;
        }
        try {
            CameraStatus s = Events.read(entry.getValue(), CameraStatus.class);
            return s.online() && s.ingest() != null && !s.ingest().equals(instanceId);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private void purgeDeleteMarkers() throws Exception {
        // markers younger than half an hour (jnats' default) stay, for watchers that were away briefly
        registry(nats.connection()).purgeDeletes();
        removedSincePurge = false;
        lastPurgeMillis = clock.millis();
    }

    private void setUp() throws Exception {
        Connection conn = nats.connection();
        setup.ensure(conn);
        registry = null; // opened again on this connection, after the set-up
        if (!swept) {
            markStaleOffline(conn);
            swept = true;
        }
        setupNeeded = false;
        streamsReady = true;
        LOG.info("streams and camera registry ready");
    }

    /**
     * Applies {@link StaleCameras#correct} to every registry entry a previous run of this instance (or one naming no
     * instance) left, and tells {@link KnownCameras} of each entry. Entries of other instances are theirs while
     * they live, and {@link NatsCameraClaims}' once they are gone.
     */
    private void markStaleOffline(Connection conn) throws Exception {
        KeyValue kv = registry(conn);
        int marked = 0;
        for (String key : kv.keys()) {
            KeyValueEntry entry = kv.get(key);
            if (entry == null || entry.getValue() == null) {
                continue;
            }
            CameraStatus left;
            try {
                left = Events.read(entry.getValue(), CameraStatus.class);
            } catch (IllegalArgumentException e) {
                LOG.warnf("registry entry %s is not a camera status, left alone: %s", key, e.getMessage());
                continue;
            }
            boolean others = left.ingest() != null && !left.ingest().equals(instanceId);
            Optional<StaleCameras.Correction> c = others ? Optional.empty()
                    : StaleCameras.correct(key, left, sessions.isOnline(key), clock.instant());
            if (c.isPresent()) {
                kv.put(key, Events.write(c.get().offline()));
                outbox.publish(c.get().event());
                marked++;
            }
            CameraStatus now = c.map(StaleCameras.Correction::offline).orElse(left);
            known.found(key, now.online(), now.lastSeen());
        }
        if (marked > 0) {
            LOG.infof("marked %d cameras offline that a previous run left online", marked);
        }
    }
}
