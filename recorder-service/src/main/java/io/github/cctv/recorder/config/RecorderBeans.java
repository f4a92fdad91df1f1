package io.github.cctv.recorder.config;

import io.github.cctv.nats.NatsConfig;
import io.github.cctv.nats.Topology;
import io.github.cctv.recorder.domain.cluster.ClusterCoordinator;
import io.github.cctv.recorder.domain.export.ExportJobs;
import io.github.cctv.recorder.domain.export.SegmentExporter;
import io.github.cctv.recorder.domain.recording.CameraRecorder;
import io.github.cctv.recorder.domain.recording.CameraRegistry;
import io.github.cctv.recorder.domain.recording.FrameSource;
import io.github.cctv.recorder.domain.recording.RecordingEvents;
import io.github.cctv.recorder.domain.recording.RecordingManager;
import io.github.cctv.recorder.domain.recording.RecordingProgress;
import io.github.cctv.recorder.domain.recording.RecordingStateStore;
import io.github.cctv.recorder.domain.recording.SegmentWriterFactory;
import io.github.cctv.recorder.domain.retention.FileStoreSpace;
import io.github.cctv.recorder.domain.retention.RetentionPolicy;
import io.github.cctv.recorder.domain.review.Storage;
import io.github.cctv.recorder.domain.store.RecordingIndex;
import io.github.cctv.recorder.domain.store.RecordingLayout;
import io.github.cctv.recorder.endpoint.MediaLimits;
import io.github.cctv.recorder.health.RecorderMetrics;
import io.github.cctv.recorder.media.FfmpegSegmentProbe;
import io.github.cctv.recorder.media.MjpegPlayer;
import io.github.cctv.recorder.media.Mp4Exporter;
import io.github.cctv.recorder.media.RangeExporter;
import io.github.cctv.recorder.media.ReviewMedia;
import io.github.cctv.recorder.media.SegmentWriters;
import io.github.cctv.recorder.messaging.ControlSubscriber;
import io.github.cctv.recorder.messaging.JetStreamFrameSource;
import io.github.cctv.recorder.messaging.KvCameraRegistry;
import io.github.cctv.recorder.messaging.KvLeases;
import io.github.cctv.recorder.messaging.KvMembership;
import io.github.cctv.recorder.messaging.KvRecordingProgress;
import io.github.cctv.recorder.messaging.KvRecordingStateStore;
import io.github.cctv.recorder.messaging.NatsRecordingEvents;
import io.micrometer.core.instrument.MeterRegistry;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Builds the recorder's parts from configuration: domain objects get their collaborators through interfaces. */
public class RecorderBeans {

    @Produces
    @Singleton
    RecordingLayout layout(RecorderConfig config) {
        return new RecordingLayout(Path.of(config.root()), config.zone());
    }

    @Produces
    @Singleton
    RecordingIndex index(RecordingLayout layout) {
        return new RecordingIndex(layout, new FfmpegSegmentProbe());
    }

    @Produces
    @Singleton
    RecorderMetrics metrics(MeterRegistry registry) {
        return new RecorderMetrics(registry);
    }

    @Produces
    @Singleton
    FrameSource frameSource(Connection nc, RecorderConfig config, RecorderMetrics metrics) {
        return new JetStreamFrameSource(nc, config.consumerPrefix(), config.batchFrames(), config.batchBytes(),
                config.ackWait(), metrics);
    }

    @Produces
    @Singleton
    RecordingEvents events(Connection nc) {
        return new NatsRecordingEvents(nc);
    }

    @Produces
    @Singleton
    RecordingStateStore stateStore(Connection nc, NatsConfig nats) throws IOException, JetStreamApiException {
        return new KvRecordingStateStore(nc, nats.replicas());
    }

    @Produces
    @Singleton
    CameraRegistry cameraRegistry(Connection nc) {
        return new KvCameraRegistry(nc);
    }

    @Produces
    @Singleton
    SegmentWriterFactory writers(RecorderConfig config) {
        return SegmentWriters.forFormat(config.format(), config.h264Bitrate());
    }

    @Produces
    @Singleton
    RecorderIdentity identity(RecorderConfig config, @ConfigProperty(name = "quarkus.http.port") int httpPort) {
        return RecorderIdentity.of(config.instanceId(), config.advertisedUrl(), httpPort);
    }

    /** Membership and camera leases in their buckets, made here at start-up. */
    @Produces
    @Singleton
    ClusterCoordinator cluster(Connection nc, RecorderConfig config, NatsConfig nats, RecorderIdentity identity,
                               RecordingStateStore store, Clock clock) throws IOException, JetStreamApiException {
        Topology.ensureRecorderClusterBuckets(nc, config.lease(), nats.replicas());
        return new ClusterCoordinator(new KvMembership(nc, identity.id(), identity.url(), clock.instant()),
                new KvLeases(nc, identity.id(), config.lease(), clock), store, alwaysRecord(config));
    }

    /** The shared progress marks (the buckets are made here too: it may be the first of them asked for). */
    @Produces
    @Singleton
    RecordingProgress progress(Connection nc, RecorderConfig config, NatsConfig nats, RecorderIdentity identity,
                               Clock clock) throws IOException, JetStreamApiException {
        Topology.ensureRecorderClusterBuckets(nc, config.lease(), nats.replicas());
        return new KvRecordingProgress(nc, identity.id(), clock);
    }

    @Produces
    @Singleton
    RecordingManager manager(RecorderConfig config, FrameSource source, SegmentWriterFactory writers,
                             RecordingIndex index, RecordingEvents events, RecordingStateStore store,
                             CameraRegistry registry, RecorderMetrics metrics, Clock clock,
                             RecordingProgress progress, ClusterCoordinator cluster) {
        Set<String> always = alwaysRecord(config);
        RecordingManager manager = new RecordingManager(
                new CameraRecorder.Settings(config.segmentLength(), config.flushInterval(), config.batchFrames(),
                        config.streamRetry(), config.keyframeLookback(), config.storageRetry(),
                        config.storageRetryMax(), config.batchWait()),
                config.preRoll(), always, source, writers, index, events, store, registry, metrics, clock, cluster,
                progress);
        cluster.manage(manager);
        return manager;
    }

    private static Set<String> alwaysRecord(RecorderConfig config) {
        Set<String> always = new LinkedHashSet<>(config.alwaysRecord().orElse(List.of()));
        always.removeIf(String::isBlank);
        return always;
    }

    @Produces
    @Singleton
    RetentionPolicy retention(RecorderConfig config, RecordingIndex index, RecordingEvents events,
                              RecorderMetrics metrics, Clock clock, RecordingManager manager) {
        return new RetentionPolicy(index, events, metrics, clock,
                new RetentionPolicy.Limits(config.retentionMaxAge(), config.retentionMaxBytes(),
                        config.retentionMinFreeBytes()),
                new FileStoreSpace(index.layout().root()), manager::openRecordings);
    }

    @Produces
    @Singleton
    Storage storage(RecorderConfig config, RecordingIndex index, RetentionPolicy retention, RecorderMetrics metrics,
                    Clock clock) {
        Storage storage = new Storage(index, new FileStoreSpace(index.layout().root()), retention.limits(), clock,
                config.storageWarnAhead());
        storage.onReport(metrics.storageGauges(storage::report));
        return storage;
    }

    /** Made at start, so that its gauges are in the metrics from the first scrape. */
    void startStorage(@jakarta.enterprise.event.Observes io.quarkus.runtime.StartupEvent ev, Storage storage) {
        storage.fresh();
    }

    @Produces
    @Singleton
    ReviewMedia reviewMedia() {
        return new ReviewMedia();
    }

    @Produces
    @Singleton
    ControlSubscriber control(Connection nc, RecordingManager manager, ClusterCoordinator cluster) {
        return new ControlSubscriber(nc, manager, cluster::answers);
    }

    @Produces
    @Singleton
    MjpegPlayer player() {
        return new MjpegPlayer();
    }

    @Produces
    @Singleton
    Mp4Exporter exporter(RecorderConfig config) {
        return new Mp4Exporter(config.h264Bitrate());
    }

    /** Stream copy of a camera's segments, each placed on the wall clock by its start. */
    @Produces
    @Singleton
    SegmentExporter segmentExporter(RecordingLayout layout) {
        RangeExporter range = new RangeExporter();
        return (segments, from, to, out, progress, cancelled) -> range.export(segments.stream()
                        .map(r -> new RangeExporter.Segment(layout.videoOf(r), r.start())).toList(),
                from, to, out, progress, cancelled).frames();
    }

    @Produces
    @Singleton
    MediaLimits mediaLimits(RecorderConfig config, RecorderMetrics metrics) {
        return new MediaLimits(config.maxPlaybacks(), config.maxExports(), config.maxDownloads(),
                config.busyRetryAfter(), metrics);
    }

    void closeMediaLimits(@Disposes MediaLimits limits) {
        limits.close();
    }

    @Produces
    @Singleton
    ExportJobs exportJobs(RecorderConfig config, RecordingIndex index, SegmentExporter exporter, MediaLimits limits,
                          Clock clock) throws IOException {
        Path dir = config.exportDir().filter(d -> !d.isBlank()).map(Path::of)
                .orElse(index.layout().root().resolve(".exports"));
        return new ExportJobs(index, exporter, dir,
                new ExportJobs.Limits(config.exportMaxRange(), config.exportKeep()), limits.exports(), clock);
    }

    void closeExportJobs(@Disposes ExportJobs jobs) {
        jobs.close();
    }
}
