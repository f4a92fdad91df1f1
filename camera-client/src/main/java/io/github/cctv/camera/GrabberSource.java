package io.github.cctv.camera;

import io.github.cctv.protocol.wire.Codec;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameGrabber;

import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicLong;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_H264;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_MJPEG;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_get_name;
import static org.bytedeco.ffmpeg.global.avformat.AVFMT_NOTIMESTAMPS;
import static org.bytedeco.ffmpeg.global.avutil.AV_LOG_ERROR;
import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;
import static org.bytedeco.ffmpeg.global.avutil.av_log_set_level;
import static org.bytedeco.ffmpeg.global.avutil.av_make_q;
import static org.bytedeco.ffmpeg.global.avutil.av_rescale_q;

/**
 * Frames from anything FFmpeg opens: a video file (looped forever), a V4L2 device ({@code /dev/video0},
 * {@code webcam:0}) or a stream URL ({@code rtsp://}, {@code http://} multipart MJPEG…).
 *
 * <p><b>Pass-through</b> when the source's codec is one the protocol carries and nothing asked differs
 * from what it sends (see {@link SourcePlan}): packets are read ({@code grabPacket}), never decoded, and
 * sent unchanged — a JPEG byte for byte as the camera served it, an H.264 access unit byte for byte apart
 * from SPS/PPS inserted before an IDR that lacks them ({@link H264Stream}). Otherwise every frame is
 * decoded, scaled by FFmpeg, and encoded again ({@link VideoEncoder}).
 *
 * <p>A live source is read on its own thread as fast as the camera sends; every frame waits in a bounded
 * {@link FrameQueue} for the network, and its capture time is the camera's timestamp mapped onto the wall
 * clock ({@link CaptureClock}), or the arrival time where the stream has none. A live source that fails
 * is reopened with backoff. A file is played at its own rate (or {@code --fps} when encoding), and its
 * frames are stamped when they are sent.
 */
public final class GrabberSource implements FrameSource {

    /** What kind of input, which decides pacing and what happens at its end. */
    public enum Kind {
        /** A file: frame by frame at its rate, looping at the end. */
        FILE,
        /** A camera device or network stream: every frame as it comes, reopened when it fails. */
        LIVE
    }

    /**
     * Most frames a live source holds, whatever their size: the queue is bounded by bytes
     * ({@link SourceRequest#queueBytes()}); this only caps the bookkeeping of tiny frames (9 min at 30 fps).
     */
    static final int QUEUE_FRAMES = 16_384;
    /** How long opening a source whose rate is unknown may watch it for a steady rate (the frames are queued meanwhile). */
    static final Duration RATE_PROBE = Duration.ofSeconds(8);

    // 29.97 and 30 are closer than a measurement over a second can tell apart: 30 it is
    private static final double[] COMMON_RATES = {5, 6, 7.5, 8, 10, 12, 12.5, 15, 20, 24, 25, 30, 50, 60};

    private final String source;
    private final String location;
    private final String format;
    private final Kind kind;
    private final SourceRequest request;
    private final Clock clock;
    private final FrameQueue queue;
    private final BlockingQueue<SourceFrame> fileFrames = new ArrayBlockingQueue<>(2);
    private final AtomicLong read = new AtomicLong();
    private final AtomicLong malformed = new AtomicLong();
    private final AtomicLong loops = new AtomicLong();
    private final Thread thread;
    private volatile boolean closed;
    private volatile Runnable wakeup = () -> { };

    // owned by the reading thread once it runs
    private FFmpegFrameGrabber grabber;
    private volatile SourcePlan plan;
    private int videoIndex;
    private AVRational timeBase;
    private AVCodecParameters videoParameters;
    private H264Stream h264;
    private BitstreamFilter mjpegToJpeg;
    private VideoEncoder encoder;
    private RateLimiter thinning;
    private final CaptureClock captureClock;
    private boolean awaitingKey;
    private boolean priming;
    private boolean lastReadWaited;
    private final List<Pending> backlog = new ArrayList<>();
    private long warnedMalformedAt = Long.MIN_VALUE;

    /** A frame read while the backlog of the stream's start is still coming out of FFmpeg's buffer. */
    private record Pending(byte[] data, boolean key, long timestamp, long arrival) {
    }

    /** At most this many frames are held while the start's backlog drains. */
    private static final int MAX_BACKLOG = 300;

    // rate measurement at open
    private final Object rateLock = new Object();
    private final RateMeter rateMeter = new RateMeter(1000);
    private volatile StreamFormat format0;
    private boolean useTimestamps;

    private GrabberSource(String source, SourceRequest request, Clock clock) {
        this.source = source;
        this.request = request;
        this.clock = clock;
        if (source.startsWith("webcam:")) {
            String index = source.substring("webcam:".length());
            if (!index.matches("\\d{1,3}")) {
                throw new IllegalArgumentException("webcam source must be webcam:<number>, got " + source);
            }
            this.location = "/dev/video" + index;
            this.format = request.format() != null ? request.format() : "video4linux2";
            this.kind = Kind.LIVE;
        } else if (source.startsWith("/dev/")) {
            this.location = source;
            this.format = request.format() != null ? request.format() : "video4linux2";
            this.kind = Kind.LIVE;
        } else if (source.matches("[a-zA-Z][a-zA-Z0-9+.-]*://.*")) {
            this.location = source;
            this.format = request.format();
            this.kind = Kind.LIVE;
        } else {
            this.location = source;
            this.format = request.format();
            this.kind = Kind.FILE;
        }
        this.queue = new FrameQueue(QUEUE_FRAMES, request.queueBytes(), source);
        this.captureClock = new CaptureClock();
        this.thread = new Thread(this::run, "grab-" + Math.abs(source.hashCode()));
        this.thread.setDaemon(true);
    }

    /**
     * Opens {@code source}, decides pass-through or encoding, and starts reading. Fails at once, with
     * FFmpeg's reason, when it cannot be opened now, so a typo does not turn into an endless retry; later
     * failures of a live source retry. A live source whose rate the stream does not state is watched for
     * up to {@link #RATE_PROBE} to measure it.
     */
    public static GrabberSource open(String source, SourceRequest request, Clock clock) throws IOException {
        GrabberSource s = new GrabberSource(source, request, clock);
        if (s.kind == Kind.FILE && !new File(s.location).isFile()) {
            throw new IOException("no such video file: " + s.location
                    + " (sources: test, a file, /dev/videoN, webcam:N, or a URL such as rtsp://…)");
        }
        s.grabber = s.newGrabber();
        try {
            s.plan = SourcePlan.decide(request, s.probe());
            s.useTimestamps = (s.grabber.getFormatContext().iformat().flags() & AVFMT_NOTIMESTAMPS) == 0;
            s.prepare();
        } catch (IOException | RuntimeException e) {
            s.releaseAll();
            throw e;
        }
        Log.info(null, source + ": " + (s.plan.passThrough()
                ? "passing " + s.plan.codec().wireName() + " through unchanged"
                : "encoding to " + s.plan.codec().wireName() + (s.encoder != null ? " with " + s.encoder.name() : "")
                + " because " + s.plan.reason()));
        s.thread.start();
        if (Double.isNaN(s.plan.fps())) {
            s.plan = s.plan.withFps(s.measureRate());
        }
        s.format0 = new StreamFormat(s.plan.codec(), s.plan.width(), s.plan.height(), s.plan.fps());
        return s;
    }

    public Kind kind() {
        return kind;
    }

    /** True when frames go out as the source sent them, never decoded. */
    public boolean passThrough() {
        return plan.passThrough();
    }

    /** Frames (packets or pictures) read from the input so far. */
    public long readFrames() {
        return read.get();
    }

    /** Frames that were not whole JPEGs or not H.264 Annex B, and were not sent. */
    public long malformedFrames() {
        return malformed.get();
    }

    /** Times a file source has wrapped around to its start. */
    public long loops() {
        return loops.get();
    }

    @Override
    public StreamFormat format() {
        return format0;
    }

    @Override
    public boolean live() {
        return kind == Kind.LIVE;
    }

    @Override
    public void onFrameReady(Runnable wakeup) {
        this.wakeup = wakeup;
    }

    @Override
    public SourceFrame poll(long frameNumber, long nowMicros) {
        if (kind == Kind.LIVE) {
            return queue.poll();
        }
        SourceFrame f = fileFrames.poll();
        // a file has no capture time: the frame is "captured" when it is sent
        return f == null ? null : new SourceFrame(f.data(), nowMicros, f.keyFrame());
    }

    @Override
    public void startAtKeyFrame() {
        queue.startAtKeyFrame();
        VideoEncoder e = encoder;
        if (e != null) {
            e.forceKeyFrame();
        }
    }

    /**
     * A run's first connection sends every frame queued since the source opened; a reconnect all but those captured
     * more than {@link SourceRequest#backlogMaxAge()} ago. Both from the oldest key frame queued.
     */
    @Override
    public void startConnection(boolean firstOfRun) {
        queue.startConnection(firstOfRun ? Long.MIN_VALUE : epochMicros() - request.backlogMaxAge().toNanos() / 1000);
        VideoEncoder e = encoder;
        if (e != null) {
            e.forceKeyFrame(); // for a queue that held nothing: the next picture starts the connection
        }
    }

    @Override
    public long droppedFrames() {
        return queue.dropped() + malformed.get();
    }

    private SourcePlan.Probe probe() {
        AVFormatContext oc = grabber.getFormatContext();
        AVStream st = oc.streams(grabber.getVideoStream());
        AVCodecParameters par = st.codecpar();
        int id = par.codec_id();
        Codec codec = id == AV_CODEC_ID_MJPEG ? Codec.JPEG : id == AV_CODEC_ID_H264 ? Codec.H264 : null;
        double fps = rate(st.avg_frame_rate());
        if (Double.isNaN(fps) && (oc.iformat().flags() & AVFMT_NOTIMESTAMPS) == 0) {
            fps = rate(st.r_frame_rate()); // without timestamps this one is FFmpeg's guess (25)
        }
        return new SourcePlan.Probe(avcodec_get_name(id).getString(), codec, par.width(), par.height(), fps,
                par.video_delay() > 0);
    }

    private static double rate(AVRational r) {
        if (r == null || r.num() <= 0 || r.den() <= 0) {
            return Double.NaN;
        }
        double v = (double) r.num() / r.den();
        return v > 0 && v <= 1000 ? v : Double.NaN;
    }

    /** Per-opening state: stream index, bitstream handling, encoder. */
    private void prepare() throws IOException {
        videoIndex = grabber.getVideoStream();
        AVStream st = grabber.getFormatContext().streams(videoIndex);
        timeBase = av_make_q(st.time_base().num(), st.time_base().den());
        videoParameters = st.codecpar();
        if (mjpegToJpeg != null) {
            mjpegToJpeg.close();
            mjpegToJpeg = null;
        }
        closeBitstream();
        if (plan.passThrough()) {
            if (plan.codec() == Codec.H264) {
                h264 = new H264Stream(st.codecpar(), timeBase);
            }
        } else {
            grabber.setImageWidth(plan.width()); // FFmpeg's scaler, applied to each decoded picture
            grabber.setImageHeight(plan.height());
            if (encoder == null) {
                double fps = Double.isNaN(plan.fps()) ? 15 : plan.fps();
                encoder = VideoEncoder.of(plan.codec(), request.encoding(), plan.width(), plan.height(), fps);
            }
        }
        thinning = Double.isNaN(plan.thinTo()) || kind == Kind.FILE ? null : new RateLimiter(plan.thinTo());
        captureClock.reset();
        awaitingKey = true;
        backlog.clear();
        priming = kind == Kind.LIVE && plan.passThrough() && useTimestamps;
    }

    private FFmpegFrameGrabber newGrabber() throws IOException {
        FFmpegFrameGrabber g = new FFmpegFrameGrabber(location);
        if (format != null) {
            g.setFormat(format);
        }
        String openHint = "";
        if (location.startsWith("/dev/")) {
            // a device is asked for the size, rate and pixel format wanted; what it delivers decides the rest
            if (request.width() != null) {
                g.setImageWidth(request.width());
                g.setImageHeight(request.height());
            }
            if (request.fps() != null) {
                g.setFrameRate(request.fps());
            }
            if (request.inputFormat() != null) {
                g.setOption("input_format", request.inputFormat());
            }
        } else if (location.startsWith("rtsp")) {
            g.setOption("rtsp_transport", request.rtspTransport());
            g.setOption("timeout", "10000000"); // a dead camera fails within 10 s instead of hanging (TCP)
            if (request.rtspTransport().equals("tcp")) {
                openHint = " (RTP was asked for over the RTSP/TCP connection: if the camera streams over UDP only,"
                        + " use --rtsp-transport udp)";
            } else {
                g.setOption("initial_timeout", "10"); // the same for RTP over UDP: FFmpeg waits forever by default
                g.setOption("buffer_size", String.valueOf(4 * 1024 * 1024)); // room for an IDR's burst of packets
            }
        } else if (kind == Kind.LIVE) {
            g.setOption("rw_timeout", "10000000");
        }
        av_log_set_level(AV_LOG_ERROR);
        try {
            g.start();
        } catch (FrameGrabber.Exception e) {
            try {
                g.release();
            } catch (FrameGrabber.Exception ignored) {
                // already failing
            }
            throw new IOException("cannot open " + source + ": " + e.getMessage() + openHint, e);
        }
        if (!g.hasVideo()) {
            g.release();
            throw new IOException(source + " has no video stream");
        }
        return g;
    }

    private void run() {
        Backoff backoff = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30), Math::random);
        while (!closed) {
            try {
                if (grabber == null) {
                    grabber = newGrabber();
                    prepare();
                    Log.info(null, "reopened " + source);
                }
                if (plan.passThrough()) {
                    readPacket();
                } else {
                    readPicture();
                }
                backoff.reset();
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

    private void readPacket() throws IOException, InterruptedException {
        long before = System.nanoTime();
        AVPacket p = grabber.grabPacket();
        long waited = System.nanoTime() - before;
        if (p == null) {
            endOfInput();
            return;
        }
        try {
            if (p.stream_index() != videoIndex) {
                return;
            }
            long arrival = epochMicros();
            long timestamp = p.pts() == AV_NOPTS_VALUE ? CaptureClock.UNKNOWN
                    : av_rescale_q(p.pts(), timeBase, av_make_q(1, 1_000_000));
            byte[] data = plan.codec() == Codec.JPEG ? jpeg(p) : h264.accessUnit(p);
            if (data == null) {
                rejectMalformed();
                return;
            }
            boolean key = plan.codec() == Codec.JPEG || AnnexB.isIdr(data);
            if (priming) {
                backlog.add(new Pending(data, key, timestamp, arrival));
                // a read that had to wait returned a live frame: the backlog FFmpeg buffered while probing is out
                if (waited >= waitedForLiveNanos() || backlog.size() >= MAX_BACKLOG) {
                    releaseBacklog();
                }
            } else {
                lastReadWaited = waited >= 2_000_000; // the camera had not sent it yet: it arrived as sent
                deliver(data, key, timestamp, arrival);
            }
        } finally {
            av_packet_unref(p);
        }
    }

    /** A read of a live stream that blocks this long waited for the camera: a quarter of a frame period. */
    private long waitedForLiveNanos() {
        double fps = Double.isNaN(plan.fps()) ? 30 : plan.fps();
        return (long) (250_000_000 / fps);
    }

    /** Maps the camera's time from the newest frame read, then sends the backlog with its true times. */
    private void releaseBacklog() throws InterruptedException {
        priming = false;
        Pending newest = backlog.get(backlog.size() - 1);
        captureClock.prime(newest.timestamp(), newest.arrival());
        long period = Math.round(1_000_000 / (Double.isNaN(plan.fps()) ? 30 : plan.fps()));
        long next = CaptureClock.UNKNOWN;
        long[] stamps = new long[backlog.size()];
        for (int i = backlog.size() - 1; i >= 0; i--) {
            long t = backlog.get(i).timestamp();
            // FFmpeg has no timestamp for the very first packet of an RTSP stream: one period before the next
            stamps[i] = t != CaptureClock.UNKNOWN ? t : next != CaptureClock.UNKNOWN ? next - period : t;
            next = stamps[i];
        }
        for (int i = 0; i < backlog.size(); i++) {
            Pending f = backlog.get(i);
            deliver(f.data(), f.key(), stamps[i], f.arrival());
        }
        backlog.clear();
    }

    private byte[] jpeg(AVPacket p) throws IOException {
        byte[] bytes = new byte[p.size()];
        p.data().get(bytes);
        byte[] whole = JpegFrames.whole(bytes);
        if (whole == null || JpegFrames.hasHuffmanTables(whole)) {
            return whole;
        }
        // webcam MJPEG leaves out the standard Huffman tables, which strict decoders do not assume
        if (mjpegToJpeg == null) {
            mjpegToJpeg = new BitstreamFilter("mjpeg2jpeg", videoParameters, timeBase);
        }
        return mjpegToJpeg.filter(whole);
    }

    private void readPicture() throws IOException, InterruptedException {
        Frame frame = grabber.grabImage();
        if (frame == null) {
            endOfInput();
            return;
        }
        long arrival = epochMicros();
        long timestamp = useTimestamps ? frame.timestamp : CaptureClock.UNKNOWN; // µs in the stream
        if (thinning != null && !thinning.take(timestamp != CaptureClock.UNKNOWN ? timestamp : arrival)) {
            read.incrementAndGet();
            return; // fewer pictures asked than the camera sends: left out before encoding
        }
        long capture = kind == Kind.LIVE ? captureClock.captureMicros(timestamp, arrival) : 0;
        List<SourceFrame> out = encoder.encode((ByteBuffer) frame.image[0], frame.imageStride, capture);
        for (SourceFrame f : out) {
            deliverEncoded(f);
        }
        if (out.isEmpty()) {
            read.incrementAndGet();
        }
    }

    /** A frame encoded here: its capture time is set already. */
    private void deliverEncoded(SourceFrame f) throws InterruptedException {
        read.incrementAndGet();
        if (kind == Kind.FILE) {
            fileFrames.put(f);
            return;
        }
        noteArrival(f.captureMicros(), true);
        queue.offer(f);
        wakeup.run();
    }

    private void deliver(byte[] data, boolean key, long timestamp, long arrival) throws InterruptedException {
        read.incrementAndGet();
        if (awaitingKey && !key) {
            return; // after (re)opening, frames before the first key frame cannot be decoded
        }
        awaitingKey = false;
        if (kind == Kind.FILE) {
            fileFrames.put(new SourceFrame(data, 0, key));
            return;
        }
        if (thinning != null && !thinning.take(useTimestamps && timestamp != CaptureClock.UNKNOWN ? timestamp : arrival)) {
            return;
        }
        noteArrival(arrival, lastReadWaited);
        long capture = captureClock.captureMicros(useTimestamps ? timestamp : CaptureClock.UNKNOWN, arrival);
        queue.offer(new SourceFrame(data, capture, key));
        wakeup.run();
    }

    private void rejectMalformed() {
        malformed.incrementAndGet();
        long now = System.nanoTime();
        if (warnedMalformedAt == Long.MIN_VALUE || now - warnedMalformedAt > Duration.ofMinutes(1).toNanos()) {
            warnedMalformedAt = now;
            Log.warn(null, source + ": a frame that is not a whole " + plan.codec().wireName()
                    + " frame was not sent (" + malformed.get() + " so far)");
        }
    }

    private void endOfInput() throws IOException {
        if (kind == Kind.LIVE) {
            throw new IOException("end of stream");
        }
        loops.incrementAndGet();
        releaseGrabber();
        grabber = newGrabber(); // a fresh start: the file's first frame is a key frame again
        prepare();
    }

    /**
     * Watches the stream until its rate is steady ({@link RateMeter}: two seconds in a row at the same rate, between
     * frames the reader waited for), at most {@link #RATE_PROBE}, to state a rate it does not (multipart MJPEG has
     * none): the frames FFmpeg buffered while probing and a camera catching up after a slow start come faster than
     * the camera's rate, and are waited out. Not steady by then: the last second's rate.
     */
    private double measureRate() {
        long deadline = System.nanoTime() + RATE_PROBE.toNanos();
        synchronized (rateLock) {
            double fps = rateMeter.fps();
            while (Double.isNaN(fps) && System.nanoTime() < deadline) {
                try {
                    rateLock.wait(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
                fps = rateMeter.fps();
            }
            String how = "steady";
            if (Double.isNaN(fps)) {
                fps = rateMeter.lastSecondFps();
                how = "not steady after " + RATE_PROBE.toSeconds() + " s, the last second's";
            }
            if (!Double.isNaN(fps)) {
                Log.info(null, source + ": the stream states no frame rate; measured "
                        + String.format(java.util.Locale.ROOT, "%.2f", fps) + " fps (" + how + ", " + rateMeter.count()
                        + " frames watched)");
                return snap(fps);
            }
        }
        double fallback = request.fps() != null ? request.fps() : 15;
        Log.warn(null, source + ": no frame rate stated and too few frames to measure one; announcing " + fallback + " fps");
        return fallback;
    }

    /** Counts arrivals for {@link #measureRate} while the rate is not known yet. */
    private void noteArrival(long arrival, boolean waited) {
        if (format0 != null) {
            return;
        }
        synchronized (rateLock) {
            rateMeter.arrived(arrival, waited);
            rateLock.notifyAll();
        }
    }

    /** A measured rate, as the nearest common camera rate when one is within 3 %. */
    static double snap(double fps) {
        double best = Math.round(fps * 100) / 100.0;
        double bestError = Double.MAX_VALUE;
        for (double r : COMMON_RATES) {
            double error = Math.abs(fps - r);
            if (error <= 0.03 * r && error < bestError) {
                best = r;
                bestError = error;
            }
        }
        return best;
    }

    private void closeBitstream() {
        if (h264 != null) {
            h264.close();
            h264 = null;
        }
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

    private void releaseAll() {
        releaseGrabber();
        closeBitstream();
        if (mjpegToJpeg != null) {
            mjpegToJpeg.close();
            mjpegToJpeg = null;
        }
        if (encoder != null) {
            encoder.close();
            encoder = null;
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
            releaseAll();
        }
    }
}
