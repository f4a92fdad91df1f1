package io.github.cctv.protocol.event;

import java.time.Instant;

/**
 * A camera's desired recording state in the {@code cctv-recording} bucket (key = camera id), written only
 * by the recorder, so that a restarted recorder resumes what it was doing.
 */
public record RecordingState(String cameraId, boolean recording, Instant since, String by) {
}
