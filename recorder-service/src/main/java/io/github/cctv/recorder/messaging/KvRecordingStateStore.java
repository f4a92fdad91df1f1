package io.github.cctv.recorder.messaging;

import io.github.cctv.nats.Topology;
import io.github.cctv.protocol.Subjects;
import io.github.cctv.protocol.event.Events;
import io.github.cctv.protocol.event.RecordingState;
import io.github.cctv.recorder.domain.recording.RecordingStateStore;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.KeyValue;
import io.nats.client.api.KeyValueEntry;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Desired recording state in the {@code cctv-recording} bucket, which this service creates and alone writes. */
public final class KvRecordingStateStore implements RecordingStateStore {

    private static final Logger LOG = Logger.getLogger(KvRecordingStateStore.class);

    private final KeyValue kv;

    public KvRecordingStateStore(Connection nc) throws IOException, JetStreamApiException {
        this(nc, 1);
    }

    /** Creates the bucket, if it is missing, in {@code replicas} copies ({@code cctv.nats.replicas}). */
    public KvRecordingStateStore(Connection nc, int replicas) throws IOException, JetStreamApiException {
        Topology.ensureRecordingBucket(nc, replicas);
        this.kv = nc.keyValue(Subjects.RECORDING_BUCKET);
    }

    @Override
    public void put(RecordingState state) {
        try {
            kv.put(state.cameraId(), Events.write(state));
        } catch (IOException | JetStreamApiException e) {
            throw new IllegalStateException("cannot store the recording state of " + state.cameraId() + ": " + e, e);
        }
    }

    @Override
    public List<RecordingState> all() {
        List<RecordingState> out = new ArrayList<>();
        try {
            for (String key : kv.keys()) {
                KeyValueEntry e = kv.get(key);
                if (e == null || e.getValue() == null) {
                    continue;
                }
                try {
                    out.add(Events.read(e.getValue(), RecordingState.class));
                } catch (IllegalArgumentException bad) {
                    LOG.warnf("ignoring unreadable recording state of %s: %s", key, bad.getMessage());
                }
            }
        } catch (IOException | JetStreamApiException | InterruptedException e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException("cannot read " + Subjects.RECORDING_BUCKET + ": " + e, e);
        }
        return out;
    }
}
