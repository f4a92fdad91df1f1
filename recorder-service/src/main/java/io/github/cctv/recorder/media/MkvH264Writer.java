package io.github.cctv.recorder.media;

import io.github.cctv.recorder.domain.recording.Frame;
import io.github.cctv.recorder.domain.recording.FrameRejectedException;
import io.github.cctv.recorder.domain.recording.SegmentWriter;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.swscale.SwsContext;
import org.bytedeco.javacpp.DoublePointer;

import java.io.IOException;
import java.nio.file.Path;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_FLAG_GLOBAL_HEADER;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_MJPEG;
import static org.bytedeco.ffmpeg.global.avcodec.av_new_packet;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_alloc_context3;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_decoder;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_encoder_by_name;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_free_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_open2;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_parameters_from_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_receive_frame;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_receive_packet;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_send_frame;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_send_packet;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_get_buffer;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_make_writable;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_unref;
import static org.bytedeco.ffmpeg.global.avutil.av_make_q;
import static org.bytedeco.ffmpeg.global.swscale.SWS_BILINEAR;
import static org.bytedeco.ffmpeg.global.swscale.sws_freeContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_getCachedContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_scale;

/**
 * Decodes each JPEG and re-encodes it as H.264 (libopenh264, no B-frames, so every frame leaves the encoder at once
 * and is in the file before it is acknowledged), into the same live Matroska layout as the copy format.
 */
public final class MkvH264Writer implements SegmentWriter {

    private final int width;
    private final int height;
    private final AVCodecContext dec;
    private final AVCodecContext enc;
    private final AVFrame decoded = av_frame_alloc();
    private final AVFrame yuv = av_frame_alloc();
    private final AVPacket in = av_packet_alloc();
    private final AVPacket out = av_packet_alloc();
    private final MkvMuxer muxer;
    private SwsContext sws;
    private boolean closed;

    public MkvH264Writer(Path file, int width, int height, int bitrate) throws IOException {
        this.width = width;
        this.height = height;
        AVCodec mjpeg = avcodec_find_decoder(AV_CODEC_ID_MJPEG);
        dec = avcodec_alloc_context3(mjpeg);
        check(avcodec_open2(dec, mjpeg, (AVDictionary) null), "open the JPEG decoder");
        AVCodec h264 = avcodec_find_encoder_by_name("libopenh264");
        if (h264 == null) {
            throw new IOException("this FFmpeg has no libopenh264 encoder");
        }
        enc = avcodec_alloc_context3(h264);
        enc.width(width);
        enc.height(height);
        enc.pix_fmt(AV_PIX_FMT_YUV420P);
        enc.time_base(av_make_q(1, 1000));
        enc.framerate(av_make_q(25, 1)); // nominal rate for rate control; timestamps stay the real ones
        enc.bit_rate(bitrate);
        enc.gop_size(50);
        enc.max_b_frames(0);
        enc.flags(enc.flags() | AV_CODEC_FLAG_GLOBAL_HEADER);
        check(avcodec_open2(enc, h264, (AVDictionary) null), "open the libopenh264 encoder");
        yuv.format(AV_PIX_FMT_YUV420P);
        yuv.width(width);
        yuv.height(height);
        check(av_frame_get_buffer(yuv, 0), "allocate a picture");
        muxer = new MkvMuxer(file, par -> avcodec_parameters_from_context(par, enc));
    }

    @Override
    public void write(Frame frame, long ptsMs) throws IOException {
        byte[] data = frame.data();
        check(av_new_packet(in, data.length), "allocate a packet");
        in.data().position(0).put(data, 0, data.length);
        int rc = avcodec_send_packet(dec, in);
        av_packet_unref(in);
        if (rc < 0) {
            throw new FrameRejectedException("frame " + frame.streamSeq() + " is not a decodable JPEG: " + Av.error(rc));
        }
        if (avcodec_receive_frame(dec, decoded) < 0) {
            throw new FrameRejectedException("frame " + frame.streamSeq() + " did not decode");
        }
        try {
            sws = sws_getCachedContext(sws, decoded.width(), decoded.height(), decoded.format(), width, height,
                    AV_PIX_FMT_YUV420P, SWS_BILINEAR, null, null, (DoublePointer) null);
            check(av_frame_make_writable(yuv), "reuse the picture");
            sws_scale(sws, decoded.data(), decoded.linesize(), 0, decoded.height(), yuv.data(), yuv.linesize());
        } finally {
            av_frame_unref(decoded);
        }
        yuv.pts(ptsMs);
        check(avcodec_send_frame(enc, yuv), "encode");
        drain();
    }

    private void drain() throws IOException {
        while (avcodec_receive_packet(enc, out) == 0) {
            try {
                muxer.write(out); // encoder and stream share the millisecond time base
            } finally {
                av_packet_unref(out);
            }
        }
    }

    @Override
    public void flush() throws IOException {
        muxer.flush();
    }

    @Override
    public void close() throws IOException {
        try {
            avcodec_send_frame(enc, null);
            drain();
            muxer.close();
        } finally {
            free();
        }
    }

    @Override
    public void abort() {
        free();
    }

    private void free() {
        if (closed) {
            return;
        }
        closed = true;
        muxer.release();
        avcodec_free_context(enc);
        avcodec_free_context(dec);
        av_frame_free(decoded);
        av_frame_free(yuv);
        av_packet_free(in);
        av_packet_free(out);
        if (sws != null) {
            sws_freeContext(sws);
        }
    }

    private static void check(int rc, String what) throws IOException {
        if (rc < 0) {
            throw new IOException("cannot " + what + ": " + Av.error(rc));
        }
    }
}
