package io.github.cctv.recorder;

import io.github.cctv.recorder.config.RecorderConfig;
import io.github.cctv.recorder.domain.export.ExportJobs;
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
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Start order: index, retention (so that a full disk has room before recording resumes), resumed recordings, control
 * subject; retention then runs every interval and at once when a recording hits a storage error; finished exports
 * expire. Shutdown ends playbacks and exports and closes every file cleanly.
 */
@ApplicationScoped
public class RecorderLifecycle {

    private static final Logger LOG = Logger.getLogger(RecorderLifecycle.class);

    private final RecordingIndex index;
    private final RecordingManager manager;
    private final ControlSubscriber control;
    private final RetentionPolicy retention;
    private final RecorderConfig config;
    private final ExportJobs exports;
    private ScheduledExecutorService scheduler;

    public RecorderLifecycle(RecordingIndex index, RecordingManager manager, ControlSubscriber control,
                             RetentionPolicy retention, RecorderConfig config, ExportJobs exports) {
        this.index = index;
        this.manager = manager;
        this.control = control;
        this.retention = retention;
        this.config = config;
        this.exports = exports;
    }

    void onStart(@Observes StartupEvent ev) {
        try {
            index.load();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the recordings folder " + config.root(), e);
        }
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "recorder-retention"));
        applyRetention();
        manager.onStorageTrouble(this::retentionNow);
        manager.resume();
        control.start();
        long every = Math.max(1, config.retentionInterval().toMillis());
        scheduler.scheduleWithFixedDelay(this::applyRetention, every, every, TimeUnit.MILLISECONDS);
        scheduler.scheduleWithFixedDelay(this::expireExports, 1, 1, TimeUnit.MINUTES);
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

    /** A recording hit a storage error: make room now, on the retention thread. */
    private void retentionNow() {
        try {
            scheduler.execute(this::applyRetention);
        } catch (RejectedExecutionException e) {
            LOG.debugf("no retention run: shutting down");
        }
    }

    private void expireExports() {
        try {
            exports.expire();
        } catch (RuntimeException e) {
            LOG.warnf(e, "expiring exports failed");
        }
    }

    void onStop(@Observes ShutdownEvent ev) {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
        control.close();
        exports.close();
        manager.shutdown();
    }
}
