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

    private final MeterRegistry registry;
    private final Counter skippedBeforeKeyframe;
    private final Counter skippedRejected;
    private final Counter storageErrors;
    private final AtomicInteger interrupted = new AtomicInteger();

    private final Counter frames;
    private final Counter bytes;
    private final Counter segments;
    private final Counter failures;
    private final Counter deleted;
    private final Counter invalid;
    private final Map<String, AtomicLong> behind = new ConcurrentHashMap<>();
    private final AtomicInteger active = new AtomicInteger();

    public RecorderMetrics(MeterRegistry registry) {
        this.registry = registry;
        skippedBeforeKeyframe = skipped(registry, BEFORE_KEYFRAME);
        skippedRejected = skipped(registry, REJECTED);
        storageErrors = Counter.builder("cctv.recorder.storage.errors")
                .description("Writes, flushes or closes that failed on the storage (each is retried)").register(registry);
        registry.gauge("cctv.recorder.interrupted.recordings", interrupted);
        frames = Counter.builder("cctv.recorder.frames.written").description("Frames written to segment files").register(registry);
        bytes = Counter.builder("cctv.recorder.bytes.written").description("Frame bytes written to segment files").register(registry);
        segments = Counter.builder("cctv.recorder.segments").description("Segment files opened").register(registry);
        failures = Counter.builder("cctv.recorder.failures").description("Recordings stopped by an error").register(registry);
        deleted = Counter.builder("cctv.recorder.retention.deleted").description("Segments deleted by retention").register(registry);
        invalid = Counter.builder("cctv.recorder.frames.invalid")
                .description("Frame messages with missing or malformed headers, skipped").register(registry);
        registry.gauge("cctv.recorder.active.recordings", active);
        registry.gauge("cctv.recorder.frames.behind", behind, m -> m.values().stream().mapToLong(AtomicLong::get).sum());
    }

    private static Counter skipped(MeterRegistry registry, String reason) {
        return Counter.builder("cctv.recorder.frames.skipped").tag("reason", reason)
                .description("Frames not written: before the first keyframe of a segment, or refused by the writer")
                .register(registry);
    }

    /** A frame was not written, for {@code reason} ({@link #BEFORE_KEYFRAME}, {@link #REJECTED}). */
    public void frameSkipped(String reason) {
        (REJECTED.equals(reason) ? skippedRejected : skippedBeforeKeyframe).increment();
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
