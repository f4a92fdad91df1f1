package io.github.cctv.recorder.domain.store;

import java.io.IOException;
import java.nio.file.Path;

/** Reads what a segment file holds, to rebuild the index from the folder. */
public interface SegmentProbe {

    /** Frames and the time of the last one, in milliseconds from the first. */
    Result probe(Path file) throws IOException;

    record Result(long frames, long lastPtsMs) {
    }
}
