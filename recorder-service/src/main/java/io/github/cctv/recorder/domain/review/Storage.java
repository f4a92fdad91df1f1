package io.github.cctv.recorder.domain.review;

import io.github.cctv.recorder.domain.retention.DiskSpace;
import io.github.cctv.recorder.domain.retention.RetentionPolicy;
import io.github.cctv.recorder.domain.store.RecordingIndex;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * The storage report of the recordings, made from the index and the disk at most once per {@link #FRESH} (the API,
 * the metrics and the page ask often; the answer changes slowly).
 */
public final class Storage {

    static final Duration FRESH = Duration.ofSeconds(5);

    private final RecordingIndex index;
    private final DiskSpace disk;
    private final RetentionPolicy.Limits limits;
    private final Clock clock;
    private final Duration warnAhead;
    private volatile StorageReport last;
    private volatile java.util.function.Consumer<StorageReport> listener = r -> { };

    public Storage(RecordingIndex index, DiskSpace disk, RetentionPolicy.Limits limits, Clock clock, Duration warnAhead) {
        this.index = index;
        this.disk = disk;
        this.limits = limits;
        this.clock = clock;
        this.warnAhead = warnAhead;
    }

    /** Told of every new report (the per-camera metrics). */
    public void onReport(java.util.function.Consumer<StorageReport> listener) {
        this.listener = listener;
    }

    public StorageReport report() {
        Instant now = clock.instant();
        StorageReport r = last;
        if (r == null || r.at().plus(FRESH).isBefore(now) || r.at().isAfter(now)) {
            r = fresh();
        }
        return r;
    }

    /** A report made now (after a change: a deletion, a keep). */
    public StorageReport fresh() {
        StorageReport r = StorageReport.of(index.oldestFirst(), disk, limits, clock.instant(), warnAhead);
        last = r;
        listener.accept(r);
        return r;
    }
}
