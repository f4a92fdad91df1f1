package io.github.cctv.recorder.health;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntSupplier;

/** The recorder's Prometheus meters, {@code cctv_recorder_*}. */
public final class RecorderMetrics {

    /** Reasons of {@code cctv_recorder_frames_skipped_total}. */
    public static final String BEFORE_KEYFRAME = "before-keyframe";
    public static final String REJECTED = "rejected";
    /** A frame the files hold already, come again from the stream. */
    public static final String DUPLICATE = "duplicate";

    private final MeterRegistry registry;
    private final Counter skippedBeforeKeyframe;
    private final Counter skippedRejected;
    private final Counter skippedDuplicate;
    private final Counter storageErrors;
    private final AtomicInteger interrupted = new AtomicInteger();

    private final Counter frames;
    private final Counter bytes;
    private final Counter segments;
    private final Counter failures;
    private final Counter leasesLost;
    private final Counter deleted;
    private final Counter invalid;
    private final Map<String, AtomicLong> behind = new ConcurrentHashMap<>();
    private final AtomicInteger active = new AtomicInteger();

    public RecorderMetrics(MeterRegistry registry) {
        this.registry = registry;
        skippedBeforeKeyframe = skipped(registry, BEFORE_KEYFRAME);
        skippedRejected = skipped(registry, REJECTED);
        skippedDuplicate = skipped(registry, DUPLICATE);
        storageErrors = Counter.builder("cctv.recorder.storage.errors")
                .description("Writes, flushes or closes that failed on the storage (each is retried)").register(registry);
        registry.gauge("cctv.recorder.interrupted.recordings", interrupted);
        frames = Counter.builder("cctv.recorder.frames.written").description("Frames written to segment files").register(registry);
        bytes = Counter.builder("cctv.recorder.bytes.written").description("Frame bytes written to segment files").register(registry);
        segments = Counter.builder("cctv.recorder.segments").description("Segment files opened").register(registry);
        failures = Counter.builder("cctv.recorder.failures").description("Recordings stopped by an error").register(registry);
        leasesLost = Counter.builder("cctv.recorder.leases.lost")
                .description("Recordings stopped because their lease ran out by this recorder's clock").register(registry);
        deleted = Counter.builder("cctv.recorder.retention.deleted").description("Segments deleted by retention").register(registry);
        invalid = Counter.builder("cctv.recorder.frames.invalid")
                .description("Frame messages with missing or malformed headers, skipped").register(registry);
        registry.gauge("cctv.recorder.active.recordings", active);
        registry.gauge("cctv.recorder.frames.behind", behind, m -> m.values().stream().mapToLong(AtomicLong::get).sum());
    }

    private static Counter skipped(MeterRegistry registry, String reason) {
        return Counter.builder("cctv.recorder.frames.skipped").tag("reason", reason)
                .description("Frames not written: before the first keyframe of a segment, refused by the writer, "
                        + "or in the files already")
                .register(registry);
    }

    /** A frame was not written, for {@code reason} ({@link #BEFORE_KEYFRAME}, {@link #REJECTED}, {@link #DUPLICATE}). */
    public void frameSkipped(String reason) {
        (REJECTED.equals(reason) ? skippedRejected : DUPLICATE.equals(reason) ? skippedDuplicate
                : skippedBeforeKeyframe).increment();
    }

    /** A write, flush or close failed on the storage. */
    public void storageError() {
        storageErrors.increment();
    }

    /** The number of recordings interrupted by a storage error now. */
    public void interrupted(int recordings) {
        interrupted.set(recordings);
    }

    /** Playbacks, exports and file transfers under way. */
    public void mediaGauges(IntSupplier playbacks, IntSupplier exports, IntSupplier downloads) {
        Gauge.builder("cctv.recorder.playbacks.active", playbacks::getAsInt)
                .description("MJPEG playbacks being streamed").register(registry);
        Gauge.builder("cctv.recorder.exports.active", exports::getAsInt)
                .description("Exports being made").register(registry);
        Gauge.builder("cctv.recorder.downloads.active", downloads::getAsInt)
                .description("Files being sent").register(registry);
    }

    /**
     * The storage gauges, read from {@code report} at each scrape: free and total bytes of the recordings' disk,
     * bytes of recordings (all, kept, per camera), the rate per day, the days the disk holds and the days until it
     * is full at that rate (-1 while nothing is recorded), and whether the storage warning is on.
     *
     * @return what takes each new report, for the per-camera rows
     */
    public java.util.function.Consumer<io.github.cctv.recorder.domain.review.StorageReport> storageGauges(
            java.util.function.Supplier<io.github.cctv.recorder.domain.review.StorageReport> report) {
        Gauge.builder("cctv.recorder.storage.free.bytes", () -> report.get().usableBytes())
                .description("Bytes free on the recordings' file system").register(registry);
        Gauge.builder("cctv.recorder.storage.total.bytes", () -> report.get().totalBytes())
                .description("Size of the recordings' file system").register(registry);
        Gauge.builder("cctv.recorder.storage.recordings.bytes", () -> report.get().recordingsBytes())
                .description("Bytes of all recordings").register(registry);
        Gauge.builder("cctv.recorder.storage.kept.bytes", () -> report.get().keptBytes())
                .description("Bytes of recordings kept as evidence (never deleted by retention)").register(registry);
        Gauge.builder("cctv.recorder.storage.rate.bytes.per.day", () -> report.get().bytesPerDay())
                .description("Bytes of recordings made in the last day (or since the first recording), per day")
                .register(registry);
        Gauge.builder("cctv.recorder.storage.days.held", () -> orMinusOne(report.get().daysHeld()))
                .description("Days of recordings the disk holds at the current rate; -1 while nothing is recorded")
                .register(registry);
        Gauge.builder("cctv.recorder.storage.days.until.full", () -> orMinusOne(report.get().daysUntilFull()))
                .description("Days until the free space reaches the minimum at the current rate; -1 while nothing is"
                        + " recorded").register(registry);
        Gauge.builder("cctv.recorder.storage.warning", () -> report.get().warning() == null ? 0 : 1)
                .description("1 while the storage warning is on (full soon, or holding less than the max age)")
                .register(registry);
        io.micrometer.core.instrument.MultiGauge perCamera = io.micrometer.core.instrument.MultiGauge
                .builder("cctv.recorder.storage.camera.bytes").description("Bytes of recordings per camera")
                .register(registry);
        // per-camera rows follow the cameras present in each new report
        return r -> perCamera.register(r.cameras().stream().map(c -> io.micrometer.core.instrument.MultiGauge.Row.of(
                io.micrometer.core.instrument.Tags.of("camera", c.cameraId()), c.bytes())).toList(), true);
    }

    private static double orMinusOne(Double d) {
        return d == null ? -1 : d;
    }

    /** A media request was refused with 503: {@code kind} playback, export or download. */
    public void busy(String kind) {
        Counter.builder("cctv.recorder.api.busy").tag("kind", kind)
                .description("Media requests refused because their limit was reached").register(registry).increment();
    }

    public void frameWritten(int size) {
        frames.increment();
        bytes.increment(size);
    }

    public void active(int cameras) {
        active.set(cameras);
    }

    public void segmentOpened() {
        segments.increment();
    }

    public void failed() {
        failures.increment();
    }

    /** A recording stopped: its lease ran out while it was written (the process was paused or could not renew). */
    public void leaseLost() {
        leasesLost.increment();
    }

    public void deleted() {
        deleted.increment();
    }

    /** A frame message whose headers break the frame contract was skipped. */
    public void invalidFrame() {
        invalid.increment();
    }

    /** Frames stored in the stream for a camera and not yet delivered to its writer. */
    public void behind(String cameraId, long pending) {
        behind.computeIfAbsent(cameraId, k -> new AtomicLong()).set(pending);
    }

    public void forget(String cameraId) {
        behind.remove(cameraId);
    }
}
