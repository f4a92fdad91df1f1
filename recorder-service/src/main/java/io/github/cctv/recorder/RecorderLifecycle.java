package io.github.cctv.recorder;

import io.github.cctv.recorder.config.RecorderConfig;
import io.github.cctv.recorder.domain.cluster.ClusterCoordinator;
import io.github.cctv.recorder.domain.export.ExportJobs;
import io.github.cctv.recorder.domain.recording.RecordingManager;
import io.github.cctv.recorder.domain.recording.RecordingProgress;
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
 * Start order: index, retention (so that a full disk has room before recording resumes), the first round of sharing
 * the cameras with the other recorders (this one takes the cameras it should record), control subject; a round then
 * runs every lease renewal; retention then runs every interval and at once when a recording hits a storage error; finished exports
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
    private final ClusterCoordinator cluster;
    private final RecordingProgress progress;
    private ScheduledExecutorService scheduler;
    private ScheduledExecutorService rounds;

    public RecorderLifecycle(RecordingIndex index, RecordingManager manager, ControlSubscriber control,
                             RetentionPolicy retention, RecorderConfig config, ExportJobs exports,
                             ClusterCoordinator cluster, RecordingProgress progress) {
        this.cluster = cluster;
        this.progress = progress;
        this.index = index;
        this.manager = manager;
        this.control = control;
        this.retention = retention;
        this.config = config;
        this.exports = exports;
    }

    void onStart(@Observes StartupEvent ev) {
        try {
            // a segment open in a crash between its progress mark and its sidecar is finished as the mark says
            index.load(progress::segment);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the recordings folder " + config.root(), e);
        }
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "recorder-retention"));
        applyRetention();
        manager.onStorageTrouble(this::retentionNow);
        // the first round at once: a lone recorder takes every camera to record before it answers a request
        cluster.tick();
        // two threads: the lease renewals never wait behind a round of sharing that waits on a bucket
        rounds = Executors.newScheduledThreadPool(2, r -> new Thread(r, "recorder-cluster"));
        long renew = Math.max(1, config.leaseRenew().toMillis());
        rounds.scheduleWithFixedDelay(() -> round(cluster::renewLeases), renew, renew, TimeUnit.MILLISECONDS);
        rounds.scheduleWithFixedDelay(() -> round(cluster::share), renew, renew, TimeUnit.MILLISECONDS);
        control.start();
        long every = Math.max(1, config.retentionInterval().toMillis());
        scheduler.scheduleWithFixedDelay(this::applyRetention, every, every, TimeUnit.MILLISECONDS);
        scheduler.scheduleWithFixedDelay(this::expireExports, 1, 1, TimeUnit.MINUTES);
        LOG.infof("recorder %s ready: root %s, zone %s, format %s, segments of %s", cluster.self(),
                index.layout().root(), config.zone(), config.format(), config.segmentLength());
    }

    private void round(Runnable round) {
        try {
            round.run();
        } catch (RuntimeException e) {
            LOG.warnf(e, "sharing the cameras with the other recorders failed this round");
        }
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
        if (rounds != null) {
            rounds.shutdownNow();
            try {
                rounds.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        control.close();
        exports.close();
        cluster.shutdown();
    }
}
