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

    /**
     * Key-value bucket of ingest's cluster-wide claims, owned by ingest: key = camera id, value = the id of the ingest
     * instance holding the camera's session; key {@code ingest.<instanceId>} = that instance's heartbeat. Every entry
     * expires one lease after it was last written (the bucket's max age), so a dead instance's claims go with it.
     */
    public static final String CLAIMS_BUCKET = "cctv-ingest-claims";

    /** Queue group of ingest's control subscription: exactly one ingest instance answers each request. */
    public static final String INGEST_QUEUE = "cctv-ingest";

    /** Key-value bucket of desired recording state, key = camera id, value = {@code RecordingState} JSON. Owned by the recorder. */
    public static final String RECORDING_BUCKET = "cctv-recording";

    /** Key-value bucket of dashboard sign-in sessions, key = session id, value = {@code {"user","expiresAt"}} JSON. Owned by the dashboard. */
    public static final String SESSIONS_BUCKET = "cctv-sessions";

    /**
     * Key-value bucket of the live page's camera groups and their grid layouts, key = group id (camera-id rules), value =
     * {@code {"name","cameras","columns","order"}} JSON. Owned by the dashboard.
     */
    public static final String LAYOUTS_BUCKET = "cctv-layouts";

    /**
     * Key-value bucket of dashboard users, key = user name, value = {@code {"name","role","enabled","passwordHash",
     * "allCameras","cameras","stamp",...}} JSON (bcrypt hash, never a password). Owned by the dashboard.
     */
    public static final String USERS_BUCKET = "cctv-users";

    /** Every audit event: the subject filter of the audit stream. */
    public static final String AUDIT_ALL = "cctv.audit.>";

    /** JetStream stream over {@link #AUDIT_ALL} (file storage): who did what, when. */
    public static final String AUDIT_STREAM = "CCTV_AUDIT";

    private static final String AUDIT = "cctv.audit.";

    private static final String FRAMES = "cctv.frames.";
    private static final String EVENTS = "cctv.events.";
    private static final String CONTROL = "cctv.control.";

    private Subjects() {
    }

    /**
     * {@code cctv.audit.<type>}: one JSON audit event (who, what, when) of the dashboard; {@code type} is one of the
     * dashboard's fixed names ({@code sign-in}, {@code recording}, {@code user} ...), checked like a camera id.
     */
    public static String audit(String type) {
        return AUDIT + CameraId.requireValid(type);
    }

    /** {@code cctv.frames.<cameraId>}: one message per frame, image bytes as body, metadata in {@link FrameHeaders}. */
    public static String frames(String cameraId) {
        return FRAMES + CameraId.requireValid(cameraId);
    }

    /**
     * {@code cctv.frames.<cameraId>.sub}: the camera's substream (a second, smaller stream for grid views), one message
     * per frame with the same headers as {@link #frames}. In the frame stream ({@link #FRAMES_ALL}); recorders never
     * take it (their consumers filter on {@link #frames} exactly).
     */
    public static String substreamFrames(String cameraId) {
        return FRAMES + CameraId.requireValid(cameraId) + SUBSTREAM_SUFFIX;
    }

    /** The last token of a substream's frame subject. */
    private static final String SUBSTREAM_SUFFIX = ".sub";

    /** {@code cctv.frames.*}: the main stream of every camera, substreams left out. */
    public static final String MAIN_FRAMES_ALL = "cctv.frames.*";

    /** {@code cctv.frames.*.sub}: the substream of every camera. */
    public static final String SUBSTREAM_FRAMES_ALL = "cctv.frames.*.sub";

    /** True for a substream's frame subject ({@code cctv.frames.<cameraId>.sub}). */
    public static boolean isSubstreamFrames(String subject) {
        return subject != null && subject.startsWith(FRAMES) && subject.endsWith(SUBSTREAM_SUFFIX)
                && cameraIdOf(subject) != null && subject.length() == FRAMES.length() + cameraIdOf(subject).length()
                + SUBSTREAM_SUFFIX.length();
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

    /** {@code cctv.control.<cameraId>.camera}: request-reply control of the camera's registry entry, served by ingest. */
    public static String cameraControl(String cameraId) {
        return CONTROL + CameraId.requireValid(cameraId) + ".camera";
    }

    /** {@code cctv.control.*.camera}: what ingest subscribes to for every camera. */
    public static final String CAMERA_CONTROL_ALL = "cctv.control.*.camera";

    /** The inbox prefix of a client without a NATS user. */
    public static final String INBOX = "_INBOX";

    /**
     * {@code _INBOX.<user>}: where the replies to a service's requests arrive when it signs in as NATS user
     * {@code user}; deploy/nats-users.conf lets each user subscribe to its own inboxes only ({@code _INBOX.<user>.>}).
     * A user name is one subject token: letters, digits, {@code _} and {@code -}.
     */
    public static String inboxPrefix(String user) {
        if (user == null || !user.matches("[A-Za-z0-9_-]{1,64}")) {
            throw new IllegalArgumentException("a NATS user name is 1 to 64 letters, digits, '_' or '-', not '" + user + "'");
        }
        return INBOX + "." + user;
    }

    /**
     * The camera id of a frames (main or substream), events or control subject ({@code cctv.<kind>.<cameraId>[...]}),
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
