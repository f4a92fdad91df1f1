package io.github.cctv.protocol.event;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.Instant;

/**
 * A camera's entry in the registry bucket ({@code cctv-cameras}, key = camera id), written by ingest on
 * connect, on disconnect, and about once a second while frames flow ({@code lastFrameAt}, {@code frames}).
 *
 * @param clockOffsetMs the camera's clock minus the server's, milliseconds (median over its recent frames);
 *                      null until frames have arrived
 * @param clockSkewed   true while the offset is beyond ingest's bound (a {@code clock-skewed} event was published)
 * @param substream     the second, smaller stream the camera sends on {@code cctv.frames.<id>.sub}, as its hello
 *                      describes it; absent from the JSON when it sends none
 * @param ingest        the id of the ingest instance that owns the camera's session ({@code cctv.ingest.instance-id}),
 *                      or last owned it; absent from entries written before ingest ran as several instances
 */
public record CameraStatus(String cameraId, String name, boolean online, String codec, int width, int height,
                           double fps, Instant connectedSince, Instant lastFrameAt, Instant lastSeen, String peer,
                           long frames, DisconnectReason disconnectReason, Long clockOffsetMs, boolean clockSkewed,
                           @JsonInclude(JsonInclude.Include.NON_NULL) Substream substream,
                           @JsonInclude(JsonInclude.Include.NON_NULL) String ingest) {

    /** An entry that names no owning ingest instance. */
    public CameraStatus(String cameraId, String name, boolean online, String codec, int width, int height,
                        double fps, Instant connectedSince, Instant lastFrameAt, Instant lastSeen, String peer,
                        long frames, DisconnectReason disconnectReason, Long clockOffsetMs, boolean clockSkewed,
                        Substream substream) {
        this(cameraId, name, online, codec, width, height, fps, connectedSince, lastFrameAt, lastSeen, peer, frames,
                disconnectReason, clockOffsetMs, clockSkewed, substream, null);
    }

    /** A camera's substream: codec name ({@code h264}, {@code jpeg}), picture size and nominal frames per second. */
    public record Substream(String codec, int width, int height, double fps) {
    }

    /** An entry without a substream. */
    public CameraStatus(String cameraId, String name, boolean online, String codec, int width, int height,
                        double fps, Instant connectedSince, Instant lastFrameAt, Instant lastSeen, String peer,
                        long frames, DisconnectReason disconnectReason, Long clockOffsetMs, boolean clockSkewed) {
        this(cameraId, name, online, codec, width, height, fps, connectedSince, lastFrameAt, lastSeen, peer, frames,
                disconnectReason, clockOffsetMs, clockSkewed, null);
    }

    /** An entry without clock information, as written before ingest measured camera clocks. */
    public CameraStatus(String cameraId, String name, boolean online, String codec, int width, int height,
                        double fps, Instant connectedSince, Instant lastFrameAt, Instant lastSeen, String peer,
                        long frames, DisconnectReason disconnectReason) {
        this(cameraId, name, online, codec, width, height, fps, connectedSince, lastFrameAt, lastSeen, peer, frames,
                disconnectReason, null, false);
    }
}
