package io.github.cctv.dashboard.messaging;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.cctv.dashboard.config.DashboardConfig;
import io.github.cctv.dashboard.domain.recorders.Recorder;
import io.github.cctv.dashboard.domain.recorders.Recorders;
import io.github.cctv.nats.Topology;
import io.github.cctv.protocol.event.Events;
import io.nats.client.Connection;
import io.nats.client.api.KeyValueEntry;
import io.nats.client.api.KeyValueOperation;
import io.nats.client.api.KeyValueWatcher;
import io.nats.client.impl.NatsKeyValueWatchSubscription;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Feeds {@link Recorders} from the bucket {@code cctv-recorders}, where every recorder announces itself (key: its
 * id; value: {@code {"id", "url", "since"}}); the recorders create and write it, this only watches, retrying until the
 * bucket exists. An entry deleted or purged takes its recorder out of the review at once; one that expired (NATS tells
 * no watcher of that) when the keys are next read, every {@link #RECONCILE}.
 */
@Singleton
public class NatsRecorderMembers {

    private static final Logger LOG = Logger.getLogger(NatsRecorderMembers.class);
    /** How often the bucket's keys are read to forget recorders whose entries expired. */
    static final java.time.Duration RECONCILE = java.time.Duration.ofSeconds(10);

    private final Connection connection;
    private final Recorders recorders;
    private final DashboardConfig config;
    private final ScheduledExecutorService retry = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "cctv-dashboard-recorders");
        t.setDaemon(true);
        return t;
    });
    private volatile NatsKeyValueWatchSubscription watch;

    public NatsRecorderMembers(Connection connection, Recorders recorders, DashboardConfig config) {
        this.connection = connection;
        this.recorders = recorders;
        this.config = config;
    }

    void start(@Observes StartupEvent ev) {
        retry.execute(this::watch);
        retry.scheduleWithFixedDelay(this::reconcile, RECONCILE.toMillis(), RECONCILE.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Forgets the recorders whose entries are gone without a delete marker (expired). */
    private void reconcile() {
        if (watch == null || connection.getStatus() != Connection.Status.CONNECTED) {
            return;
        }
        try {
            java.util.Set<String> keys = new java.util.HashSet<>(connection.keyValue(Topology.RECORDERS_BUCKET).keys());
            for (Recorder r : recorders.all()) {
                if (!Recorders.CONFIGURED.equals(r.id()) && !keys.contains(r.id())) {
                    recorders.left(r.id());
                    LOG.infof("recorder %s left (its entry expired)", r.id());
                }
            }
        } catch (Exception e) {
            LOG.debugf("cannot read the keys of %s: %s", Topology.RECORDERS_BUCKET, e.toString());
        }
    }

    void stop(@Observes ShutdownEvent ev) {
        retry.shutdownNow();
        NatsKeyValueWatchSubscription w = watch;
        if (w != null) {
            try {
                w.unsubscribe();
            } catch (RuntimeException ignored) {
                // closing anyway
            }
        }
    }

    private void watch() {
        try {
            if (connection.getStatus() == Connection.Status.CONNECTED) {
                // throws while the bucket does not exist (no recorder has announced itself yet)
                connection.keyValueManagement().getStatus(Topology.RECORDERS_BUCKET);
                watch = connection.keyValue(Topology.RECORDERS_BUCKET).watchAll(new Watcher());
                LOG.infof("watching bucket %s", Topology.RECORDERS_BUCKET);
                return;
            }
        } catch (Exception e) {
            LOG.debugf("bucket %s not available yet: %s", Topology.RECORDERS_BUCKET, e.toString());
        }
        if (!retry.isShutdown()) {
            retry.schedule(this::watch, config.watchRetry().toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** The recorder an entry announces, or null for one that is unreadable (logged, then ignored). */
    static Recorder member(String key, byte[] value) {
        try {
            JsonNode json = Events.mapper().readTree(value);
            String url = json.path("url").asText("");
            return Recorder.of(key, url);
        } catch (java.io.IOException | RuntimeException e) {
            LOG.warnf("ignored the entry of recorder %s in %s: %s", key, Topology.RECORDERS_BUCKET, e.getMessage());
            return null;
        }
    }

    private final class Watcher implements KeyValueWatcher {

        @Override
        public void watch(KeyValueEntry entry) {
            if (entry.getOperation() != KeyValueOperation.PUT) {
                recorders.left(entry.getKey());
                LOG.infof("recorder %s left", entry.getKey());
                return;
            }
            Recorder r = member(entry.getKey(), entry.getValue());
            if (r != null) {
                recorders.joined(r);
                LOG.infof("recorder %s at %s", r.id(), r.base());
            }
        }

        @Override
        public void endOfData() {
            LOG.infof("%s: %d recorders", Topology.RECORDERS_BUCKET, recorders.all().size());
        }
    }
}
