package io.github.cctv.recorder.domain.recording;

import java.io.IOException;

/** Writes frames into one segment file. Not thread safe: one writer thread per camera. */
public interface SegmentWriter extends AutoCloseable {

    /**
     * Writes one frame at {@code ptsMs} milliseconds after the segment start (strictly increasing).
     *
     * @throws FrameRejectedException when the frame itself cannot go into this file; nothing was written
     * @throws IOException            when the file cannot be written (a full disk, an I/O error)
     */
    void write(Frame frame, long ptsMs) throws IOException;

    /**
     * Forces everything written so far to the disk, so that the file plays up to here after a crash or a power cut;
     * the frames may be acknowledged once this returns.
     */
    void flush() throws IOException;

    /** Finishes the file. */
    @Override
    void close() throws IOException;

    /**
     * After an error: frees the writer without finishing the file (which is then cut back to a point the index
     * names). By default a close whose error is ignored.
     */
    default void abort() {
        try {
            close();
        } catch (IOException | RuntimeException ignored) {
            // the file is cut back to its last good point by the caller
        }
    }

    /**
     * Where the file can be cut so that it ends right before the last keyframe written: the byte offset at which
     * that keyframe's part of the file begins, or -1 when the format has no such point (every frame of it can
     * start a segment). A recording cut there continues in a new segment from that keyframe, so that nothing is
     * missing and nothing is written twice.
     */
    default long lastKeyframeOffset() {
        return -1;
    }
}
