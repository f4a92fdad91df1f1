package io.github.cctv.camera;

import java.util.Objects;

/**
 * One encoded frame ready to send: a complete JPEG, or one H.264 access unit in Annex B form.
 *
 * @param data          the encoded bytes, sent as they are (never copied or modified afterwards)
 * @param captureMicros when the image was captured, epoch microseconds
 * @param keyFrame      a frame a decoder can start from: every JPEG, an H.264 IDR access unit
 */
public record SourceFrame(byte[] data, long captureMicros, boolean keyFrame) {
    public SourceFrame {
        Objects.requireNonNull(data, "data");
        if (data.length == 0) {
            throw new IllegalArgumentException("empty frame");
        }
    }

    /** A JPEG (always a key frame). */
    public SourceFrame(byte[] jpeg, long captureMicros) {
        this(jpeg, captureMicros, true);
    }
}
