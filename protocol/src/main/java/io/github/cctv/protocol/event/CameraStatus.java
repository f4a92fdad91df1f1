package io.github.cctv.protocol.event;

import java.time.Instant;

/**
 * A camera's entry in the registry bucket ({@code cctv-cameras}, key = camera id), written by ingest on
 * connect, on disconnect, and about once a second while frames flow ({@code lastFrameAt}, {@code frames}).
 *
 * @param clockOffsetMs the camera's clock minus the server's, milliseconds (median over its recent frames);
 *                      null until frames have arrived
 * @param clockSkewed   true while the offset is beyond ingest's bound (a {@code clock-skewed} event was published)
 */
public record CameraStatus(String cameraId, String name, boolean online, String codec, int width, int height,
                           double fps, Instant connectedSince, Instant lastFrameAt, Instant lastSeen, String peer,
                           long frames, DisconnectReason disconnectReason, Long clockOffsetMs, boolean clockSkewed) {

    /** An entry without clock information, as written before ingest measured camera clocks. */
    public CameraStatus(String cameraId, String name, boolean online, String codec, int width, int height,
                        double fps, Instant connectedSince, Instant lastFrameAt, Instant lastSeen, String peer,
                        long frames, DisconnectReason disconnectReason) {
        this(cameraId, name, online, codec, width, height, fps, connectedSince, lastFrameAt, lastSeen, peer, frames,
                disconnectReason, null, false);
    }
}
