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

/** Deletes the oldest segments beyond the max age or the max total size; never a segment being written. */
public final class RetentionPolicy {

    private static final Logger LOG = Logger.getLogger(RetentionPolicy.class);

    private final RecordingIndex index;
    private final RecordingEvents events;
    private final RecorderMetrics metrics;
    private final Clock clock;
    private final Duration maxAge;
    private final long maxBytes;
    private final Supplier<Set<String>> openRecordings;

    public RetentionPolicy(RecordingIndex index, RecordingEvents events, RecorderMetrics metrics, Clock clock,
                           Duration maxAge, long maxBytes, Supplier<Set<String>> openRecordings) {
        this.index = index;
        this.events = events;
        this.metrics = metrics;
        this.clock = clock;
        this.maxAge = maxAge;
        this.maxBytes = maxBytes;
        this.openRecordings = openRecordings;
    }

    /** Applies the policy once; returns the number of segments deleted. */
    public synchronized int apply() {
        Instant now = clock.instant();
        Set<String> open = openRecordings.get();
        List<Recording> all = index.oldestFirst();
        long total = all.stream().mapToLong(Recording::bytes).sum();
        int deleted = 0;
        for (Recording r : all) {
            if (r.open() || open.contains(r.id())) {
                continue;
            }
            Instant end = r.end() == null ? r.start() : r.end();
            String reason = null;
            if (!maxAge.isZero() && end.isBefore(now.minus(maxAge))) {
                reason = "max-age";
            } else if (maxBytes > 0 && total > maxBytes) {
                reason = "max-bytes";
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
            deleted++;
            metrics.deleted();
            LOG.infof("deleted %s (%s)", r.path(), reason);
            events.publish(new CameraEvent.RecordingDeleted(r.cameraId(), now, r.id(), r.path(), reason));
        }
        return deleted;
    }
}
