package io.github.cctv.recorder.media;

import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.Java2DFrameConverter;

import javax.imageio.ImageIO;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_MJPEG;
import static org.bytedeco.ffmpeg.global.avformat.AVSEEK_FLAG_BACKWARD;
import static org.bytedeco.ffmpeg.global.avformat.av_seek_frame;

/**
 * What review needs from the files besides playing them: a thumbnail (one keyframe decoded, made once and cached),
 * the finished copy of a Matroska segment (its frames copied, not re-encoded, into a file with its duration and an
 * index: the recorder writes Matroska in live mode, which has neither), and one stored JPEG at a moment of a
 * Matroska segment. Each cached file is made once: concurrent requests for the same one wait for the first, and a
 * file is only ever seen complete (written beside, forced, then renamed).
 */
public final class ReviewMedia {

    /** Width of a thumbnail in pixels; the height keeps the picture's shape. */
    public static final int THUMBNAIL_WIDTH = 192;

    static {
        Av.quiet();
    }

    private final Map<Path, Object> making = new ConcurrentHashMap<>();

    /** A stored JPEG and where it is: its time and the next frame's, in seconds from the segment's start. */
    public record JpegFrame(byte[] jpeg, double seconds, Double nextSeconds) {
    }

    /** Returns {@code cached}, decoding the first keyframe of {@code video} into it if it is not there yet. */
    public Path thumbnail(Path video, Path cached) throws IOException {
        return once(cached, tmp -> {
            BufferedImage picture;
            try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(video.toFile());
                 Java2DFrameConverter converter = new Java2DFrameConverter()) {
                g.start();
                Frame f = g.grabImage();
                if (f == null) {
                    throw new IOException(video.getFileName() + " holds no picture");
                }
                picture = converter.convert(f);
                g.stop();
            }
            int w = THUMBNAIL_WIDTH;
            int h = Math.max(1, Math.round(picture.getHeight() * (float) w / picture.getWidth()));
            BufferedImage small = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
            Graphics2D g2 = small.createGraphics();
            g2.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g2.drawImage(picture, 0, 0, w, h, null);
            g2.dispose();
            if (!ImageIO.write(small, "jpg", tmp.toFile())) {
                throw new IOException("no JPEG writer");
            }
        });
    }

    /**
     * Returns {@code cached}, copying the frames of the finished Matroska segment {@code video} into it first if it
     * is not there yet: the same packets and timestamps, with the duration in the header and cues at the end.
     */
    public Path finishedMatroska(Path video, Path cached) throws IOException {
        return once(cached, tmp -> {
            try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(video.toFile())) {
                g.start();
                FFmpegFrameRecorder r = new FFmpegFrameRecorder(tmp.toFile(), g.getImageWidth(), g.getImageHeight(), 0);
                r.setFormat("matroska");
                r.setVideoCodec(g.getVideoCodec());
                try {
                    r.start(g.getFormatContext());
                    AVPacket p;
                    while ((p = g.grabPacket()) != null) {
                        r.recordPacket(p);
                    }
                    r.stop();
                } finally {
                    r.release();
                }
                g.stop();
            }
        });
    }

    /**
     * The stored JPEG shown at {@code offsetSeconds} of a Matroska segment (the last frame at or before it; the first
     * frame before the first), nothing decoded. Seeks by the file's cues when it has them (a finished copy).
     */
    public JpegFrame jpegAt(Path video, double offsetSeconds) throws IOException {
        try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(video.toFile())) {
            g.start();
            if (g.getVideoCodec() != AV_CODEC_ID_MJPEG) {
                throw new MjpegPlayer.NotMjpegException(video.getFileName() + " is not Motion-JPEG");
            }
            AVFormatContext fc = g.getFormatContext();
            int stream = g.getVideoStream();
            AVRational tb = fc.streams(stream).time_base();
            double unit = tb.num() / (double) tb.den();
            long startPts = fc.streams(stream).start_time();
            long base = startPts == org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE ? 0 : startPts;
            long target = base + (long) Math.floor(offsetSeconds / unit);
            av_seek_frame(fc, stream, target, AVSEEK_FLAG_BACKWARD);
            byte[] held = null;
            double heldSeconds = 0;
            AVPacket p;
            while ((p = g.grabPacket()) != null) {
                if (p.stream_index() != stream) {
                    continue;
                }
                double s = (p.pts() - base) * unit;
                if (held != null && p.pts() > target) {
                    return new JpegFrame(held, heldSeconds, s);
                }
                held = new byte[p.size()];
                p.data().get(held);
                heldSeconds = s;
                if (p.pts() > target) {
                    // the first frame comes after the moment asked for: it is what is shown
                    return new JpegFrame(held, heldSeconds, null);
                }
            }
            if (held == null) {
                throw new IOException(video.getFileName() + " holds no frame");
            }
            return new JpegFrame(held, heldSeconds, null);
        }
    }

    private interface Maker {
        void make(Path tmp) throws IOException;
    }

    private Path once(Path cached, Maker maker) throws IOException {
        if (Files.isRegularFile(cached)) {
            return cached;
        }
        Object lock = making.computeIfAbsent(cached, k -> new Object());
        try {
            synchronized (lock) {
                if (Files.isRegularFile(cached)) {
                    return cached;
                }
                Files.createDirectories(cached.getParent());
                String name = cached.getFileName().toString();
                Path tmp = cached.resolveSibling(name.substring(0, name.lastIndexOf('.')) + ".tmp"
                        + name.substring(name.lastIndexOf('.')));
                try {
                    maker.make(tmp);
                    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                        ch.force(true);
                    }
                    Files.move(tmp, cached, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (IOException | RuntimeException e) {
                    Files.deleteIfExists(tmp);
                    throw e;
                }
                return cached;
            }
        } finally {
            making.remove(cached, lock);
        }
    }
}
