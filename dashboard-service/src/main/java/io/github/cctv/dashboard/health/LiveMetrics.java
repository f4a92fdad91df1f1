package io.github.cctv.dashboard.health;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.function.Supplier;

/** The dashboard's Prometheus meters ({@code cctv_dashboard_*}). */
@jakarta.inject.Singleton
public class LiveMetrics {

    /** Why a frame did not reach a viewer. */
    public enum DropReason {
        /** A newer frame replaced it while the viewer's previous send was still in flight (a slow viewer). */
        SUPERSEDED("superseded"),
        /** The viewer asked for a lower frame rate for this camera. */
        RATE_CAP("rate-cap"),
        /** The WebSocket write failed (the viewer went away). */
        SEND_FAILED("send-failed"),
        /** H.264: the viewer fell behind and skipped to the next key frame (queued frames and those up to it). */
        SKIPPED_TO_KEYFRAME("skipped-to-keyframe"),
        /** H.264: a frame before the viewer's first key frame (or the next after a gap), which it could not decode. */
        AWAITING_KEYFRAME("awaiting-keyframe");

        final String tag;

        DropReason(String tag) {
            this.tag = tag;
        }
    }

    private final MeterRegistry registry;
    private final Counter sent;
    private final Counter received;
    private final Counter invalid;
    private final Counter skips;
    private final Counter[] dropped = new Counter[DropReason.values().length];

    public LiveMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.sent = Counter.builder("cctv.dashboard.frames.sent").description("Frames sent to viewers").register(registry);
        this.received = Counter.builder("cctv.dashboard.frames.received")
                .description("Frames received from NATS").register(registry);
        this.invalid = Counter.builder("cctv.dashboard.frames.invalid")
                .description("Frame messages from NATS with missing or malformed headers, ignored").register(registry);
        this.skips = Counter.builder("cctv.dashboard.keyframe.skips")
                .description("Times a slow viewer skipped to the next key frame of an H.264 camera").register(registry);
        for (DropReason r : DropReason.values()) {
            dropped[r.ordinal()] = Counter.builder("cctv.dashboard.frames.dropped").tag("reason", r.tag)
                    .description("Frames not sent to a viewer, by reason").register(registry);
        }
    }

    public void gauge(String name, String description, Supplier<Number> value) {
        io.micrometer.core.instrument.Gauge.builder(name, value).description(description).register(registry);
    }

    public void sent() {
        sent.increment();
    }

    public void received() {
        received.increment();
    }

    public void invalid() {
        invalid.increment();
    }

    public void skippedToKeyframe() {
        skips.increment();
    }

    public double keyframeSkips() {
        return skips.count();
    }

    public void dropped(DropReason reason) {
        dropped[reason.ordinal()].increment();
    }

    public double droppedCount(DropReason reason) {
        return dropped[reason.ordinal()].count();
    }
}
