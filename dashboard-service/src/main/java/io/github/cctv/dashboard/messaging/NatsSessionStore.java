package io.github.cctv.dashboard.messaging;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.cctv.dashboard.config.DashboardConfig;
import io.github.cctv.dashboard.domain.auth.SessionStore;
import io.github.cctv.nats.NatsReadiness;
import io.github.cctv.nats.Topology;
import io.github.cctv.protocol.Subjects;
import io.github.cctv.protocol.event.Events;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.KeyValue;
import io.nats.client.api.KeyValueEntry;
import io.nats.client.api.KeyValueOperation;
import io.nats.client.api.KeyValueWatcher;
import io.nats.client.impl.NatsKeyValueWatchSubscription;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Sessions in the {@code cctv-sessions} key-value bucket (created here, entries expiring after the session
 * lifetime), shared by every dashboard on the same NATS. A watch keeps this dashboard's copy of the live sessions
 * current, so that checking a session never waits on NATS, and a session ended on another dashboard is refused here
 * as soon as its delete arrives (milliseconds). Until the watch has read the bucket once, sessions are
 * {@link State#NOT_LOADED not loaded}. Readiness waits for that.
 */
@Singleton
public class NatsSessionStore implements SessionStore, NatsReadiness.Detail {

    private static final Logger LOG = Logger.getLogger(NatsSessionStore.class);

    private final Connection connection;
    private final DashboardConfig config;
    /** Copies of the bucket a NATS cluster keeps ({@code cctv.nats.replicas}). */
    private final int replicas;
    private final Clock clock;
    /** Session id to expiry and user stamp: what the watch has seen started and not ended. */
    private final Map<String, Live> live = new ConcurrentHashMap<>();
    private final ScheduledExecutorService background = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "cctv-dashboard-sessions");
        t.setDaemon(true);
        return t;
    });
    private volatile KeyValue bucket;
    private volatile NatsKeyValueWatchSubscription watch;
    private volatile boolean loaded;

    public NatsSessionStore(Connection connection, DashboardConfig config, io.github.cctv.nats.NatsConfig nats,
                            Clock clock) {
        this.connection = connection;
        this.replicas = nats.replicas();
        this.config = config;
        this.clock = clock;
    }

    void start(@Observes StartupEvent ev) {
        if (!config.auth().enabled()) {
            return;
        }
        background.execute(this::open);
        // the watch is not told when NATS expires an entry: forget expired sessions here too
        background.scheduleWithFixedDelay(this::forgetExpired, 1, 1, TimeUnit.MINUTES);
    }

    void stop(@Observes ShutdownEvent ev) {
        background.shutdownNow();
    }

    @Override
    public State state(String sessionId) {
        Live session = live.get(sessionId);
        if (session != null && clock.instant().isBefore(session.expiresAt())) {
            return State.LIVE;
        }
        return loaded ? State.ENDED : State.NOT_LOADED;
    }

    @Override
    public String stamp(String sessionId) {
        Live session = live.get(sessionId);
        return session == null ? null : session.stamp();
    }

    @Override
    public void started(Session session) throws UnavailableException {
        KeyValue kv = requireBucket("start a session");
        byte[] value = Events.mapper().createObjectNode().put("user", session.user())
                .put("expiresAt", session.expiresAt().toString()).put("stamp", session.stamp())
                .toString().getBytes(StandardCharsets.UTF_8);
        try {
            kv.put(session.id(), value);
        } catch (IOException | JetStreamApiException e) {
            throw new UnavailableException("cannot record the session in NATS (" + e.getMessage() + ")", e);
        }
        live.put(session.id(), new Live(session.expiresAt(), session.stamp()));
    }

    @Override
    public void ended(String sessionId) throws UnavailableException {
        live.remove(sessionId);
        KeyValue kv = requireBucket("end the session on other dashboards");
        try {
            kv.delete(sessionId);
        } catch (IOException | JetStreamApiException e) {
            throw new UnavailableException("cannot end the session in NATS (" + e.getMessage() + ")", e);
        }
    }

    /** Holds readiness down until the sessions are read, so that a load balancer sends no signed-in browser here before. */
    @Override
    public boolean describe(HealthCheckResponseBuilder response) {
        if (!config.auth().enabled()) {
            return true;
        }
        response.withData("sessionsLoaded", loaded);
        return loaded;
    }

    private KeyValue requireBucket(String what) throws UnavailableException {
        KeyValue kv = bucket;
        if (kv == null || connection.getStatus() != Connection.Status.CONNECTED) {
            throw new UnavailableException("cannot " + what + ": not connected to NATS", null);
        }
        return kv;
    }

    private void open() {
        try {
            if (connection.getStatus() == Connection.Status.CONNECTED) {
                Topology.ensureSessionsBucket(connection, config.auth().sessionMaxAge(), replicas);
                bucket = connection.keyValue(Subjects.SESSIONS_BUCKET);
                watch = bucket.watchAll(new Watcher());
                LOG.infof("watching bucket %s", Subjects.SESSIONS_BUCKET);
                return;
            }
        } catch (Exception e) {
            LOG.debugf("bucket %s not available yet: %s", Subjects.SESSIONS_BUCKET, e.toString());
        }
        if (!background.isShutdown()) {
            background.schedule(this::open, config.watchRetry().toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void forgetExpired() {
        Instant now = clock.instant();
        live.values().removeIf(session -> !now.isBefore(session.expiresAt()));
    }

    private record Live(Instant expiresAt, String stamp) {
    }

    private final class Watcher implements KeyValueWatcher {

        @Override
        public void watch(KeyValueEntry entry) {
            if (entry.getOperation() != KeyValueOperation.PUT) {
                live.remove(entry.getKey());
                return;
            }
            try {
                JsonNode value = Events.mapper().readTree(entry.getValue());
                JsonNode stamp = value.path("stamp");
                live.put(entry.getKey(), new Live(Instant.parse(value.path("expiresAt").asText()),
                        stamp.isTextual() ? stamp.asText() : null));
            } catch (IOException | RuntimeException e) {
                LOG.debugf("ignored unreadable session entry %s: %s", entry.getKey(), e.toString());
            }
        }

        @Override
        public void endOfData() {
            forgetExpired();
            loaded = true;
            LOG.infof("%s: %d live sessions read", Subjects.SESSIONS_BUCKET, live.size());
        }
    }
}
