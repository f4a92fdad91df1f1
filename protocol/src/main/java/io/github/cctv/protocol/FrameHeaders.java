package io.github.cctv.protocol;

import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * The NATS headers of every {@code cctv.frames.<cameraId>} message and their codec: {@link FrameMetadata} to
 * headers ({@link #write}) and back ({@link #read}). Values are decimal ASCII. Written only by ingest, read by
 * the recorder and the dashboard, so all three agree by construction.
 *
 * <p>Required: {@link #SEQ}, {@link #CAPTURE_US}, {@link #INGEST_US} — without them a frame cannot be ordered
 * or timed. Optional: {@link #CODEC} (default {@code jpeg}), {@link #WIDTH} and {@link #HEIGHT} (default 0 =
 * unknown), {@link #KEY_FRAME} (default: a key frame for {@code jpeg}, not one for any other codec). Headers this
 * class does not know are ignored; a header it knows with a malformed value is an error, required or not.
 */
public final class FrameHeaders {

    /** Camera's frame sequence number (unsigned 64-bit, decimal). Required. */
    public static final String SEQ = "Cctv-Seq";
    /** Capture time, microseconds since the Unix epoch, camera clock. Required. */
    public static final String CAPTURE_US = "Cctv-Capture-Us";
    /** Time ingest received the frame, microseconds since the Unix epoch, server clock. Required. */
    public static final String INGEST_US = "Cctv-Ingest-Us";
    /** Codec name: {@code jpeg} or {@code h264}. Optional, default {@code jpeg}. */
    public static final String CODEC = "Cctv-Codec";
    /** Frame width in pixels, from the camera's hello. Optional, default 0 (unknown). */
    public static final String WIDTH = "Cctv-Width";
    /** Frame height in pixels, from the camera's hello. Optional, default 0 (unknown). */
    public static final String HEIGHT = "Cctv-Height";
    /** {@code 1} for a key frame, {@code 0} otherwise. Optional, default {@code 1} for {@code jpeg}, else {@code 0}. */
    public static final String KEY_FRAME = "Cctv-Key";

    /** Codec of a frame whose message names none: the only codec there was before the header. */
    public static final String DEFAULT_CODEC = "jpeg";

    private static final int MAX_CODEC_LENGTH = 32;

    private FrameHeaders() {
    }

    /** Writes every header of {@code frame} through {@code put} (name, value), e.g. {@code headers::put}. */
    public static void write(FrameMetadata frame, BiConsumer<String, String> put) {
        put.accept(SEQ, Long.toUnsignedString(frame.seq()));
        put.accept(CAPTURE_US, Long.toString(frame.captureUs()));
        put.accept(INGEST_US, Long.toString(frame.ingestUs()));
        put.accept(CODEC, frame.codec());
        put.accept(WIDTH, Integer.toString(frame.width()));
        put.accept(HEIGHT, Integer.toString(frame.height()));
        put.accept(KEY_FRAME, frame.keyFrame() ? "1" : "0");
    }

    /**
     * Reads a frame's metadata through {@code get} (header name to its first value, or null when absent).
     *
     * @throws InvalidFrameHeadersException naming the header when a required one is missing or any is malformed
     */
    public static FrameMetadata read(Function<String, String> get) {
        long seq = unsigned(SEQ, required(get, SEQ));
        long captureUs = signed(CAPTURE_US, required(get, CAPTURE_US));
        long ingestUs = signed(INGEST_US, required(get, INGEST_US));
        String codec = codec(get.apply(CODEC));
        int width = size(WIDTH, get.apply(WIDTH));
        int height = size(HEIGHT, get.apply(HEIGHT));
        boolean key = key(get.apply(KEY_FRAME), codec);
        return new FrameMetadata(seq, captureUs, ingestUs, codec, width, height, key);
    }

    private static String required(Function<String, String> get, String name) {
        String v = get.apply(name);
        if (v == null) {
            throw new InvalidFrameHeadersException("header " + name + " is missing");
        }
        return v;
    }

    private static long unsigned(String name, String value) {
        try {
            return Long.parseUnsignedLong(value.strip());
        } catch (NumberFormatException e) {
            throw malformed(name, value, "an unsigned 64-bit decimal number");
        }
    }

    private static long signed(String name, String value) {
        try {
            return Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            throw malformed(name, value, "a decimal number of microseconds");
        }
    }

    private static int size(String name, String value) {
        if (value == null) {
            return 0;
        }
        try {
            int n = Integer.parseInt(value.strip());
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw malformed(name, value, "a number of pixels >= 0");
    }

    private static String codec(String value) {
        if (value == null) {
            return DEFAULT_CODEC;
        }
        String v = value.strip();
        if (v.isEmpty() || v.length() > MAX_CODEC_LENGTH) {
            throw malformed(CODEC, value, "a codec name such as jpeg or h264");
        }
        return v;
    }

    private static boolean key(String value, String codec) {
        if (value == null) {
            return DEFAULT_CODEC.equals(codec);
        }
        return switch (value.strip()) {
            case "1" -> true;
            case "0" -> false;
            default -> throw malformed(KEY_FRAME, value, "1 or 0");
        };
    }

    private static InvalidFrameHeadersException malformed(String name, String value, String expected) {
        String shown = value.length() > 40 ? value.substring(0, 40) + "…" : value;
        return new InvalidFrameHeadersException("header " + name + " is '" + shown.replaceAll("\\p{Cntrl}", "?")
                + "', expected " + expected);
    }

    /** A frame message whose headers break the contract; the message says which header and why. */
    public static final class InvalidFrameHeadersException extends IllegalArgumentException {
        public InvalidFrameHeadersException(String message) {
            super(message);
        }
    }
}
