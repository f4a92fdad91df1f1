package io.github.cctv.recorder.media;

import io.github.cctv.recorder.config.RecorderConfig;
import io.github.cctv.recorder.domain.recording.SegmentWriterFactory;

/** The segment writer of the configured format. */
public final class SegmentWriters {

    private SegmentWriters() {
    }

    public static SegmentWriterFactory forFormat(RecorderConfig.Format format, int h264Bitrate) {
        if (format == RecorderConfig.Format.H264) {
            return (file, width, height) -> new MkvH264Writer(file, width, height, h264Bitrate);
        }
        return MkvCopyWriter::new;
    }
}
