package io.github.cctv.protocol.event;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Ingest's reply to a {@link CameraCommand}: {@code {"ok":true}} when done, else {@code {"error":…}} with
 * {@code online} (the camera is connected: its entry is not removed), {@code unknown} (no entry) or
 * {@code invalid} (an unreadable request or unknown action, with a {@code message}).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CameraCommandReply(Boolean ok, String error, String message) {

    public static final String ONLINE = "online";
    public static final String UNKNOWN = "unknown";
    public static final String INVALID = "invalid";
    /** The registry could not be read or written just now: try again. */
    public static final String UNAVAILABLE = "unavailable";

    public static CameraCommandReply done() {
        return new CameraCommandReply(true, null, null);
    }

    public static CameraCommandReply failed(String error, String message) {
        return new CameraCommandReply(null, error, message);
    }

    /** True when the command was carried out. */
    public boolean succeeded() {
        return Boolean.TRUE.equals(ok);
    }
}
