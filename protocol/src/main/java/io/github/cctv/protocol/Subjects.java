package io.github.cctv.protocol;

/**
 * Every NATS subject, stream and bucket name of the system, built in this one place.
 * Callers pass camera ids that {@link CameraId#requireValid} accepts; the builders check again
 * so that no subject can ever be injected.
 */
public final class Subjects {

    public static final String PREFIX = "cctv";

    /** All frames of all cameras: the subject filter of the frame stream. */
    public static final String FRAMES_ALL = "cctv.frames.>";

    /** All events of all cameras: the subject filter of the event stream. */
    public static final String EVENTS_ALL = "cctv.events.>";

    /** JetStream stream over {@link #FRAMES_ALL} (memory storage, short window). */
    public static final String FRAMES_STREAM = "CCTV_FRAMES";

    /** JetStream stream over {@link #EVENTS_ALL} (file storage, history). */
    public static final String EVENTS_STREAM = "CCTV_EVENTS";

    /** Key-value bucket of camera status, key = camera id, value = {@code CameraStatus} JSON. Owned by ingest. */
    public static final String CAMERAS_BUCKET = "cctv-cameras";

    /** Key-value bucket of desired recording state, key = camera id, value = {@code RecordingState} JSON. Owned by the recorder. */
    public static final String RECORDING_BUCKET = "cctv-recording";

    /** Key-value bucket of dashboard sign-in sessions, key = session id, value = {@code {"user","expiresAt"}} JSON. Owned by the dashboard. */
    public static final String SESSIONS_BUCKET = "cctv-sessions";

    private static final String FRAMES = "cctv.frames.";
    private static final String EVENTS = "cctv.events.";
    private static final String CONTROL = "cctv.control.";

    private Subjects() {
    }

    /** {@code cctv.frames.<cameraId>}: one message per frame, image bytes as body, metadata in {@link FrameHeaders}. */
    public static String frames(String cameraId) {
        return FRAMES + CameraId.requireValid(cameraId);
    }

    /** {@code cctv.frames.<cameraId>.sub}: the camera's substream (a second, smaller stream), headers as for frames. */
    public static String substreamFrames(String cameraId) {
        return frames(cameraId) + ".sub";
    }

    /** {@code cctv.events.<cameraId>.<type>}: one JSON event. */
    public static String event(String cameraId, String type) {
        return EVENTS + CameraId.requireValid(cameraId) + "." + type;
    }

    /** {@code cctv.events.<cameraId>.*}: every event of one camera. */
    public static String events(String cameraId) {
        return EVENTS + CameraId.requireValid(cameraId) + ".*";
    }

    /** {@code cctv.control.<cameraId>.recording}: request-reply recording control, served by the recorder. */
    public static String recordingControl(String cameraId) {
        return CONTROL + CameraId.requireValid(cameraId) + ".recording";
    }

    /** {@code cctv.control.*.recording}: what a recorder subscribes to for every camera. */
    public static final String RECORDING_CONTROL_ALL = "cctv.control.*.recording";

    /**
     * The camera id of a frames, events or control subject ({@code cctv.<kind>.<cameraId>[...]}),
     * or {@code null} if the subject is not one of ours.
     */
    public static String cameraIdOf(String subject) {
        if (subject == null || !subject.startsWith(PREFIX + ".")) {
            return null;
        }
        String[] tokens = subject.split("\\.", -1);
        if (tokens.length < 3 || !CameraId.isValid(tokens[2])) {
            return null;
        }
        return tokens[2];
    }
}
