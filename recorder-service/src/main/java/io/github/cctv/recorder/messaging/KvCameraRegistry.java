package io.github.cctv.recorder.messaging;

import io.github.cctv.protocol.Subjects;
import io.github.cctv.recorder.domain.recording.CameraRegistry;
import io.nats.client.Connection;
import io.nats.client.KeyValue;
import io.nats.client.api.KeyValueEntry;
import org.jboss.logging.Logger;

/** Reads the camera registry bucket written by ingest. */
public final class KvCameraRegistry implements CameraRegistry {

    private static final Logger LOG = Logger.getLogger(KvCameraRegistry.class);

    private final Connection nc;

    public KvCameraRegistry(Connection nc) {
        this.nc = nc;
    }

    @Override
    public boolean isKnown(String cameraId) {
        try {
            KeyValue kv = nc.keyValue(Subjects.CAMERAS_BUCKET);
            KeyValueEntry e = kv.get(cameraId);
            return e != null && e.getValue() != null;
        } catch (Exception e) {
            LOG.debugf("camera registry not readable: %s", e.toString());
            return false;
        }
    }
}
