package io.github.cctv.protocol.wire;

/** Bytes that break the wire protocol; {@link #reason()} is what the server tells the camera before closing. */
public class ProtocolException extends Exception {

    private final ReasonCode reason;

    public ProtocolException(ReasonCode reason, String message) {
        super(message);
        this.reason = reason;
    }

    public ReasonCode reason() {
        return reason;
    }
}
