package io.github.cctv.camera;

import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameGrabber;
import org.bytedeco.javacv.Java2DFrameConverter;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Images from anything FFmpeg opens: a video file (played frame by frame at the streamer's fps, looping
 * forever), a V4L2 device ({@code /dev/video0}, {@code webcam:0}) or a stream URL ({@code rtsp://},
 * {@code http://} MJPEG…). FFmpeg scales to the requested size; ImageIO encodes the JPEG. Decoding runs on
 * its own thread: a live source keeps only the newest image (older ones are dropped, never queued), a
 * file waits until its previous frame has been taken. A live source that fails is reopened with backoff.
 */
public final class GrabberSource implements FrameSource {

    /** What kind of input, which decides pacing and what happens at its end. */
    public enum Kind {
        /** A file: frame by frame, loops at the end. */
        FILE,
        /** A camera device or network stream: newest frame wins, reopened when it fails. */
        LIVE
    }

    private final String source;
    private final String location;
    private final String format;
    private final Kind kind;
    private final int width;
    private final int height;
    private final double fps;
    private final long periodMicros;
    private final Clock clock;
    private final JpegEncoder encoder;
    private final Java2DFrameConverter converter = new Java2DFrameConverter();
    private final BufferedImage scaled;

    private final BlockingQueue<SourceFrame> fileFrames = new ArrayBlockingQueue<>(1);
    private final AtomicReference<SourceFrame> latest = new AtomicReference<>();
    private final AtomicLong decoded = new AtomicLong();
    private final AtomicLong loops = new AtomicLong();
    private final Thread thread;
    private volatile boolean closed;
    private FFmpegFrameGrabber grabber;

    private GrabberSource(String source, String format, int width, int height, double fps, float quality, Clock clock) {
        this.source = source;
        this.width = width;
        this.height = height;
        this.fps = fps;
        this.periodMicros = (long) (1_000_000 / fps);
        this.clock = clock;
        this.encoder = new JpegEncoder(quality);
        this.scaled = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
        if (source.startsWith("webcam:")) {
            String index = source.substring("webcam:".length());
            if (!index.matches("\\d{1,3}")) {
                throw new IllegalArgumentException("webcam source must be webcam:<number>, got " + source);
            }
            this.location = "/dev/video" + index;
            this.format = format != null ? format : "video4linux2";
            this.kind = Kind.LIVE;
        } else if (source.startsWith("/dev/")) {
            this.location = source;
            this.format = format != null ? format : "video4linux2";
            this.kind = Kind.LIVE;
        } else if (source.matches("[a-zA-Z][a-zA-Z0-9+.-]*://.*")) {
            this.location = source;
            this.format = format;
            this.kind = Kind.LIVE;
        } else {
            this.location = source;
            this.format = format;
            this.kind = Kind.FILE;
        }
        this.thread = new Thread(this::run, "grab-" + Math.abs(source.hashCode()));
        this.thread.setDaemon(true);
    }

    /**
     * Opens {@code source} and starts decoding. Fails at once, with FFmpeg's reason, when it cannot be
     * opened now, so a typo does not turn into an endless retry; later failures of a live source retry.
     *
     * @param format FFmpeg input format to force ({@code mjpeg}, {@code mpjpeg}, {@code video4linux2}…), or null
     */
    public static GrabberSource open(String source, String format, int width, int height, double fps, float quality,
                                     Clock clock) throws IOException {
        GrabberSource s = new GrabberSource(source, format, width, height, fps, quality, clock);
        if (s.kind == Kind.FILE && !new File(s.location).isFile()) {
            throw new IOException("no such video file: " + s.location
                    + " (sources: test, a file, /dev/videoN, webcam:N, or a URL such as rtsp://…)");
        }
        s.grabber = s.newGrabber();
        s.thread.start();
        return s;
    }

    public Kind kind() {
        return kind;
    }

    /** Images decoded from the input so far. */
    public long decodedFrames() {
        return decoded.get();
    }

    /** Times a file source has wrapped around to its start. */
    public long loops() {
        return loops.get();
    }

    @Override
    public SourceFrame poll(long frameNumber, long nowMicros) {
        if (kind == Kind.FILE) {
            SourceFrame f = fileFrames.poll();
            // a file has no capture time: the frame is "captured" when it is sent
            return f == null ? null : new SourceFrame(f.jpeg(), nowMicros);
        }
        return latest.getAndSet(null);
    }

    private FFmpegFrameGrabber newGrabber() throws IOException {
        FFmpegFrameGrabber g = new FFmpegFrameGrabber(location);
        if (format != null) {
            g.setFormat(format);
        }
        g.setImageWidth(width);
        g.setImageHeight(height);
        if (kind == Kind.LIVE) {
            if (location.startsWith("rtsp")) {
                g.setOption("rtsp_transport", "tcp"); // UDP loses packets through NAT and firewalls
            }
            if (location.startsWith("/dev/")) {
                g.setFrameRate(fps);
            }
            g.setOption("rw_timeout", "10000000"); // a dead network camera fails within 10 s instead of hanging
        }
        avutil.av_log_set_level(avutil.AV_LOG_ERROR);
        try {
            g.start();
        } catch (FrameGrabber.Exception e) {
            try {
                g.release();
            } catch (FrameGrabber.Exception ignored) {
                // already failing
            }
            throw new IOException("cannot open " + source + ": " + e.getMessage(), e);
        }
        if (!g.hasVideo()) {
            g.release();
            throw new IOException(source + " has no video stream");
        }
        return g;
    }

    private void run() {
        Backoff backoff = new Backoff(java.time.Duration.ofMillis(500), java.time.Duration.ofSeconds(30), Math::random);
        long lastEncodedMicros = 0;
        while (!closed) {
            try {
                if (grabber == null) {
                    grabber = newGrabber();
                    Log.info(null, "reopened " + source);
                }
                Frame frame = grabber.grabImage();
                if (frame == null) {
                    if (kind == Kind.FILE) {
                        loops.incrementAndGet();
                        restart();
                        continue;
                    }
                    throw new IOException("end of stream");
                }
                decoded.incrementAndGet();
                backoff.reset();
                long now = epochMicros();
                if (kind == Kind.LIVE) {
                    // only encode what can be sent: one waiting image at most, replaced once it is a slot old
                    SourceFrame waiting = latest.get();
                    if (waiting != null && now - lastEncodedMicros < periodMicros) {
                        continue;
                    }
                    lastEncodedMicros = now;
                    latest.set(new SourceFrame(encode(frame), now));
                } else {
                    fileFrames.put(new SourceFrame(encode(frame), now));
                }
            } catch (InterruptedException e) {
                return;
            } catch (IOException | RuntimeException e) {
                if (closed) {
                    return;
                }
                long delay = backoff.nextDelayNanos();
                Log.warn(null, "source " + source + " failed: " + e.getMessage() + "; reopening in "
                        + delay / 1_000_000 + " ms");
                releaseGrabber();
                try {
                    Thread.sleep(delay / 1_000_000); // pacing a retry, not waiting for a result
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
    }

    private void restart() throws IOException {
        try {
            grabber.setTimestamp(0);
        } catch (FrameGrabber.Exception e) {
            // not seekable (e.g. a pipe): open it again
            releaseGrabber();
            grabber = newGrabber();
        }
    }

    private byte[] encode(Frame frame) {
        BufferedImage image = converter.convert(frame);
        if (image.getWidth() == width && image.getHeight() == height && image.getType() == BufferedImage.TYPE_3BYTE_BGR) {
            return encoder.encode(image);
        }
        // devices may ignore the requested size: scale here then
        Graphics2D g = scaled.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.drawImage(image, 0, 0, width, height, null);
        } finally {
            g.dispose();
        }
        return encoder.encode(scaled);
    }

    private void releaseGrabber() {
        if (grabber != null) {
            try {
                grabber.release();
            } catch (FrameGrabber.Exception | RuntimeException ignored) {
                // already broken
            }
            grabber = null;
        }
    }

    private long epochMicros() {
        Instant now = clock.instant();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!thread.isAlive()) {
            releaseGrabber();
            encoder.close();
        }
    }
}
