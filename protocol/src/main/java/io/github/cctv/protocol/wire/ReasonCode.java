package io.github.cctv.protocol.wire;

/** Why the server refuses a camera or ends its session; sent in a {@link Message.Reject}. */
public enum ReasonCode {
    /** The stream does not start with a hello carrying the magic "CCTV". */
    BAD_MAGIC(1),
    /** The hello's protocol version is not one the server speaks. */
    UNSUPPORTED_VERSION(2),
    /** The camera id breaks the rules {@code [A-Za-z0-9_-]{1,64}}. */
    INVALID_CAMERA_ID(3),
    /** The token is missing or wrong for this camera. */
    BAD_TOKEN(4),
    /** A camera with this id is online on another connection. */
    ALREADY_ONLINE(5),
    /** A frame is larger than the limit the server announced. */
    FRAME_TOO_LARGE(6),
    /** A message is malformed or out of order. */
    PROTOCOL_ERROR(7),
    /** The hello names a codec the server does not take. */
    UNSUPPORTED_CODEC(8),
    /** Nothing arrived from the camera within the session timeout, or a message was not complete within the message timeout. */
    HEARTBEAT_TIMEOUT(9),
    /** No complete hello arrived within the handshake timeout. */
    HANDSHAKE_TIMEOUT(10),
    /** The server has reached a limit: its connections, the connection attempts of the camera's address, or its camera registry. */
    SERVER_BUSY(11),
    /** A frame's data is not what the session's codec says (a JPEG without SOI/EOI, H.264 not in Annex B, a key frame without SPS/PPS/IDR). */
    INVALID_FRAME(12);

    private final int code;

    ReasonCode(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** The reason with this wire code, or {@link #PROTOCOL_ERROR} for a code this version does not know. */
    public static ReasonCode ofCode(int code) {
        for (ReasonCode r : values()) {
            if (r.code == code) {
                return r;
            }
        }
        return PROTOCOL_ERROR;
    }
}
