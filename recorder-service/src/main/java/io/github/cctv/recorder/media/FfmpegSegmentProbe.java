package io.github.cctv.recorder.media;

import io.github.cctv.recorder.domain.store.SegmentProbe;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.FrameGrabber;

import java.io.IOException;
import java.nio.file.Path;

/** Counts a file's video packets without decoding them. */
public final class FfmpegSegmentProbe implements SegmentProbe {

    static {
        Av.quiet();
    }

    @Override
    public Result probe(Path file) throws IOException {
        try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(file.toFile())) {
            g.start();
            int video = g.getVideoStream();
            AVRational tb = g.getFormatContext().streams(video).time_base();
            long frames = 0;
            long first = Long.MIN_VALUE;
            long last = 0;
            AVPacket p;
            while ((p = g.grabPacket()) != null) {
                if (p.stream_index() == video) {
                    long ms = p.pts() * 1000L * tb.num() / tb.den();
                    if (first == Long.MIN_VALUE) {
                        first = ms;
                    }
                    last = ms;
                    frames++;
                }
                org.bytedeco.ffmpeg.global.avcodec.av_packet_unref(p);
            }
            return new Result(frames, frames == 0 ? 0 : last - first);
        } catch (FrameGrabber.Exception e) {
            throw new IOException("cannot read " + file.getFileName() + ": " + e.getMessage(), e);
        }
    }
}
