package io.github.cctv.dashboard.domain.live;

import io.github.cctv.protocol.FrameMetadata;

/**
 * One camera frame as ingest published it: encoded image bytes and its {@link FrameMetadata}.
 * {@code captureUs} is the camera's clock, {@code ingestUs} the server's, both microseconds since the epoch.
 */
public record Frame(String cameraId, FrameMetadata metadata, byte[] data) {

    /**
     * A key frame from its parts, as tests make one.
     */
    public Frame(String cameraId, long seq, long captureUs, long ingestUs, String codec, int width, int height,
                 byte[] data) {
        this(cameraId, new FrameMetadata(seq, captureUs, ingestUs, codec, width, height, true), data);
    }

    /** The camera's sequence number (unsigned). */
    public long seq() {
        return metadata.seq();
    }

    public long captureUs() {
        return metadata.captureUs();
    }

    public long ingestUs() {
        return metadata.ingestUs();
    }

    public String codec() {
        return metadata.codec();
    }

    public int width() {
        return metadata.width();
    }

    public int height() {
        return metadata.height();
    }

    /** A frame a decoder can start from (every JPEG; an H.264 IDR access unit with its SPS and PPS). */
    public boolean keyFrame() {
        return metadata.keyFrame();
    }

    /** Whether the frame is H.264, which a viewer can only start from a key frame and never skip a frame of. */
    public boolean h264() {
        return "h264".equals(metadata.codec());
    }
}
