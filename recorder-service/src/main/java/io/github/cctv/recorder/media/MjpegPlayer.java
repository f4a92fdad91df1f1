package io.github.cctv.recorder.media;

import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.FrameGrabber;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_MJPEG;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;

/**
 * Plays a copy-mode recording as {@code multipart/x-mixed-replace} MJPEG at real-time pace: the JPEG packets go out
 * as stored, nothing is decoded. The pacing waits are short slices that ask {@code stop} each time, so that a
 * playback whose viewer went away ends at once, even in a pause of the recording.
 */
public final class MjpegPlayer {

    public static final String BOUNDARY = "frame";
    private static final long SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    /** The file holds no Motion-JPEG (an H.264 recording): nothing was written. */
    public static final class NotMjpegException extends IOException {
        NotMjpegException(String message) {
            super(message);
        }
    }

    static {
        Av.quiet();
    }

    /**
     * Streams {@code file} from {@code offsetSeconds} until its end or until {@code stop} says so; returns the number
     * of frames sent. Nothing is written to {@code out} before the file is known to be playable.
     *
     * @throws NotMjpegException when the file is not Motion-JPEG
     */
    public long play(Path file, double offsetSeconds, OutputStream out, BooleanSupplier stop) throws IOException {
        try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(file.toFile())) {
            g.start();
            if (g.getVideoCodec() != AV_CODEC_ID_MJPEG) {
                throw new NotMjpegException(file.getFileName() + " is " + g.getVideoCodecName()
                        + ", not Motion-JPEG: play its file in a <video> element instead");
            }
            int video = g.getVideoStream();
            AVRational tb = g.getFormatContext().streams(video).time_base();
            long offsetMs = Math.round(offsetSeconds * 1000);
            long firstMs = Long.MIN_VALUE;
            long startNanos = 0;
            long sent = 0;
            Long baseMs = null;
            AVPacket p;
            while (!stop.getAsBoolean() && (p = g.grabPacket()) != null) {
                try {
                    if (p.stream_index() != video) {
                        continue;
                    }
                    long ms = p.pts() * 1000L * tb.num() / tb.den();
                    if (baseMs == null) {
                        baseMs = ms;
                    }
                    if (ms - baseMs < offsetMs) {
                        continue; // skipped without decoding: every MJPEG packet stands alone
                    }
                    if (firstMs == Long.MIN_VALUE) {
                        firstMs = ms;
                        startNanos = System.nanoTime();
                    }
                    long due = startNanos + (ms - firstMs) * 1_000_000L;
                    long wait;
                    while ((wait = due - System.nanoTime()) > 0) {
                        if (stop.getAsBoolean()) {
                            return sent;
                        }
                        LockSupport.parkNanos(Math.min(wait, SLICE_NANOS)); // pacing to real time
                    }
                    byte[] jpeg = new byte[p.size()];
                    p.data().position(0).get(jpeg);
                    out.write(("--" + BOUNDARY + "\r\nContent-Type: image/jpeg\r\nContent-Length: " + jpeg.length
                            + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.write(jpeg);
                    out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    sent++;
                } finally {
                    av_packet_unref(p);
                }
            }
            out.write(("--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return sent;
        } catch (FrameGrabber.Exception e) {
            throw new IOException("cannot read " + file.getFileName() + ": " + e.getMessage(), e);
        }
    }
}
