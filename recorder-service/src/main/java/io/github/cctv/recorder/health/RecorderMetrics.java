package io.github.cctv.recorder.health;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** The recorder's Prometheus meters, {@code cctv_recorder_*}. */
public final class RecorderMetrics {

    private final Counter frames;
    private final Counter bytes;
    private final Counter segments;
    private final Counter failures;
    private final Counter deleted;
    private final Counter invalid;
    private final Map<String, AtomicLong> behind = new ConcurrentHashMap<>();
    private final AtomicInteger active = new AtomicInteger();

    public RecorderMetrics(MeterRegistry registry) {
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
