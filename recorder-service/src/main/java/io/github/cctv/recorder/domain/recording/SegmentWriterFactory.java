package io.github.cctv.recorder.domain.recording;

import java.io.IOException;
import java.nio.file.Path;

/** Opens segment files in the configured format. */
public interface SegmentWriterFactory {

    SegmentWriter open(Path file, int width, int height) throws IOException;

    /**
     * Opens a segment for frames of {@code codec} ({@code jpeg}, {@code h264}). The first frame written must be one
     * that {@link #canStartSegment} accepts. This default knows JPEG only.
     */
    default SegmentWriter open(Path file, String codec, int width, int height) throws IOException {
        if (!"jpeg".equalsIgnoreCase(codec)) {
            throw new IOException("frames of codec '" + codec + "' cannot be recorded");
        }
        return open(file, width, height);
    }

    /** The file name extension (no dot) of a segment of {@code codec}'s frames. */
    default String extension(String codec) {
        return "mkv";
    }

    /**
     * Whether a segment may start on this frame: any JPEG; for H.264 only a keyframe (an IDR with its SPS and PPS),
     * since a player can decode nothing before it.
     */
    default boolean canStartSegment(Frame frame) {
        return true;
    }
}
