package io.github.cctv.recorder.domain.recording;

import io.github.cctv.protocol.FrameMetadata;

/**
 * One camera frame taken from the frame stream: what ingest published ({@link FrameMetadata} and the encoded
 * bytes), the stream's own sequence {@code streamSeq} (monotonic, unlike a camera's counter, which restarts when
 * the camera does), the frames still waiting behind it, and {@code ack}, which acknowledges this frame and all
 * before it.
 */
public record Frame(String cameraId, long streamSeq, FrameMetadata metadata, byte[] data, long pending, Runnable ack) {

    /** A frame from its parts, as tests and tools make one. */
    public Frame(String cameraId, long streamSeq, long cameraSeq, long captureUs, long ingestUs, int width, int height,
                 String codec, byte[] data, long pending, Runnable ack) {
        this(cameraId, streamSeq, new FrameMetadata(cameraSeq, captureUs, ingestUs, codec, width, height, true), data,
                pending, ack);
    }
}
