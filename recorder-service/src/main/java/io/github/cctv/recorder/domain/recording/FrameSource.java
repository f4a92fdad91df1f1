package io.github.cctv.recorder.domain.recording;

import java.time.Instant;

/** Frames of one camera from the frame stream, through a durable position that survives restarts. */
public interface FrameSource {

    /**
     * Opens the camera's frames from the one after stream sequence {@code afterSeq} (the last frame on disk) when
     * the stream still holds it, otherwise (or when {@code afterSeq} is 0) from the frames stored since
     * {@code startAt}. Any earlier reader position of the camera is replaced, so that nothing delivered to a reader
     * that died can be lost or come out of order.
     *
     * @throws FrameStreamUnavailableException when the frame stream does not exist (yet)
     */
    FrameStream open(String cameraId, Instant startAt, long afterSeq);

    /** Drops the camera's reader position (after an operator's stop). */
    void forget(String cameraId);

    /** The frame stream is missing or cannot be read right now. */
    final class FrameStreamUnavailableException extends RuntimeException {
        public FrameStreamUnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
