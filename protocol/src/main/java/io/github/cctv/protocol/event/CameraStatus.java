package io.github.cctv.protocol.event;

import java.time.Instant;

/**
 * A camera's entry in the registry bucket ({@code cctv-cameras}, key = camera id), written by ingest on
 * connect, on disconnect, and about once a second while frames flow ({@code lastFrameAt}, {@code frames}).
 */
public record CameraStatus(String cameraId, String name, boolean online, String codec, int width, int height,
                           double fps, Instant connectedSince, Instant lastFrameAt, Instant lastSeen, String peer,
                           long frames, DisconnectReason disconnectReason) {
}
