package io.github.cctv.recorder.media;

import io.github.cctv.protocol.wire.Codec;
import io.github.cctv.recorder.domain.recording.Frame;
import io.github.cctv.recorder.domain.recording.FrameRejectedException;
import io.github.cctv.recorder.domain.recording.FrameTimeline;
import io.github.cctv.recorder.domain.recording.SegmentWriter;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.javacpp.BytePointer;

import java.io.IOException;
import java.nio.file.Path;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_H264;
import static org.bytedeco.ffmpeg.global.avcodec.AV_INPUT_BUFFER_PADDING_SIZE;
import static org.bytedeco.ffmpeg.global.avcodec.AV_PKT_FLAG_KEY;
import static org.bytedeco.ffmpeg.global.avcodec.av_new_packet;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avformat.av_write_frame;
import static org.bytedeco.ffmpeg.global.avformat.av_write_trailer;
import static org.bytedeco.ffmpeg.global.avformat.avio_tell;
import static org.bytedeco.ffmpeg.global.avformat.avformat_new_stream;
import static org.bytedeco.ffmpeg.global.avformat.avformat_write_header;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_VIDEO;
import static org.bytedeco.ffmpeg.global.avutil.AV_OPT_SEARCH_CHILDREN;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_free;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_set;
import static org.bytedeco.ffmpeg.global.avutil.av_make_q;
import static org.bytedeco.ffmpeg.global.avutil.av_mallocz;
import static org.bytedeco.ffmpeg.global.avutil.av_opt_set;

/**
 * Copies H.264 access units as the camera sent them (never decoded, never re-encoded) into a fragmented MP4
 * segment, with FFmpeg's MP4 muxer:
 * <ul>
 *   <li>the segment must start on a keyframe (an IDR with its SPS and PPS in-band); the codec configuration
 *       ({@code avcC}) is built from that first keyframe's parameter sets, which also stay in-band in every sample;
 *       a first frame that is no keyframe is refused with {@link KeyframeRequiredException};</li>
 *   <li>the file is {@code ftyp}, an empty {@code moov}, then one {@code moof}+{@code mdat} fragment per
 *       {@link #flush()}; a fragment is written whole or not at all, so a file cut at any moment plays up to its
 *       last complete fragment, and {@code flush()} returns only once that fragment is forced to the disk;</li>
 *   <li>every keyframe also starts a fragment, so the file can be cut right before its last keyframe
 *       ({@link #lastKeyframeOffset()}): a crashed recording then continues from that keyframe in a new segment
 *       with no frame missing and none twice;</li>
 *   <li>timestamps come from the frames through a {@link FrameTimeline} (µs, on a 90 kHz track clock): variable
 *       frame rate and pauses are kept, nothing is resampled; the {@code ptsMs} the caller passes is not used; a
 *       frame flushed before its successor is known is given the shorter of the two steps before it, so that it
 *       does not last into the next frame after a pause;</li>
 *   <li>{@link #close()} ends the last fragment, appends FFmpeg's fragment index ({@code mfra}) and writes the
 *       total duration into the movie header, in place, as MediaMTX does: the finished segment reports its length
 *       and seeks in players that read only the header as in those that walk the fragments.</li>
 * </ul>
 * B-frames are not supported: each access unit is written with its decode time equal to its presentation time.
 */
public final class Fmp4CopyWriter implements SegmentWriter {

    static {
        Av.quiet();
    }

    /** Track time scale: the usual 90 kHz of video. */
    static final int TIMESCALE = 90_000;
    private static final String MOVFLAGS = "frag_custom+empty_moov+default_base_moof";
    /** Duration given to a frame whose successor is not known yet when there was no step before it: 1/30 s. */
    private static final long FIRST_STEP = TIMESCALE / 30;

    private final Path file;
    private final int width;
    private final int height;
    private final FrameTimeline timeline;
    private final AVPacket pending = av_packet_alloc();
    private OutputFile out;
    private AVFormatContext oc;
    private boolean started;
    private boolean hasPending;
    private boolean fragmentOpen;
    private long nextTicks;
    private long lastStep = FIRST_STEP;
    /** The step before {@link #lastStep}. */
    private long stepBefore = FIRST_STEP;
    private long endTicks;
    private long keyframeOffset = -1;

    public Fmp4CopyWriter(Path file, int width, int height) throws IOException {
        this(file, width, height, new FrameTimeline());
    }

    public Fmp4CopyWriter(Path file, int width, int height, FrameTimeline timeline) throws IOException {
        this.file = file;
        this.width = width;
        this.height = height;
        this.timeline = timeline;
        try {
            out = new OutputFile(file, "mp4");
        } catch (IOException e) {
            av_packet_free(pending);
            throw e;
        }
        oc = out.context();
    }

    @Override
    public void write(Frame frame, long ptsMs) throws IOException {
        if (Codec.ofName(frame.metadata().codec()) != Codec.H264) {
            throw new FrameRejectedException("frame " + frame.streamSeq() + " of " + frame.cameraId() + " is " + frame.metadata().codec()
                    + ", not h264");
        }
        byte[] au = frame.data();
        int slice = AnnexB.startsWithStartCode(au) ? AnnexB.firstSliceType(au) : -1;
        if (slice < 0) {
            throw new FrameRejectedException("frame " + frame.streamSeq() + " of " + frame.cameraId()
                    + " is not an H.264 access unit in Annex B form (a start code, then NAL units with a slice)");
        }
        boolean key = AnnexB.isKeyframe(au);
        if (!started) {
            if (!key) {
                throw new KeyframeRequiredException(frame);
            }
            start(AnnexB.parameterSets(au));
        }
        long ticks = Math.max(timeline.next(frame.metadata().captureUs(), frame.metadata().ingestUs()) * TIMESCALE / 1_000_000, nextTicks);
        if (hasPending) {
            stepBefore = lastStep;
            lastStep = ticks - pending.pts();
            writePending(lastStep);
        }
        if (key) {
            startFragment();
        }
        int rc = av_new_packet(pending, au.length);
        if (rc < 0) {
            throw new IOException("cannot allocate a packet: " + Av.error(rc));
        }
        pending.data().position(0).put(au, 0, au.length);
        pending.pts(ticks);
        pending.dts(ticks);
        pending.flags(slice == AnnexB.NAL_IDR ? AV_PKT_FLAG_KEY : 0);
        hasPending = true;
        nextTicks = ticks + 1;
    }

    private void start(byte[] parameterSets) throws IOException {
        AVStream stream = avformat_new_stream(oc, null);
        AVCodecParameters par = stream.codecpar();
        par.codec_type(AVMEDIA_TYPE_VIDEO);
        par.codec_id(AV_CODEC_ID_H264);
        par.width(width);
        par.height(height);
        // Annex B parameter sets: the muxer makes the avcC box of them, and MP4 samples of the Annex B access units
        BytePointer extradata = new BytePointer(av_mallocz(parameterSets.length + AV_INPUT_BUFFER_PADDING_SIZE));
        extradata.position(0).put(parameterSets, 0, parameterSets.length);
        par.extradata(extradata);
        par.extradata_size(parameterSets.length);
        stream.time_base(av_make_q(1, TIMESCALE));
        AVDictionary opts = new AVDictionary(null);
        av_dict_set(opts, "movflags", MOVFLAGS, 0);
        int rc = avformat_write_header(oc, opts);
        av_dict_free(opts);
        if (rc < 0) {
            throw new IOException("cannot write the header of " + file + ": " + Av.error(rc));
        }
        if (stream.time_base().den() != TIMESCALE) {
            throw new IOException("the MP4 muxer chose the time base 1/" + stream.time_base().den());
        }
        started = true;
    }

    /**
     * Ends the open fragment before a keyframe, so that the keyframe begins one; the frame before it has its exact
     * duration, so the new fragment starts at the keyframe's own time. Notes where in the file that is.
     */
    private void startFragment() throws IOException {
        if (fragmentOpen) {
            int rc = av_write_frame(oc, (AVPacket) null);
            if (rc < 0) {
                throw new IOException("cannot end a fragment of " + file + ": " + Av.error(rc));
            }
            fragmentOpen = false;
            out.checkIo();
        }
        keyframeOffset = avio_tell(oc.pb()); // what FFmpeg has written so far, its buffer included
    }

    @Override
    public long lastKeyframeOffset() {
        return keyframeOffset;
    }

    /** Hands the held-back frame to the muxer, now that its duration is known (or estimated). */
    private void writePending(long duration) throws IOException {
        pending.duration(duration);
        pending.stream_index(0);
        endTicks = pending.pts() + duration;
        int rc = av_write_frame(oc, pending);
        av_packet_unref(pending);
        hasPending = false;
        if (rc < 0) {
            throw new IOException("cannot write to " + file + ": " + Av.error(rc));
        }
        fragmentOpen = true;
        out.checkIo();
    }

    /**
     * Ends the current fragment (as much video as since the last flush: the caller flushes about every second),
     * hands it to the operating system and forces it to the disk. When this returns, a crash or a power cut leaves
     * a file that plays up to here, and the frames may be acknowledged.
     */
    @Override
    public void flush() throws IOException {
        if (!started) {
            return;
        }
        if (hasPending) {
            // the next frame's time is not known yet: this one lasts as long as the shorter of the two steps before
            // it. After a pause (a camera's first encode, a stall) the next frame comes at the usual pace, and a
            // duration running past it would hide it: a player holds a frame for its whole duration (Chromium does)
            // while the next fragment starts at its own frame's time. Falling short leaves a gap, in which the
            // frame stays on screen just the same.
            writePending(Math.min(lastStep, stepBefore));
        }
        if (fragmentOpen) {
            int rc = av_write_frame(oc, (AVPacket) null);
            if (rc < 0) {
                throw new IOException("cannot end a fragment of " + file + ": " + Av.error(rc));
            }
            fragmentOpen = false;
            markDiscontinuity();
        }
        out.flushToDisk();
    }

    /**
     * Makes the next fragment start at its first frame's own time. Without this the muxer moves that frame to where
     * the previous fragment's last frame was estimated to end, losing a pause or squeezing frames together. The
     * muxer takes its {@code frag_discont} flag only with the next packet, after checking that packet against the
     * estimated end; an empty packet (which it then discards) carries the flag, just after the last frame.
     */
    private void markDiscontinuity() throws IOException {
        int rc = av_opt_set(oc, "movflags", "+frag_discont", AV_OPT_SEARCH_CHILDREN);
        if (rc < 0) {
            throw new IOException("cannot mark a fragment of " + file + ": " + Av.error(rc));
        }
        AVPacket empty = av_packet_alloc();
        try {
            empty.stream_index(0);
            empty.pts(nextTicks);
            empty.dts(nextTicks);
            rc = av_write_frame(oc, empty);
            if (rc < 0) {
                throw new IOException("cannot mark a fragment of " + file + ": " + Av.error(rc));
            }
        } finally {
            av_packet_free(empty);
        }
        nextTicks++;
    }

    /** Ends the last fragment, appends the fragment index and the duration, forces the file to the disk. */
    @Override
    public void close() throws IOException {
        if (oc == null) {
            return;
        }
        try {
            if (started) {
                if (hasPending) {
                    writePending(lastStep);
                }
                int rc = av_write_trailer(oc);
                out.flushToDisk();
                if (rc < 0) {
                    throw new IOException("cannot finish " + file + ": " + Av.error(rc));
                }
                Mp4Boxes.writeMovieDuration(out.channel(), endTicks * 1_000_000 / TIMESCALE);
                out.flushToDisk();
            }
        } finally {
            release();
        }
    }

    /** Frees the muxer and closes the file as it stands, without a trailer or a duration (after an error). */
    @Override
    public void abort() {
        if (oc != null) {
            release();
        }
    }

    private void release() {
        out.close();
        oc = null;
        if (hasPending) {
            av_packet_unref(pending);
            hasPending = false;
        }
        av_packet_free(pending);
    }

    /** The first frame of an H.264 segment was not a keyframe: the caller skips to the next keyframe. */
    public static final class KeyframeRequiredException extends FrameRejectedException {
        KeyframeRequiredException(Frame frame) {
            super("an H.264 segment must start on a keyframe (an IDR with SPS and PPS); frame " + frame.streamSeq()
                    + " of " + frame.cameraId() + " is not one");
        }
    }
}
