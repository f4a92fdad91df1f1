package io.github.cctv.camera;

import java.util.Objects;

/**
 * One encoded image ready to send.
 *
 * @param jpeg          the JPEG bytes, sent as they are (never copied or modified afterwards)
 * @param captureMicros when the image was captured, epoch microseconds
 */
public record SourceFrame(byte[] jpeg, long captureMicros) {
    public SourceFrame {
        Objects.requireNonNull(jpeg, "jpeg");
        if (jpeg.length == 0) {
            throw new IllegalArgumentException("empty frame");
        }
    }
}
