package io.github.cctv.ingest.health;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import java.util.function.IntSupplier;

/** The {@code cctv_ingest_*} meters served on {@code /q/metrics}. */
@ApplicationScoped
public class IngestMetrics {

    private final MeterRegistry registry;
    private final AtomicInteger connectionsOpen = new AtomicInteger();
    private final AtomicInteger sessionsOpen = new AtomicInteger();
    private final AtomicInteger outboxSize = new AtomicInteger();
    private final Counter sessionsOpened;
    private final Counter frames;
    private final Counter bytes;
    private final Counter implausibleCaptures;
    private final Counter framesResent;
    private final Counter framesAcknowledgedLate;
    private final Map<String, Counter> tagged = new ConcurrentHashMap<>();

    public IngestMetrics(MeterRegistry registry) {
        this.registry = registry;
        registry.gauge("cctv.ingest.connections.open", connectionsOpen);
        registry.gauge("cctv.ingest.sessions.open", sessionsOpen);
        registry.gauge("cctv.ingest.outbox.pending", outboxSize);
        sessionsOpened = Counter.builder("cctv.ingest.sessions").description("camera sessions opened").register(registry);
        frames = Counter.builder("cctv.ingest.frames").description("frames received from cameras").register(registry);
        bytes = Counter.builder("cctv.ingest.bytes").description("image bytes received from cameras").register(registry);
        implausibleCaptures = Counter.builder("cctv.ingest.capture.implausible")
                .description("frames whose capture time cannot be right (before 2000, or a day ahead)").register(registry);
        framesResent = Counter.builder("cctv.ingest.frames.resent")
                .description("frame publishes repeated because the frame stream did not acknowledge the one before")
                .register(registry);
        framesAcknowledgedLate = Counter.builder("cctv.ingest.frames.acknowledged.late")
                .description("frames the frame stream acknowledged only after they were sent again").register(registry);
    }

    public void connectionOpened() {
        connectionsOpen.incrementAndGet();
    }

    public void connectionClosed() {
        connectionsOpen.decrementAndGet();
    }

    public int openConnections() {
        return connectionsOpen.get();
    }

    public void sessionOpened() {
        sessionsOpen.incrementAndGet();
        sessionsOpened.increment();
    }

    public void sessionClosed(String reason) {
        sessionsOpen.decrementAndGet();
        counter("cctv.ingest.disconnects", "reason", reason).increment();
    }

    /** Gauges of the memory held for frames still arriving and of the connections waiting for it. */
    public void frameMemory(LongSupplier heldBytes, IntSupplier waitingConnections) {
        // suppliers, not objects, so that the gauges hold them strongly
        io.micrometer.core.instrument.Gauge.builder("cctv.ingest.frame.memory.bytes", () -> heldBytes.getAsLong())
                .description("bytes held for frames still arriving").register(registry);
        io.micrometer.core.instrument.Gauge.builder("cctv.ingest.frame.memory.waiting", () -> waitingConnections.getAsInt())
                .description("connections not reading until frame memory is given back").register(registry);
    }

    /** A connection stopped reading because frame memory ran out. */
    public void readPaused() {
        counter("cctv.ingest.reads.paused", "cause", "frame-memory").increment();
    }

    public double readsPaused() {
        return counter("cctv.ingest.reads.paused", "cause", "frame-memory").count();
    }

    /** A frame whose capture time cannot be right (published with the flag). */
    public void implausibleCapture() {
        implausibleCaptures.increment();
    }

    /** A registry entry removed ({@code cause}: expired, full, forgotten). */
    public void registryRemoved(String cause) {
        counter("cctv.ingest.registry.removed", "cause", cause).increment();
    }

    public double registryRemovedCount(String cause) {
        return counter("cctv.ingest.registry.removed", "cause", cause).count();
    }

    public void frame(int imageBytes) {
        frames.increment();
        bytes.increment(imageBytes);
    }

    /** A connection refused or ended by the server, by reason code name (or {@code closed-before-hello}). */
    public void reject(String reason) {
        counter("cctv.ingest.rejects", "reason", reason).increment();
    }

    public double rejects(String reason) {
        return counter("cctv.ingest.rejects", "reason", reason).count();
    }

    /** Every reject so far, all reasons. */
    public double totalRejects() {
        return registry.find("cctv.ingest.rejects").counters().stream().mapToDouble(Counter::count).sum();
    }

    /** Frames dropped so far for {@code cause}. */
    public double framesDropped(String cause) {
        return counter("cctv.ingest.frames.dropped", "cause", cause).count();
    }

    /** A publish that threw ({@code what}: frame, event, registry). */
    public void publishFailure(String what) {
        counter("cctv.ingest.publish.failures", "what", what).increment();
    }

    /** A frame published again because the frame stream did not acknowledge the publish before. */
    public void frameResent() {
        framesResent.increment();
    }

    public double framesResentCount() {
        return framesResent.count();
    }

    /** A frame the frame stream acknowledged only after it was sent again. */
    public void frameAcknowledgedLate() {
        framesAcknowledgedLate.increment();
    }

    public double framesAcknowledgedLateCount() {
        return framesAcknowledgedLate.count();
    }

    /** Gauges of the frames (and their image bytes) waiting for an acknowledgement or to be sent again. */
    public void unacknowledgedFrames(IntSupplier frames, LongSupplier bytes) {
        io.micrometer.core.instrument.Gauge.builder("cctv.ingest.frames.unacknowledged", () -> frames.getAsInt())
                .description("frames waiting for the frame stream's acknowledgement or to be sent again").register(registry);
        io.micrometer.core.instrument.Gauge.builder("cctv.ingest.frames.unacknowledged.bytes", () -> bytes.getAsLong())
                .description("image bytes of the frames waiting for an acknowledgement").register(registry);
    }

    /** A frame that never reached NATS ({@code cause}: nats-down, queue-full, error, unstored). */
    public void frameDropped(String cause) {
        counter("cctv.ingest.frames.dropped", "cause", cause).increment();
    }

    /** An event or registry update dropped because the outbox was full. */
    public void outboxDropped(String what) {
        counter("cctv.ingest.outbox.dropped", "what", what).increment();
    }

    public void outboxSize(int size) {
        outboxSize.set(size);
    }

    private Counter counter(String name, String tag, String value) {
        return tagged.computeIfAbsent(name + '|' + value, k -> Counter.builder(name).tag(tag, value).register(registry));
    }
}
