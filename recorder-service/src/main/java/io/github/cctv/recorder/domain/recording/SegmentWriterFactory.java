package io.github.cctv.recorder.domain.recording;

import java.io.IOException;
import java.nio.file.Path;

/** Opens segment files in the configured format. */
public interface SegmentWriterFactory {

    SegmentWriter open(Path file, int width, int height) throws IOException;
}
