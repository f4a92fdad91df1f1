package io.github.cctv.protocol.event;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** Why a camera session ended. */
public enum DisconnectReason {
    /** The camera said goodbye. */
    GOODBYE("goodbye"),
    /** The connection closed or failed without a goodbye. */
    CONNECTION_LOST("connection-lost"),
    /** Nothing arrived from the camera within the session timeout, or a message stayed incomplete too long. */
    HEARTBEAT_TIMEOUT("heartbeat-timeout"),
    /** The camera broke the protocol (malformed message, frame too large…) and was dropped. */
    PROTOCOL_ERROR("protocol-error"),
    /** Ingest shut down. */
    SERVER_SHUTDOWN("server-shutdown"),
    /** The same camera connected again with its token: the new session took the camera id over from this one. */
    REPLACED("replaced"),
    /**
     * The ingest instance that held the session stopped renewing its lease (killed, or cut off from NATS): another
     * instance marked the camera offline for it.
     */
    INGEST_LOST("ingest-lost");

    private final String wireName;

    DisconnectReason(String wireName) {
        this.wireName = wireName;
    }

    @JsonValue
    public String wireName() {
        return wireName;
    }

    @JsonCreator
    public static DisconnectReason ofWireName(String name) {
        for (DisconnectReason r : values()) {
            if (r.wireName.equals(name)) {
                return r;
            }
        }
        throw new IllegalArgumentException("unknown disconnect reason " + name);
    }
}
