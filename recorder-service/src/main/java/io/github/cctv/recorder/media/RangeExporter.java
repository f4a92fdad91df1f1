package io.github.cctv.recorder.media;

import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVInputFormat;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVRational;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.DoubleConsumer;

import static org.bytedeco.ffmpeg.global.avcodec.AV_PKT_FLAG_KEY;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_clone;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_parameters_copy;
import static org.bytedeco.ffmpeg.global.avformat.AVSEEK_FLAG_BACKWARD;
import static org.bytedeco.ffmpeg.global.avformat.av_read_frame;
import static org.bytedeco.ffmpeg.global.avformat.av_seek_frame;
import static org.bytedeco.ffmpeg.global.avformat.av_write_frame;
import static org.bytedeco.ffmpeg.global.avformat.av_write_trailer;
import static org.bytedeco.ffmpeg.global.avformat.avformat_close_input;
import static org.bytedeco.ffmpeg.global.avformat.avformat_new_stream;
import static org.bytedeco.ffmpeg.global.avformat.avformat_open_input;
import static org.bytedeco.ffmpeg.global.avformat.avformat_write_header;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_VIDEO;
import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_free;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_set;
import static org.bytedeco.ffmpeg.global.avutil.av_make_q;
import static org.bytedeco.ffmpeg.global.avutil.av_rescale_q;

/**
 * Exports a time range of one camera, across its segments, as one MP4 by stream copy: the packets (H.264 from
 * fragmented MP4 segments, or JPEG from Matroska ones) are copied, never decoded or re-encoded, so ten minutes take
 * seconds.
 * <ul>
 *   <li>Each segment's packets are placed on the wall clock by the segment's start time plus their own timestamp;
 *       the output's timestamps are that wall-clock time minus the export's start, so they run on across segment
 *       boundaries and a pause or a gap between segments stays a gap (strictly increasing: an overlap of a few
 *       microseconds between segments is clamped).</li>
 *   <li>The output starts on the last keyframe at or before {@code from} (so the first picture at {@code from}
 *       decodes; the export may begin up to one keyframe interval early; every JPEG frame is a keyframe) and holds
 *       every frame before {@code to}.</li>
 *   <li>An ordinary MP4 with the index in front ({@code faststart}), so a browser plays it while downloading.</li>
 *   <li>Progress is reported as the fraction of [start, {@code to}) written; the export stops when
 *       {@code cancelled} says so or its thread is interrupted. On cancel or error the output file is deleted.</li>
 * </ul>
 */
public final class RangeExporter {

    static {
        Av.quiet();
    }

    private static final AVRational MICROS = av_make_q(1, 1_000_000);
    private static final AVRational OUT_TB = av_make_q(1, Fmp4CopyWriter.TIMESCALE);

    /** One segment file and the wall-clock time of its first frame (its timestamp 0). */
    public record Segment(Path file, Instant start) {
    }

    /** What was exported: the number of frames and the wall-clock times of the first and the last. */
    public record Result(long frames, Instant first, Instant last) {
    }

    /** The export was cancelled; its file is gone. */
    public static final class CancelledException extends IOException {
        public CancelledException() {
            super("export cancelled");
        }
    }

    /** No frame of the segments lies in the range; no file is left. */
    public static final class NoFramesException extends IOException {
        NoFramesException(String message) {
            super(message);
        }
    }

    /**
     * Writes the frames of {@code segments} (in time order, one camera, one codec) from the keyframe at or before
     * {@code from} until before {@code to} into {@code out} (created or replaced).
     *
     * @throws CancelledException when cancelled; {@code out} is then deleted, as after any other error
     * @throws NoFramesException  when no frame lies in the range
     */
    public Result export(List<Segment> segments, Instant from, Instant to, Path out, DoubleConsumer progress,
                         BooleanSupplier cancelled) throws IOException {
        if (!to.isAfter(from)) {
            throw new IllegalArgumentException("the range ends (" + to + ") before it starts (" + from + ")");
        }
        boolean done = false;
        try (Output o = new Output(out, micros(from), micros(to), progress, cancelled)) {
            for (int i = 0; i < segments.size() && !o.finished(); i++) {
                Segment s = segments.get(i);
                if (!s.start().isBefore(to)) {
                    break;
                }
                // a later segment starting at or before `from` holds the keyframe to start on (segments start on one)
                if (i + 1 < segments.size() && !segments.get(i + 1).start().isAfter(from)) {
                    continue;
                }
                o.copy(s);
            }
            Result r = o.finish();
            done = true;
            return r;
        } finally {
            if (!done) {
                Files.deleteIfExists(out);
            }
        }
    }

    private static long micros(Instant t) {
        return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1000);
    }

    private static Instant instant(long us) {
        return Instant.ofEpochSecond(Math.floorDiv(us, 1_000_000L), Math.floorMod(us, 1_000_000L) * 1000L);
    }

    /** A packet read ahead, with its wall-clock time. */
    private record Timed(AVPacket packet, long us) {
    }

    /** The output file and the state of the copy. */
    private static final class Output implements AutoCloseable {
        private final Path file;
        private final long fromUs;
        private final long toUs;
        private final DoubleConsumer progress;
        private final BooleanSupplier cancelled;
        private final Deque<Timed> gop = new ArrayDeque<>();
        private final OutputFile out;
        private final AVFormatContext oc;
        private AVStream stream;
        private int codecId = -1;
        private boolean headerWritten;
        private boolean finished;
        private AVPacket held;
        private long heldUs;
        private long baseUs = Long.MIN_VALUE;
        private long lastTicks = -1;
        private long lastStep;
        private long frames;
        private long firstUs;
        private long lastUs;
        private double reported = -1;

        Output(Path file, long fromUs, long toUs, DoubleConsumer progress, BooleanSupplier cancelled) throws IOException {
            this.file = file;
            this.fromUs = fromUs;
            this.toUs = toUs;
            this.progress = progress;
            this.cancelled = cancelled;
            out = new OutputFile(file, "mp4");
            oc = out.context();
        }

        boolean finished() {
            return finished;
        }

        /** Copies the frames of one segment that lie in the range. */
        void copy(Segment s) throws IOException {
            AVFormatContext ic = new AVFormatContext(null);
            int rc = avformat_open_input(ic, s.file().toString(), (AVInputFormat) null, (AVDictionary) null);
            if (rc < 0) {
                throw new IOException("cannot read " + s.file().getFileName() + ": " + Av.error(rc));
            }
            AVPacket pkt = av_packet_alloc();
            try {
                int video = videoStream(ic, s);
                AVStream in = ic.streams(video);
                AVRational tb = in.time_base();
                prepare(in.codecpar(), s);
                long startUs = micros(s.start());
                if (baseUs == Long.MIN_VALUE && fromUs > startUs) {
                    // straight to the keyframe at or before `from`; packets before it are skipped below anyway
                    av_seek_frame(ic, video, av_rescale_q(fromUs - startUs, MICROS, tb), AVSEEK_FLAG_BACKWARD);
                }
                while (!finished && av_read_frame(ic, pkt) >= 0) {
                    try {
                        if (cancelled.getAsBoolean() || Thread.currentThread().isInterrupted()) {
                            throw new CancelledException();
                        }
                        if (pkt.stream_index() == video && pkt.pts() != AV_NOPTS_VALUE) {
                            take(pkt, startUs + av_rescale_q(pkt.pts(), tb, MICROS));
                        }
                    } finally {
                        av_packet_unref(pkt);
                    }
                }
            } finally {
                av_packet_free(pkt);
                avformat_close_input(ic);
            }
        }

        private static int videoStream(AVFormatContext ic, Segment s) throws IOException {
            for (int i = 0; i < ic.nb_streams(); i++) {
                if (ic.streams(i).codecpar().codec_type() == AVMEDIA_TYPE_VIDEO) {
                    return i;
                }
            }
            throw new IOException(s.file().getFileName() + " holds no video");
        }

        /** Creates the output stream from the first segment's codec; later segments must be of the same codec. */
        private void prepare(AVCodecParameters par, Segment s) throws IOException {
            if (stream == null) {
                stream = avformat_new_stream(oc, null);
                int rc = avcodec_parameters_copy(stream.codecpar(), par);
                if (rc < 0) {
                    throw new IOException("cannot copy the codec of " + s.file().getFileName() + ": " + Av.error(rc));
                }
                stream.codecpar().codec_tag(0);
                stream.time_base(OUT_TB);
                codecId = par.codec_id();
            } else if (par.codec_id() != codecId) {
                throw new IOException(s.file().getFileName() + " is in another codec than the segments before it:"
                        + " one MP4 cannot hold both");
            }
        }

        /** One video packet at wall-clock time {@code us}. */
        private void take(AVPacket pkt, long us) throws IOException {
            if (us >= toUs) {
                finished = true;
                return;
            }
            boolean key = (pkt.flags() & AV_PKT_FLAG_KEY) != 0;
            if (baseUs == Long.MIN_VALUE) {
                if (us < fromUs) {
                    // before the range: keep the group of pictures since the last keyframe, in case `from` is in it
                    if (key) {
                        clearGop();
                    }
                    if (key || !gop.isEmpty()) {
                        gop.add(new Timed(av_packet_clone(pkt), us));
                    }
                    return;
                }
                if (gop.isEmpty() && !key) {
                    return; // no keyframe yet to start on
                }
                baseUs = gop.isEmpty() ? us : gop.peekFirst().us();
                firstUs = baseUs;
                while (!gop.isEmpty()) {
                    Timed g = gop.pollFirst();
                    try {
                        emit(g.packet(), g.us());
                    } finally {
                        av_packet_free(g.packet());
                    }
                }
            }
            emit(pkt, us);
        }

        /** Writes a packet at wall-clock time {@code us}, one packet late, once the next one gives its duration. */
        private void emit(AVPacket pkt, long us) throws IOException {
            if (!headerWritten) {
                writeHeader();
            }
            long ticks = Math.max(av_rescale_q(us - baseUs, MICROS, OUT_TB), lastTicks + 1);
            if (held != null) {
                lastStep = ticks - lastTicks;
                writeHeld(lastStep);
            }
            held = av_packet_clone(pkt);
            held.pts(ticks);
            held.dts(ticks);
            held.pos(-1);
            held.stream_index(0);
            heldUs = us;
            lastTicks = ticks;
        }

        private void writeHeld(long duration) throws IOException {
            held.duration(Math.max(1, duration));
            int rc = av_write_frame(oc, held);
            av_packet_free(held);
            held = null;
            if (rc < 0) {
                throw new IOException("cannot write to " + file + ": " + Av.error(rc));
            }
            frames++;
            lastUs = heldUs;
            double fraction = Math.min(1, (double) (heldUs - baseUs) / Math.max(1, toUs - baseUs));
            if (fraction - reported >= 0.01) {
                reported = fraction;
                progress.accept(fraction);
            }
        }

        private void writeHeader() throws IOException {
            AVDictionary opts = new AVDictionary(null);
            av_dict_set(opts, "movflags", "+faststart", 0);
            int rc = avformat_write_header(oc, opts);
            av_dict_free(opts);
            if (rc < 0) {
                throw new IOException("cannot write the header of " + file + ": " + Av.error(rc));
            }
            headerWritten = true;
        }

        Result finish() throws IOException {
            if (held != null) {
                writeHeld(lastStep > 0 ? lastStep : Fmp4CopyWriter.TIMESCALE / 30);
            }
            if (frames == 0) {
                throw new NoFramesException("no frame between " + instant(fromUs) + " and " + instant(toUs));
            }
            int rc = av_write_trailer(oc);
            if (rc < 0) {
                throw new IOException("cannot finish " + file + ": " + Av.error(rc));
            }
            out.checkIo();
            progress.accept(1.0);
            return new Result(frames, instant(firstUs), instant(lastUs));
        }

        private void clearGop() {
            while (!gop.isEmpty()) {
                av_packet_free(gop.pollFirst().packet());
            }
        }

        @Override
        public void close() {
            clearGop();
            if (held != null) {
                av_packet_free(held);
                held = null;
            }
            out.close();
        }
    }
}
