package io.github.cctv.dashboard.messaging;

import io.github.cctv.dashboard.config.DashboardConfig;
import io.github.cctv.dashboard.domain.cameras.CameraDirectory;
import io.github.cctv.nats.NatsReadiness;
import io.github.cctv.protocol.CameraId;
import io.github.cctv.protocol.Subjects;
import io.github.cctv.protocol.event.CameraEvent;
import io.github.cctv.protocol.event.CameraStatus;
import io.github.cctv.protocol.event.Events;
import io.github.cctv.protocol.event.RecordingState;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
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

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Feeds the {@link CameraDirectory} from NATS: watches the camera registry and the recording-state buckets
 * (retrying until they exist: ingest and the recorder create them) and subscribes to every event.
 */
@Singleton
public class NatsWatchers implements NatsReadiness.Detail {

    private static final Logger LOG = Logger.getLogger(NatsWatchers.class);

    private final Connection connection;
    private final CameraDirectory directory;
    private final DashboardConfig config;
    private final ScheduledExecutorService retry = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "cctv-dashboard-watch");
        t.setDaemon(true);
        return t;
    });
    private volatile NatsKeyValueWatchSubscription registryWatch;
    private volatile NatsKeyValueWatchSubscription recordingWatch;
    private Dispatcher events;

    public NatsWatchers(Connection connection, CameraDirectory directory, DashboardConfig config) {
        this.connection = connection;
        this.directory = directory;
        this.config = config;
    }

    void start(@Observes StartupEvent ev) {
        events = connection.createDispatcher();
        events.subscribe(Subjects.EVENTS_ALL, msg -> {
            try {
                CameraEvent event = Events.eventFromJson(msg.getData());
                if (CameraId.isValid(event.cameraId())) {
                    directory.eventHappened(event);
                }
            } catch (IllegalArgumentException e) {
                LOG.debugf("ignored unreadable event on %s: %s", msg.getSubject(), e.getMessage());
            }
        });
        retry.execute(this::watchRegistry);
        retry.execute(this::watchRecording);
    }

    void stop(@Observes ShutdownEvent ev) {
        retry.shutdownNow();
    }

    public boolean registryWatched() {
        return registryWatch != null;
    }

    public boolean recordingWatched() {
        return recordingWatch != null;
    }

    /** Tells readiness whether the buckets are watched; informative only: they appear when ingest and the recorder run. */
    @Override
    public boolean describe(HealthCheckResponseBuilder response) {
        response.withData("registryWatched", registryWatched()).withData("recordingStateWatched", recordingWatched());
        return true;
    }

    private void watchRegistry() {
        registryWatch = watch(Subjects.CAMERAS_BUCKET, this::watchRegistry, entry -> {
            if (entry.getOperation() == KeyValueOperation.PUT) {
                CameraStatus status = Events.read(entry.getValue(), CameraStatus.class);
                if (status.cameraId() != null && status.cameraId().equals(entry.getKey())) {
                    directory.statusChanged(status);
                }
            } else {
                directory.statusRemoved(entry.getKey());
            }
        });
    }

    private void watchRecording() {
        recordingWatch = watch(Subjects.RECORDING_BUCKET, this::watchRecording, entry -> {
            if (entry.getOperation() == KeyValueOperation.PUT) {
                RecordingState state = Events.read(entry.getValue(), RecordingState.class);
                if (state.cameraId() != null && state.cameraId().equals(entry.getKey())) {
                    directory.recordingChanged(state);
                }
            } else {
                directory.recordingRemoved(entry.getKey());
            }
        });
    }

    /** Watches a bucket, or schedules {@code again} and returns null while NATS or the bucket is absent. */
    private NatsKeyValueWatchSubscription watch(String bucket, Runnable again, Consumer<KeyValueEntry> onEntry) {
        try {
            if (connection.getStatus() == Connection.Status.CONNECTED) {
                // throws when the bucket does not exist yet
                connection.keyValueManagement().getStatus(bucket);
                NatsKeyValueWatchSubscription sub = connection.keyValue(bucket).watchAll(new KeyValueWatcher() {
                    @Override
                    public void watch(KeyValueEntry entry) {
                        if (!CameraId.isValid(entry.getKey())) {
                            return;
                        }
                        try {
                            onEntry.accept(entry);
                        } catch (IllegalArgumentException e) {
                            LOG.warnf("ignored unreadable %s entry %s: %s", bucket, entry.getKey(), e.getMessage());
                        }
                    }

                    @Override
                    public void endOfData() {
                        LOG.debugf("%s: initial values read", bucket);
                    }
                });
                LOG.infof("watching bucket %s", bucket);
                return sub;
            }
        } catch (Exception e) {
            LOG.debugf("bucket %s not watchable yet: %s", bucket, e.toString());
        }
        if (!retry.isShutdown()) {
            retry.schedule(again, config.watchRetry().toMillis(), TimeUnit.MILLISECONDS);
        }
        return null;
    }
}
