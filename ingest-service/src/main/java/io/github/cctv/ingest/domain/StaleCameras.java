package io.github.cctv.ingest.domain;

import io.github.cctv.protocol.event.CameraEvent;
import io.github.cctv.protocol.event.CameraStatus;
import io.github.cctv.protocol.event.DisconnectReason;

import java.time.Instant;
import java.util.Optional;

/**
 * The rules for registry entries an ingest run left "online" when it died: a previous run of this instance (or an
 * entry naming no instance) left its cameras online, and they are not unless connected here now ({@link #correct});
 * another instance whose lease ran out left its cameras online ({@link #lost}). Such a camera is marked offline
 * (last seen at its last frame) and gets the {@code disconnected} event its {@code connected} never had.
 */
public final class StaleCameras {

    /** Detail of the {@code disconnected} event of a camera a previous run left online. */
    public static final String DETAIL = "ingest restarted";

    /** Detail of the {@code disconnected} event of a camera whose ingest instance stopped renewing its lease. */
    public static final String LOST_DETAIL = "ingest instance %s stopped renewing its lease";

    /** Detail of the {@code disconnected} event of a session whose ingest instance lost its claim while it was away. */
    public static final String CLAIM_LOST_DETAIL = "camera id claimed by ingest instance %s";

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
        return Optional.of(offline(cameraId, left, now, DisconnectReason.CONNECTION_LOST, DETAIL));
    }

    /**
     * The correction of registry entry {@code left}, online on ingest instance {@code left.ingest()} whose lease is
     * gone: offline for {@code ingest-lost}; empty when the entry is offline already.
     */
    public static Optional<Correction> lost(String cameraId, CameraStatus left, Instant now) {
        if (!left.online()) {
            return Optional.empty();
        }
        return Optional.of(offline(cameraId, left, now, DisconnectReason.INGEST_LOST,
                String.format(LOST_DETAIL, left.ingest())));
    }

    /**
     * The correction of registry entry {@code left}, online on this instance, whose claim ingest instance
     * {@code holder} has taken while this one could not renew it: offline for {@code replaced}; empty when offline.
     */
    public static Optional<Correction> claimLost(String cameraId, CameraStatus left, String holder, Instant now) {
        if (!left.online()) {
            return Optional.empty();
        }
        return Optional.of(offline(cameraId, left, now, DisconnectReason.REPLACED,
                String.format(CLAIM_LOST_DETAIL, holder)));
    }

    private static Correction offline(String cameraId, CameraStatus left, Instant now, DisconnectReason reason,
                                      String detail) {
        Instant lastSeen = left.lastFrameAt() != null ? left.lastFrameAt() : left.lastSeen();
        CameraStatus offline = new CameraStatus(left.cameraId(), left.name(), false, left.codec(), left.width(),
                left.height(), 0.0, left.connectedSince(), left.lastFrameAt(), lastSeen, left.peer(), left.frames(),
                reason, left.clockOffsetMs(), left.clockSkewed(), left.substream(), left.ingest());
        return new Correction(offline, new CameraEvent.CameraDisconnected(cameraId, now, reason, detail, left.frames()));
    }
}
