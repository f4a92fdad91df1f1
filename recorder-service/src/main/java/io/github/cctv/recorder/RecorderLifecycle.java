package io.github.cctv.recorder;

import io.github.cctv.recorder.config.RecorderConfig;
import io.github.cctv.recorder.domain.recording.RecordingManager;
import io.github.cctv.recorder.domain.retention.RetentionPolicy;
import io.github.cctv.recorder.domain.store.RecordingIndex;
import io.github.cctv.recorder.messaging.ControlSubscriber;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** Start order: index, resumed recordings, control subject, retention. Shutdown closes every file cleanly. */
@ApplicationScoped
public class RecorderLifecycle {

    private static final Logger LOG = Logger.getLogger(RecorderLifecycle.class);

    private final RecordingIndex index;
    private final RecordingManager manager;
    private final ControlSubscriber control;
    private final RetentionPolicy retention;
    private final RecorderConfig config;
    private ScheduledExecutorService scheduler;

    public RecorderLifecycle(RecordingIndex index, RecordingManager manager, ControlSubscriber control,
                             RetentionPolicy retention, RecorderConfig config) {
        this.index = index;
        this.manager = manager;
        this.control = control;
        this.retention = retention;
        this.config = config;
    }

    void onStart(@Observes StartupEvent ev) {
        try {
            index.load();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the recordings folder " + config.root(), e);
        }
        manager.resume();
        control.start();
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "recorder-retention"));
        long every = Math.max(1, config.retentionInterval().toMillis());
        scheduler.scheduleWithFixedDelay(this::applyRetention, every, every, TimeUnit.MILLISECONDS);
        LOG.infof("recorder ready: root %s, zone %s, format %s, segments of %s", index.layout().root(),
                config.zone(), config.format(), config.segmentLength());
    }

    private void applyRetention() {
        try {
            retention.apply();
        } catch (RuntimeException e) {
            LOG.warnf(e, "retention failed");
        }
    }

    void onStop(@Observes ShutdownEvent ev) {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
        control.close();
        manager.shutdown();
    }
}
