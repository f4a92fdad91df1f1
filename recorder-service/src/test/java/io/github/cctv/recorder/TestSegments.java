package io.github.cctv.recorder;

import io.github.cctv.recorder.config.RecorderConfig;
import io.github.cctv.recorder.domain.recording.SegmentWriterFactory;
import io.github.cctv.recorder.media.SegmentWriters;

import java.time.Instant;

/** What the segment tests share: the picture size, the frame interval, a start time, the default writers. */
final class TestSegments {

    static final int W = TestFrames.WIDTH;
    static final int H = TestFrames.HEIGHT;
    /** The time between two pictures at 30 fps, µs. */
    static final long STEP = 33_333;
    static final Instant S = Instant.parse("2026-11-25T12:00:00Z");
    static final SegmentWriterFactory WRITERS = SegmentWriters.forFormat(RecorderConfig.Format.COPY, 0);

    private TestSegments() {
    }
}
