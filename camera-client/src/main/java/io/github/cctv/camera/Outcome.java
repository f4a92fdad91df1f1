package io.github.cctv.camera;

/** How a stream ended. */
public enum Outcome {
    /** Still streaming or retrying. */
    RUNNING,
    /** The frame limit was reached and a goodbye sent. */
    COMPLETED,
    /** Stopped on request (Ctrl-C or {@code stop()}), with a goodbye when a session was open. */
    STOPPED,
    /** The server refused the camera in a way that retrying cannot fix (invalid id, unsupported version). */
    REJECTED
}
