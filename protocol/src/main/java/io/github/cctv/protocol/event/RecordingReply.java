package io.github.cctv.protocol.event;

import java.time.Instant;

/**
 * Reply on the recording control subject. {@code result}: {@code started}, {@code stopped},
 * {@code already-recording}, {@code not-recording}, {@code status}, {@code invalid}, {@code expired} (the command
 * arrived after its deadline and was not carried out) or {@code error};
 * {@code recording} and {@code since} give the state after the command.
 */
public record RecordingReply(String cameraId, String result, boolean recording, Instant since, String message) {

    public static final String STARTED = "started";
    public static final String STOPPED = "stopped";
    public static final String ALREADY_RECORDING = "already-recording";
    public static final String NOT_RECORDING = "not-recording";
    public static final String STATUS = "status";
    public static final String INVALID = "invalid";
    public static final String ERROR = "error";
    public static final String EXPIRED = "expired";
}
