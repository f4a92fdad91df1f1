package io.github.cctv.testing;

import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVFrame;

import java.util.function.Consumer;

import static org.bytedeco.ffmpeg.global.avcodec.AV_PKT_FLAG_KEY;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_alloc_context3;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_encoder_by_name;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_free_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_open2;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_receive_packet;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_send_frame;
import static org.bytedeco.ffmpeg.global.avutil.AV_LOG_ERROR;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_get_buffer;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_make_writable;
import static org.bytedeco.ffmpeg.global.avutil.av_log_set_level;
import static org.bytedeco.ffmpeg.global.avutil.av_make_q;

/**
 * H.264 as a camera sends it, made in a test: pictures (YUV 4:2:0, filled by the caller) encoded with libopenh264 (no
 * B-frames, a key frame every {@code gop} pictures, SPS and PPS in-band before each IDR) into Annex B access units,
 * one per picture: libopenh264 has no delay, so one picture in is one access unit out.
 */
public final class OpenH264Pictures implements AutoCloseable {

    /** One access unit. */
    public record AccessUnit(byte[] data, boolean key) {
    }

    private final int width;
    private final int height;
    private final AVCodecContext enc;
    private final AVFrame yuv = av_frame_alloc();
    private final AVPacket pkt = av_packet_alloc();

    public OpenH264Pictures(int width, int height, int fps, long bitRate, int gop) {
        this.width = width;
        this.height = height;
        av_log_set_level(AV_LOG_ERROR);
        AVCodec codec = avcodec_find_encoder_by_name("libopenh264");
        enc = avcodec_alloc_context3(codec);
        enc.width(width);
        enc.height(height);
        enc.pix_fmt(AV_PIX_FMT_YUV420P);
        enc.time_base(av_make_q(1, fps));
        enc.framerate(av_make_q(fps, 1));
        enc.bit_rate(bitRate);
        enc.gop_size(gop);
        enc.max_b_frames(0);
        int rc = avcodec_open2(enc, codec, (AVDictionary) null);
        if (rc < 0) {
            throw new IllegalStateException("cannot open libopenh264: " + rc);
        }
        yuv.format(AV_PIX_FMT_YUV420P);
        yuv.width(width);
        yuv.height(height);
        av_frame_get_buffer(yuv, 0);
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    /** Encodes the picture {@code fill} writes into the (writable) YUV frame, with presentation time {@code pts}. */
    public AccessUnit encode(long pts, Consumer<AVFrame> fill) {
        av_frame_make_writable(yuv);
        fill.accept(yuv);
        yuv.pts(pts);
        if (avcodec_send_frame(enc, yuv) < 0 || avcodec_receive_packet(enc, pkt) < 0) {
            throw new IllegalStateException("libopenh264 gave no access unit for picture " + pts);
        }
        try {
            byte[] data = new byte[pkt.size()];
            pkt.data().position(0).get(data);
            return new AccessUnit(data, (pkt.flags() & AV_PKT_FLAG_KEY) != 0);
        } finally {
            av_packet_unref(pkt);
        }
    }

    @Override
    public void close() {
        avcodec_free_context(enc);
        av_frame_free(yuv);
        av_packet_free(pkt);
    }
}
