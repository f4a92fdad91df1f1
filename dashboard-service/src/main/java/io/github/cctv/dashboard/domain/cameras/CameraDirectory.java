package io.github.cctv.dashboard.domain.cameras;

import io.github.cctv.protocol.event.CameraEvent;
import io.github.cctv.protocol.event.CameraStatus;
import io.github.cctv.protocol.event.RecordingState;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the dashboard knows about cameras: registry status and recording state as watched on NATS, and the
 * events as they happen. Every change goes to {@link CameraUpdates} at once. The cameras are those of the registry:
 * a recording state is joined to its camera, and kept without one (a forgotten camera that comes back finds it) but
 * not listed on its own.
 */
public class CameraDirectory {

    private final CameraUpdates updates;
    private final Map<String, CameraStatus> statuses = new ConcurrentHashMap<>();
    private final Map<String, RecordingState> recordings = new ConcurrentHashMap<>();

    public CameraDirectory(CameraUpdates updates) {
        this.updates = updates;
    }

    public void statusChanged(CameraStatus status) {
        statuses.put(status.cameraId(), status);
        updates.cameraChanged(view(status.cameraId()));
    }

    /** The registry entry was deleted or purged (forgotten, or expired): the camera leaves, said once. */
    public void statusRemoved(String cameraId) {
        if (statuses.remove(cameraId) != null) {
            updates.cameraRemoved(cameraId);
        }
    }

    public void recordingChanged(RecordingState state) {
        recordings.put(state.cameraId(), state);
        if (statuses.containsKey(state.cameraId())) {
            updates.cameraChanged(view(state.cameraId()));
        }
    }

    public void recordingRemoved(String cameraId) {
        if (recordings.remove(cameraId) != null && statuses.containsKey(cameraId)) {
            updates.cameraChanged(view(cameraId));
        }
    }

    public void eventHappened(CameraEvent event) {
        updates.eventHappened(event);
    }

    public Optional<CameraView> camera(String cameraId) {
        if (!statuses.containsKey(cameraId)) {
            return Optional.empty();
        }
        return Optional.of(view(cameraId));
    }

    /** Every camera of the registry, sorted by id. */
    public List<CameraView> cameras() {
        TreeSet<String> ids = new TreeSet<>(statuses.keySet());
        List<CameraView> views = new ArrayList<>();
        for (String id : ids) {
            views.add(view(id));
        }
        return views;
    }

    private CameraView view(String cameraId) {
        return new CameraView(cameraId, statuses.get(cameraId), recordings.get(cameraId));
    }
}
