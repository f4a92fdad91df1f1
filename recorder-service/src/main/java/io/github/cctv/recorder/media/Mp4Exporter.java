package io.github.cctv.recorder.media;

import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameGrabber;
import org.bytedeco.javacv.FrameRecorder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.BooleanSupplier;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_H264;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;

/** Re-encodes a recording, or a time range of it, into an H.264 MP4 (libopenh264) for handing footage over. */
public final class Mp4Exporter {

    static {
        Av.quiet();
    }

    private final int bitrate;

    public Mp4Exporter(int bitrate) {
        this.bitrate = bitrate;
    }

    /**
     * Writes [{@code fromSeconds}, {@code toSeconds}) of {@code in} (seconds from its start; {@code toSeconds} &lt;= 0
     * means to the end) to {@code out}; returns the number of frames written. Stops when {@code cancelled} says so
     * ({@link RangeExporter.CancelledException}); then, as after any error, {@code out} is deleted.
     */
    public long export(Path in, Path out, double fromSeconds, double toSeconds, BooleanSupplier cancelled)
            throws IOException {
        boolean done = false;
        try {
            long frames = encode(in, out, fromSeconds, toSeconds, cancelled);
            done = true;
            return frames;
        } finally {
            if (!done) {
                Files.deleteIfExists(out);
            }
        }
    }

    private long encode(Path in, Path out, double fromSeconds, double toSeconds, BooleanSupplier cancelled)
            throws IOException {
        try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(in.toFile())) {
            g.start();
            // the Matroska files carry millisecond timestamps, not a frame rate: measure it from the frames
            double fps = measuredFps(in);
            long fromUs = Math.round(fromSeconds * 1_000_000);
            long toUs = toSeconds > 0 ? Math.round(toSeconds * 1_000_000) : Long.MAX_VALUE;
            long baseUs = Long.MIN_VALUE;
            long written = 0;
            int lastNumber = -1;
            try (FFmpegFrameRecorder r = new FFmpegFrameRecorder(out.toFile(), g.getImageWidth(), g.getImageHeight(), 0)) {
                r.setFormat("mp4");
                r.setVideoCodec(AV_CODEC_ID_H264);
                r.setVideoCodecName("libopenh264");
                r.setPixelFormat(AV_PIX_FMT_YUV420P);
                r.setFrameRate(fps);
                r.setVideoBitrate(bitrate);
                r.setGopSize((int) Math.round(fps * 2));
                r.start();
                Frame f;
                while ((f = g.grabImage()) != null) {
                    if (cancelled.getAsBoolean() || Thread.currentThread().isInterrupted()) {
                        throw new RangeExporter.CancelledException();
                    }
                    if (baseUs == Long.MIN_VALUE) {
                        baseUs = f.timestamp;
                    }
                    long t = f.timestamp - baseUs;
                    if (t < fromUs) {
                        continue;
                    }
                    if (t >= toUs) {
                        break;
                    }
                    // a constant-rate MP4: a frame lands on the nearest slot, a second frame in one slot is dropped
                    int number = (int) Math.round((t - fromUs) * fps / 1_000_000);
                    if (number <= lastNumber) {
                        continue;
                    }
                    r.setFrameNumber(number);
                    r.record(f);
                    lastNumber = number;
                    written++;
                }
                r.stop();
            }
            return written;
        } catch (FrameGrabber.Exception | FrameRecorder.Exception e) {
            throw new IOException("cannot export " + in.getFileName() + ": " + e.getMessage(), e);
        }
    }

    /** Frames per second over the first frames of a file (at most 150), or 25 when it cannot tell. */
    static double measuredFps(Path in) throws FrameGrabber.Exception {
        try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(in.toFile())) {
            g.start();
            long first = Long.MIN_VALUE;
            long last = 0;
            int frames = 0;
            Frame f;
            while (frames < 150 && (f = g.grabImage()) != null) {
                if (first == Long.MIN_VALUE) {
                    first = f.timestamp;
                }
                last = f.timestamp;
                frames++;
            }
            double fps = frames > 1 && last > first ? (frames - 1) * 1_000_000.0 / (last - first) : 0;
            return fps >= 1 && fps <= 120 ? fps : 25;
        }
    }
}
