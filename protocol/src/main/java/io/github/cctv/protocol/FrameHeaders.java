package io.github.cctv.protocol;

/** NATS header names carried by every {@code cctv.frames.<cameraId>} message. Values are decimal ASCII. */
public final class FrameHeaders {

    /** Camera's frame sequence number (unsigned 64-bit, decimal). */
    public static final String SEQ = "Cctv-Seq";
    /** Capture time, microseconds since the Unix epoch, camera clock. */
    public static final String CAPTURE_US = "Cctv-Capture-Us";
    /** Time ingest received the frame, microseconds since the Unix epoch, server clock. */
    public static final String INGEST_US = "Cctv-Ingest-Us";
    /** Codec name: {@code jpeg} or {@code h264}. */
    public static final String CODEC = "Cctv-Codec";
    /** Frame width in pixels, from the camera's hello. */
    public static final String WIDTH = "Cctv-Width";
    /** Frame height in pixels, from the camera's hello. */
    public static final String HEIGHT = "Cctv-Height";
    /** {@code 1} for a key frame, {@code 0} otherwise (every JPEG frame is a key frame). */
    public static final String KEY_FRAME = "Cctv-Key";

    private FrameHeaders() {
    }
}
