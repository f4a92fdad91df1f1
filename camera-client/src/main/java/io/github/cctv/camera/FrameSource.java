package io.github.cctv.camera;

/**
 * Where a camera's images come from. The streamer calls {@link #poll} on its network thread once per
 * frame slot (at the configured fps), so an implementation must answer at once: a source whose images
 * come from a device or a decoder prepares them on its own thread and hands out the newest one.
 */
public interface FrameSource extends AutoCloseable {

    /**
     * The image for frame number {@code frameNumber} (1, 2, 3… for the life of the streamer), or
     * {@code null} when no new image is ready yet (the slot is skipped, nothing is sent).
     *
     * @param nowMicros the current time, epoch microseconds, to stamp images made on demand
     */
    SourceFrame poll(long frameNumber, long nowMicros);

    /** Releases devices, decoders and threads. */
    @Override
    default void close() {
    }
}
