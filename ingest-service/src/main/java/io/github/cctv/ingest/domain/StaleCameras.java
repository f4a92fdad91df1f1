package io.github.cctv.ingest.domain;

import io.github.cctv.protocol.event.CameraEvent;
import io.github.cctv.protocol.event.CameraStatus;
import io.github.cctv.protocol.event.DisconnectReason;

import java.time.Instant;
import java.util.Optional;

/**
 * The rule for registry entries a previous run of ingest left behind: a run that crashed left its cameras
 * "online", and they are not, unless they are connected here now. Such a camera is marked offline (lost
 * connection, last seen at its last frame) and gets the {@code disconnected} event its {@code connected} never had.
 */
public final class StaleCameras {

    /** Detail of the {@code disconnected} event of a camera a previous run left online. */
    public static final String DETAIL = "ingest restarted";

    /** What to write for a stale entry: its offline status and the missing event. */
    public record Correction(CameraStatus offline, CameraEvent.CameraDisconnected event) {
    }

    private StaleCameras() {
    }

    /**
     * The correction of registry entry {@code left} (key {@code cameraId}), or empty when the entry is true as it
     * stands: the camera is offline already, or {@code connectedHere}.
     */
    public static Optional<Correction> correct(String cameraId, CameraStatus left, boolean connectedHere, Instant now) {
        if (connectedHere || !left.online()) {
            return Optional.empty();
        }
        Instant lastSeen = left.lastFrameAt() != null ? left.lastFrameAt() : left.lastSeen();
        CameraStatus offline = new CameraStatus(left.cameraId(), left.name(), false, left.codec(), left.width(),
                left.height(), 0.0, left.connectedSince(), left.lastFrameAt(), lastSeen, left.peer(), left.frames(),
                DisconnectReason.CONNECTION_LOST);
        return Optional.of(new Correction(offline, new CameraEvent.CameraDisconnected(cameraId, now,
                DisconnectReason.CONNECTION_LOST, DETAIL, left.frames())));
    }
}
