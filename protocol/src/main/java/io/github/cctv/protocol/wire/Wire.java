package io.github.cctv.protocol.wire;

import java.nio.charset.StandardCharsets;

/** Constants of the wire format, byte for byte as docs/protocol.md states them. */
public final class Wire {

    /** "CCTV" in ASCII: the first four bytes of every hello payload. */
    public static final byte[] MAGIC = "CCTV".getBytes(StandardCharsets.US_ASCII);

    /** The first protocol version, which every server speaks: one stream per camera. */
    public static final int VERSION = 1;

    /** The version whose hello may describe a substream (and whose frames may carry {@link #FLAG_SUBSTREAM}). */
    public static final int VERSION_SUBSTREAMS = 2;

    /** The newest protocol version this code speaks; a server speaks every version from {@link #VERSION} to this. */
    public static final int MAX_VERSION = VERSION_SUBSTREAMS;

    /** Substreams a version-2 hello may describe. */
    public static final int MAX_SUBSTREAMS = 1;

    /** One substream in a version-2 hello: codec (1), width (2), height (2), fps × 1000 (4). */
    public static final int SUBSTREAM_BYTES = 9;

    /** Every message starts with a type byte and a 32-bit big-endian payload length. */
    public static final int MESSAGE_HEADER_BYTES = 5;

    /** Fixed part of a frame payload: sequence (8), capture time (8), flags (1). */
    public static final int FRAME_FIELDS_BYTES = 17;

    /** Frame flag bit 0: key frame. */
    public static final int FLAG_KEY_FRAME = 0x01;

    /** Frame flag bit 1: a frame of the substream (version 2 sessions whose hello describes one). */
    public static final int FLAG_SUBSTREAM = 0x02;

    /** Largest hello payload accepted. */
    public static final int MAX_HELLO_BYTES = 2048;

    /** Longest display name, UTF-8 bytes. */
    public static final int MAX_NAME_BYTES = 256;

    /** Longest token, UTF-8 bytes. */
    public static final int MAX_TOKEN_BYTES = 1024;

    /** Longest reject message, UTF-8 bytes. */
    public static final int MAX_REJECT_MESSAGE_BYTES = 1024;

    /** Largest width or height accepted in a hello. */
    public static final int MAX_DIMENSION = 16384;

    /** Largest frame size any server may announce (64 MiB, the NATS max_payload ceiling). */
    public static final int MAX_FRAME_BYTES_CEILING = 64 * 1024 * 1024;

    /** Accept payload: version (1), max frame bytes (4), heartbeat interval ms (4), session timeout ms (4). */
    public static final int ACCEPT_BYTES = 13;

    /** Heartbeat payload: time in epoch microseconds (8). */
    public static final int HEARTBEAT_BYTES = 8;

    private Wire() {
    }
}
