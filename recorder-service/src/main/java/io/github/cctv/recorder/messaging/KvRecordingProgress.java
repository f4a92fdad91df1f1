package io.github.cctv.recorder.messaging;

import io.github.cctv.nats.Topology;
import io.github.cctv.protocol.event.Events;
import io.github.cctv.recorder.domain.recording.RecordingProgress;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.KeyValue;
import io.nats.client.api.KeyValueEntry;
import io.nats.client.api.KeyValueOperation;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;

/**
 * The "written up to" mark per camera in {@code cctv-recorder-progress} (key = camera id, value
 * {@code {"seq":…,"by":…,"at":…}}): the frame stream sequence up to which the recorder named {@code by} holds every
 * frame durably.
 */
public final class KvRecordingProgress implements RecordingProgress {

    /** A mark's value. */
    public record Mark(long seq, String by, Instant at) {
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
        try {
            KeyValueEntry e = kv.get(cameraId);
            if (e == null || e.getOperation() != KeyValueOperation.PUT || e.getValue() == null) {
                return 0;
            }
            return Events.read(e.getValue(), Mark.class).seq();
        } catch (IOException | JetStreamApiException e) {
            throw new IllegalStateException("cannot read the recording progress of " + cameraId + ": " + e, e);
        }
    }

    @Override
    public void written(String cameraId, long streamSeq) {
        try {
            kv.put(cameraId, Events.write(new Mark(streamSeq, self, clock.instant())));
        } catch (IOException | JetStreamApiException e) {
            throw new IllegalStateException("cannot write the recording progress of " + cameraId + ": " + e, e);
        }
    }
}
