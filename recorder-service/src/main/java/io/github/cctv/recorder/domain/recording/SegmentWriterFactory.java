package io.github.cctv.recorder.domain.recording;

import java.io.IOException;
import java.nio.file.Path;

/** Opens segment files in the format of each codec. */
public interface SegmentWriterFactory {

    /**
     * Opens a segment for frames of {@code codec} ({@code jpeg}, {@code h264}). The first frame written must be one
     * that {@link #canStartSegment} accepts.
     */
    SegmentWriter open(Path file, String codec, int width, int height) throws IOException;

    /** The file name extension (no dot) of a segment of {@code codec}'s frames: {@code mkv} or {@code mp4}. */
    String extension(String codec);

    /**
     * Whether a segment may start on this frame: any JPEG; for H.264 only a keyframe (an IDR with its SPS and PPS),
     * since a player can decode nothing before it.
     */
    boolean canStartSegment(Frame frame);
}
