package io.github.cctv.recorder.domain;

/**
 * One camera frame taken from the frame stream. {@code streamSeq} is the stream's own sequence (monotonic, unlike a
 * camera's counter, which restarts when the camera does); {@code ack} acknowledges this frame and all before it.
 */
public record Frame(String cameraId, long streamSeq, long cameraSeq, long captureUs, long ingestUs, int width,
                    int height, String codec, byte[] data, long pending, Runnable ack) {
}
