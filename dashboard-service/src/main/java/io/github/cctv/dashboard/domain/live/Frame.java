package io.github.cctv.dashboard.domain.live;

import io.github.cctv.protocol.FrameMetadata;

/**
 * One camera frame as ingest published it: encoded image bytes and its {@link FrameMetadata}.
 * {@code captureUs} is the camera's clock, {@code ingestUs} the server's, both microseconds since the epoch.
 */
public record Frame(String cameraId, FrameMetadata metadata, byte[] data) {

    /**
     * A frame from the parts a live message carries (the binary WebSocket frame has no codec, size or key flag:
     * codec {@code null}, size as given), as the live codec's decoder and tests make one.
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
}
