package io.github.cctv.dashboard.media;

import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.Java2DFrameConverter;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.Semaphore;

/**
 * A snapshot of an H.264 camera: one key frame (an IDR access unit with its SPS and PPS, Annex B) decoded with
 * FFmpeg's h264 decoder and written as JPEG. Decodes run on the caller's thread, a few at a time; beyond that the
 * caller is told to come back, so a burst of snapshot requests cannot take the server's CPU.
 */
public final class H264Snapshots {

    /** More snapshots are being decoded than allowed at once. */
    public static final class BusyException extends RuntimeException {
        BusyException(String message) {
            super(message);
        }
    }

    static {
        avutil.av_log_set_level(avutil.AV_LOG_ERROR);
    }

    private final Semaphore decodes;

    public H264Snapshots(int maxConcurrentDecodes) {
        this.decodes = new Semaphore(Math.max(1, maxConcurrentDecodes));
    }

    /**
     * The picture of {@code keyFrame} as JPEG.
     *
     * @throws IllegalArgumentException when it does not decode to a picture
     * @throws BusyException            when too many decodes run already
     */
    public byte[] jpeg(byte[] keyFrame) {
        if (!decodes.tryAcquire()) {
            throw new BusyException("too many snapshots being decoded, try again");
        }
        try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(new ByteArrayInputStream(keyFrame), 0);
             Java2DFrameConverter converter = new Java2DFrameConverter()) {
            g.setFormat("h264");
            g.start();
            Frame picture = g.grabImage();
            if (picture == null || picture.image == null) {
                throw new IllegalArgumentException("the key frame decoded to no picture");
            }
            BufferedImage img = converter.getBufferedImage(picture);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            if (!ImageIO.write(img, "jpg", out)) {
                throw new IllegalStateException("no JPEG writer");
            }
            g.stop();
            return out.toByteArray();
        } catch (FFmpegFrameGrabber.Exception e) {
            throw new IllegalArgumentException("the key frame does not decode: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            decodes.release();
        }
    }
}
