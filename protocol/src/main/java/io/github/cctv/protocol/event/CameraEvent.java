package io.github.cctv.protocol.event;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

import java.time.Instant;

/**
 * An event on {@code cctv.events.<cameraId>.<type>}, JSON with a {@code type}, the camera id, the time
 * and the schema version ({@link Events#SCHEMA_VERSION}). Past-tense names: each says what happened.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = CameraEvent.CameraConnected.class, name = CameraEvent.CONNECTED),
        @JsonSubTypes.Type(value = CameraEvent.CameraDisconnected.class, name = CameraEvent.DISCONNECTED),
        @JsonSubTypes.Type(value = CameraEvent.RecordingStarted.class, name = CameraEvent.RECORDING_STARTED),
        @JsonSubTypes.Type(value = CameraEvent.RecordingStopped.class, name = CameraEvent.RECORDING_STOPPED),
        @JsonSubTypes.Type(value = CameraEvent.SegmentCompleted.class, name = CameraEvent.SEGMENT_COMPLETED),
        @JsonSubTypes.Type(value = CameraEvent.RecordingDeleted.class, name = CameraEvent.RECORDING_DELETED),
        @JsonSubTypes.Type(value = CameraEvent.RecordingFailed.class, name = CameraEvent.RECORDING_FAILED),
        @JsonSubTypes.Type(value = CameraEvent.ClockSkewed.class, name = CameraEvent.CLOCK_SKEWED),
        @JsonSubTypes.Type(value = CameraEvent.ClockCorrected.class, name = CameraEvent.CLOCK_OK),
        @JsonSubTypes.Type(value = CameraEvent.RecordingResumed.class, name = CameraEvent.RECORDING_RESUMED),
})
public sealed interface CameraEvent {

    String CONNECTED = "connected";
    String DISCONNECTED = "disconnected";
    String RECORDING_STARTED = "recording-started";
    String RECORDING_STOPPED = "recording-stopped";
    String SEGMENT_COMPLETED = "segment-completed";
    String RECORDING_DELETED = "recording-deleted";
    String RECORDING_FAILED = "recording-failed";
    String CLOCK_SKEWED = "clock-skewed";
    String CLOCK_OK = "clock-ok";
    String RECORDING_RESUMED = "recording-resumed";

    String cameraId();

    Instant time();

    /** The last token of the event's subject, the same as its JSON {@code type}. */
    @JsonIgnore
    String type();

    /** A camera opened a session with ingest. */
    record CameraConnected(String cameraId, Instant time, String name, String codec, int width, int height,
                           double fps, String peer) implements CameraEvent {
        public String type() {
            return CONNECTED;
        }
    }

    /** A camera's session ended; exactly one per {@link CameraConnected}. */
    record CameraDisconnected(String cameraId, Instant time, DisconnectReason reason, String detail,
                              long frames) implements CameraEvent {
        public String type() {
            return DISCONNECTED;
        }
    }

    /** The recorder started recording a camera; {@code preRollSeconds} before {@code time} are included. */
    record RecordingStarted(String cameraId, Instant time, int preRollSeconds) implements CameraEvent {
        public String type() {
            return RECORDING_STARTED;
        }
    }

    /** The recorder stopped recording a camera ({@code reason}: operator, shutdown, error). */
    record RecordingStopped(String cameraId, Instant time, String reason) implements CameraEvent {
        public String type() {
            return RECORDING_STOPPED;
        }
    }

    /** A segment file was closed and is complete. {@code path} is relative to the recordings root. */
    record SegmentCompleted(String cameraId, Instant time, String recordingId, String path, Instant start,
                            Instant end, long frames, long bytes) implements CameraEvent {
        public String type() {
            return SEGMENT_COMPLETED;
        }
    }

    /** A segment file was deleted ({@code reason}: max-age, max-bytes, operator). */
    record RecordingDeleted(String cameraId, Instant time, String recordingId, String path, String reason)
            implements CameraEvent {
        public String type() {
            return RECORDING_DELETED;
        }
    }

    /**
     * Recording a camera failed (disk full, unwritable folder…). A storage error is retried with backoff until the
     * recording resumes ({@link RecordingResumed}); any other error stops it ({@link RecordingStopped} follows).
     */
    record RecordingFailed(String cameraId, Instant time, String message) implements CameraEvent {
        public String type() {
            return RECORDING_FAILED;
        }
    }

    /**
     * The camera's clock is off the server's by more than {@code boundMs}: {@code offsetMs} is capture time minus
     * ingest time, the median over the camera's recent frames (positive = the camera is ahead). Its frames keep
     * their capture times as metadata; file names and retention follow the server's clock.
     */
    record ClockSkewed(String cameraId, Instant time, long offsetMs, long boundMs) implements CameraEvent {
        public String type() {
            return CLOCK_SKEWED;
        }
    }

    /** A camera whose clock was reported {@link ClockSkewed} is back within the bound ({@code offsetMs} as there). */
    record ClockCorrected(String cameraId, Instant time, long offsetMs, long boundMs) implements CameraEvent {
        public String type() {
            return CLOCK_OK;
        }
    }

    /**
     * Recording a camera works again after the storage error of {@code failedAt} ({@code error}), by itself: space
     * came back, the folder became writable.
     */
    record RecordingResumed(String cameraId, Instant time, Instant failedAt, String error) implements CameraEvent {
        public String type() {
            return RECORDING_RESUMED;
        }
    }
}
