package io.github.cctv.recorder.media;

import io.github.cctv.protocol.wire.Codec;
import io.github.cctv.recorder.config.RecorderConfig;
import io.github.cctv.recorder.domain.recording.Frame;
import io.github.cctv.recorder.domain.recording.SegmentWriter;
import io.github.cctv.recorder.domain.recording.SegmentWriterFactory;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The segment writer of each codec: H.264 is copied into fragmented MP4 ({@link Fmp4CopyWriter}); JPEG goes into
 * Matroska in the configured format (copied, or re-encoded as H.264).
 */
public final class SegmentWriters implements SegmentWriterFactory {

    private final RecorderConfig.Format jpegFormat;
    private final int h264Bitrate;

    private SegmentWriters(RecorderConfig.Format jpegFormat, int h264Bitrate) {
        this.jpegFormat = jpegFormat;
        this.h264Bitrate = h264Bitrate;
    }

    /** {@code format} applies to JPEG cameras; H.264 cameras are always copied into fragmented MP4. */
    public static SegmentWriterFactory forFormat(RecorderConfig.Format format, int h264Bitrate) {
        return new SegmentWriters(format, h264Bitrate);
    }

    /** A JPEG camera's segment in the configured format. */
    private SegmentWriter openJpeg(Path file, int width, int height) throws IOException {
        return jpegFormat == RecorderConfig.Format.H264
                ? new MkvH264Writer(file, width, height, h264Bitrate)
                : new MkvCopyWriter(file, width, height);
    }

    @Override
    public SegmentWriter open(Path file, String codec, int width, int height) throws IOException {
        Codec c = Codec.ofName(codec);
        if (c == Codec.H264) {
            return new Fmp4CopyWriter(file, width, height);
        }
        if (c == Codec.JPEG) {
            return openJpeg(file, width, height);
        }
        throw new IOException("frames of codec '" + codec + "' cannot be recorded");
    }

    @Override
    public String extension(String codec) {
        return Codec.ofName(codec) == Codec.H264 ? "mp4" : "mkv";
    }

    @Override
    public boolean canStartSegment(Frame frame) {
        return Codec.ofName(frame.metadata().codec()) != Codec.H264 || AnnexB.isKeyframe(frame.data());
    }
}
