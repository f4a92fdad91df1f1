package io.github.cctv.recorder.domain.recording;

import java.time.Duration;
import java.util.List;

/** An open, bounded flow of one camera's frames, read by that camera's writer thread only. */
public interface FrameStream extends AutoCloseable {

    /** True when the stream continues after the requested sequence; false when it starts by time. */
    boolean resumed();

    /** Up to {@code max} frames, waiting at most {@code wait} for the first; empty when none came. */
    List<Frame> poll(int max, Duration wait);

    @Override
    void close();
}
