package io.github.cctv.camera;

import io.github.cctv.protocol.wire.Codec;

import java.util.Objects;

/**
 * What a source's frames are, as the hello announces them.
 *
 * @param fps nominal frames per second
 */
public record StreamFormat(Codec codec, int width, int height, double fps) {
    public StreamFormat {
        Objects.requireNonNull(codec, "codec");
        if (width < 1 || height < 1) {
            throw new IllegalArgumentException("frame size " + width + "x" + height);
        }
        if (!(fps > 0)) {
            throw new IllegalArgumentException("fps " + fps);
        }
    }

    @Override
    public String toString() {
        return codec.wireName() + " " + width + "x" + height + " @ " + String.format(java.util.Locale.ROOT, "%.2f", fps) + " fps";
    }
}
