package io.github.cctv.recorder.domain.retention;

import io.github.cctv.protocol.event.CameraEvent;
import io.github.cctv.recorder.domain.recording.RecordingEvents;
import io.github.cctv.recorder.domain.store.Recording;
import io.github.cctv.recorder.domain.store.RecordingIndex;
import io.github.cctv.recorder.health.RecorderMetrics;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Deletes the oldest segments, by the server's clock: those that ended before the max age, then while the
 * recordings exceed the max total size, then while the disk has less free space than the minimum (so that the disk
 * never fills from recordings). Never a segment being written, and never one kept as evidence (it still counts in
 * the total).
 */
public final class RetentionPolicy {

    private static final Logger LOG = Logger.getLogger(RetentionPolicy.class);

    /** The limits. {@code maxAge} 0 and {@code maxBytes}, {@code minFreeBytes} 0 switch that rule off. */
    public record Limits(Duration maxAge, long maxBytes, long minFreeBytes) {
    }

    private final RecordingIndex index;
    private final RecordingEvents events;
    private final RecorderMetrics metrics;
    private final Clock clock;
    private final Limits limits;
    private final DiskSpace disk;
    private final Supplier<Set<String>> openRecordings;

    public RetentionPolicy(RecordingIndex index, RecordingEvents events, RecorderMetrics metrics, Clock clock,
                           Limits limits, DiskSpace disk, Supplier<Set<String>> openRecordings) {
        this.index = index;
        this.events = events;
        this.metrics = metrics;
        this.clock = clock;
        this.limits = limits;
        this.disk = disk;
        this.openRecordings = openRecordings;
    }

    public Limits limits() {
        return limits;
    }

    /** Applies the policy once; returns the number of segments deleted. */
    public synchronized int apply() {
        Instant now = clock.instant();
        Set<String> open = openRecordings.get();
        List<Recording> all = index.oldestFirst();
        long total = all.stream().mapToLong(Recording::bytes).sum();
        boolean checkFree = limits.minFreeBytes() > 0;
        long free = checkFree ? disk.usableBytes() : Long.MAX_VALUE;
        int deleted = 0;
        for (Recording r : all) {
            if (r.open() || open.contains(r.id()) || r.kept()) {
                continue;
            }
            Instant end = r.end() == null ? r.start() : r.end();
            String reason = null;
            if (!limits.maxAge().isZero() && end.isBefore(now.minus(limits.maxAge()))) {
                reason = "max-age";
            } else if (limits.maxBytes() > 0 && total > limits.maxBytes()) {
                reason = "max-bytes";
            } else if (free < limits.minFreeBytes()) {
                reason = "min-free";
            }
            if (reason == null) {
                continue;
            }
            try {
                index.delete(r);
            } catch (IOException e) {
                LOG.warnf("retention could not delete %s: %s", r.path(), e.getMessage());
                continue;
            }
            total -= r.bytes();
            if (checkFree) {
                free = disk.usableBytes();
            }
            deleted++;
            metrics.deleted();
            LOG.infof("deleted %s (%s)", r.path(), reason);
            events.publish(new CameraEvent.RecordingDeleted(r.cameraId(), now, r.id(), r.path(), reason));
        }
        if (checkFree && free < limits.minFreeBytes()) {
            LOG.warnf("only %d bytes free on the recordings disk, below the %d to keep, and no finished recording"
                    + " left to delete", free, limits.minFreeBytes());
        }
        return deleted;
    }
}
