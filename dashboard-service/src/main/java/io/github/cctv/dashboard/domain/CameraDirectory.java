package io.github.cctv.dashboard.domain;

import io.github.cctv.protocol.event.CameraEvent;
import io.github.cctv.protocol.event.CameraStatus;
import io.github.cctv.protocol.event.RecordingState;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the dashboard knows about cameras: registry status and recording state as watched on NATS, and the
 * events as they happen. Every change is pushed to every viewer at once, as a text JSON message.
 */
@Singleton
public class CameraDirectory {

    private final LiveHub hub;
    private final Clock clock;
    private final Map<String, CameraStatus> statuses = new ConcurrentHashMap<>();
    private final Map<String, RecordingState> recordings = new ConcurrentHashMap<>();

    public CameraDirectory(LiveHub hub, Clock clock) {
        this.hub = hub;
        this.clock = clock;
    }

    public void statusChanged(CameraStatus status) {
        statuses.put(status.cameraId(), status);
        hub.broadcast(LiveMessages.camera(view(status.cameraId()), clock.instant()));
    }

    public void statusRemoved(String cameraId) {
        statuses.remove(cameraId);
        hub.broadcast(LiveMessages.cameraRemoved(cameraId, clock.instant()));
    }

    public void recordingChanged(RecordingState state) {
        recordings.put(state.cameraId(), state);
        hub.broadcast(LiveMessages.camera(view(state.cameraId()), clock.instant()));
    }

    public void recordingRemoved(String cameraId) {
        recordings.remove(cameraId);
        hub.broadcast(LiveMessages.camera(view(cameraId), clock.instant()));
    }

    public void eventHappened(CameraEvent event) {
        hub.broadcast(LiveMessages.event(event, clock.instant()));
    }

    public Optional<CameraView> camera(String cameraId) {
        if (!statuses.containsKey(cameraId) && !recordings.containsKey(cameraId)) {
            return Optional.empty();
        }
        return Optional.of(view(cameraId));
    }

    /** Every known camera, sorted by id. */
    public List<CameraView> cameras() {
        TreeSet<String> ids = new TreeSet<>(statuses.keySet());
        ids.addAll(recordings.keySet());
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
