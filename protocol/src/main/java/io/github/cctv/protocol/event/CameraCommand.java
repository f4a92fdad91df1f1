package io.github.cctv.protocol.event;

/**
 * Request on {@code cctv.control.<cameraId>.camera}, answered by ingest with a {@link CameraCommandReply}.
 * {@code action}: {@code forget} (remove the registry entry of an offline camera).
 */
public record CameraCommand(String action) {

    public static final String FORGET = "forget";
}
