package io.github.cctv.recorder.domain.recording;

import java.io.IOException;

/** Writes frames into one segment file. Not thread safe: one writer thread per camera. */
public interface SegmentWriter extends AutoCloseable {

    /** Writes one frame at {@code ptsMs} milliseconds after the segment start (strictly increasing). */
    void write(Frame frame, long ptsMs) throws IOException;

    /** Pushes everything written so far to the operating system, so that the file plays up to here after a crash. */
    void flush() throws IOException;

    /** Finishes the file. */
    @Override
    void close() throws IOException;
}
