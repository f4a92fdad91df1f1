package io.github.cctv.recorder.messaging;

import io.github.cctv.nats.Topology;
import io.github.cctv.protocol.event.Events;
import io.github.cctv.recorder.domain.recording.RecordingProgress;
import io.github.cctv.recorder.domain.store.Recording;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.KeyValue;
import io.nats.client.api.KeyValueEntry;
import io.nats.client.api.KeyValueOperation;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * The "written up to" mark per camera in {@code cctv-recorder-progress} (key = camera id, value
 * {@code {"seq":…,"by":…,"at":…,"segment":{…}}}): the frame stream sequence up to which the recorder named
 * {@code by} holds every frame durably, and the entry of the segment file that holds them (as its sidecar is about to
 * say).
 */
public final class KvRecordingProgress implements RecordingProgress {

    /** A mark's value. */
    public record Mark(long seq, String by, Instant at, Recording segment) {
    }

    private final KeyValue kv;
    private final String self;
    private final Clock clock;

    /** The bucket must exist ({@link Topology#ensureRecorderClusterBuckets}). */
    public KvRecordingProgress(Connection nc, String self, Clock clock) throws IOException {
        this.kv = nc.keyValue(Topology.RECORDER_PROGRESS_BUCKET);
        this.self = self;
        this.clock = clock;
    }

    @Override
    public long writtenUpTo(String cameraId) {
        return mark(cameraId).map(Mark::seq).orElse(0L);
    }

    @Override
    public Optional<Recording> segment(String cameraId) {
        return mark(cameraId).map(Mark::segment);
    }

    private Optional<Mark> mark(String cameraId) {
        try {
            KeyValueEntry e = kv.get(cameraId);
            if (e == null || e.getOperation() != KeyValueOperation.PUT || e.getValue() == null) {
                return Optional.empty();
            }
            return Optional.of(Events.read(e.getValue(), Mark.class));
        } catch (IOException | JetStreamApiException e) {
            throw new IllegalStateException("cannot read the recording progress of " + cameraId + ": " + e, e);
        }
    }

    @Override
    public void written(String cameraId, long streamSeq, Recording segment) {
        try {
            kv.put(cameraId, Events.write(new Mark(streamSeq, self, clock.instant(), segment)));
        } catch (IOException | JetStreamApiException e) {
            throw new IllegalStateException("cannot write the recording progress of " + cameraId + ": " + e, e);
        }
    }
}
