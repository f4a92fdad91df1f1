package io.github.cctv.recorder;

import io.github.cctv.recorder.domain.recording.Frame;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.swscale.SwsContext;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.PointerPointer;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;

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
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_BGR24;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_get_buffer;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_make_writable;
import static org.bytedeco.ffmpeg.global.avutil.av_log_set_level;
import static org.bytedeco.ffmpeg.global.avutil.av_make_q;
import static org.bytedeco.ffmpeg.global.avutil.AV_LOG_ERROR;
import static org.bytedeco.ffmpeg.global.swscale.SWS_BILINEAR;
import static org.bytedeco.ffmpeg.global.swscale.sws_freeContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_getContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_scale;

/**
 * An H.264 camera in code: encodes {@link TestFrames#picture test pictures} with libopenh264 (no B-frames, a
 * keyframe every {@code gop} frames) into Annex B access units, one per picture, SPS and PPS in-band before every
 * IDR, as the protocol's {@code h264} codec carries them. The counter in each picture is read back by a decoder.
 */
final class H264TestStream implements AutoCloseable {

    /** One access unit as a camera sends it. */
    record AccessUnit(int counter, byte[] data, boolean key) {
    }

    private final int width;
    private final int height;
    private final AVCodecContext enc;
    private final AVFrame yuv = av_frame_alloc();
    private final AVPacket pkt = av_packet_alloc();
    private final SwsContext sws;
    private final BytePointer bgr;
    private final IntPointer stride;
    private final PointerPointer<BytePointer> src;

    H264TestStream(int width, int height, int gop) {
        this.width = width;
        this.height = height;
        av_log_set_level(AV_LOG_ERROR);
        AVCodec codec = avcodec_find_encoder_by_name("libopenh264");
        enc = avcodec_alloc_context3(codec);
        enc.width(width);
        enc.height(height);
        enc.pix_fmt(AV_PIX_FMT_YUV420P);
        enc.time_base(av_make_q(1, 30));
        enc.framerate(av_make_q(30, 1));
        enc.bit_rate((long) width * height * 4);
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
        sws = sws_getContext(width, height, AV_PIX_FMT_BGR24, width, height, AV_PIX_FMT_YUV420P, SWS_BILINEAR,
                null, null, (DoublePointer) null);
        bgr = new BytePointer((long) width * height * 3);
        stride = new IntPointer(width * 3, 0, 0, 0);
        src = new PointerPointer<>(bgr, null, null, null);
    }

    /** Encodes the picture of {@code counter}; libopenh264 has no delay, so one picture in is one access unit out. */
    AccessUnit encode(int counter) {
        return encode(counter, TestFrames.picture(counter, width, height));
    }

    /** Encodes {@code img} (of this stream's size, {@code TYPE_3BYTE_BGR}) as the picture of {@code counter}. */
    AccessUnit encode(int counter, BufferedImage img) {
        bgr.position(0).put(((DataBufferByte) img.getRaster().getDataBuffer()).getData());
        av_frame_make_writable(yuv);
        sws_scale(sws, src, stride, 0, height, yuv.data(), yuv.linesize());
        yuv.pts(counter);
        if (avcodec_send_frame(enc, yuv) < 0 || avcodec_receive_packet(enc, pkt) < 0) {
            throw new IllegalStateException("libopenh264 gave no access unit for picture " + counter);
        }
        try {
            byte[] data = new byte[pkt.size()];
            pkt.data().position(0).get(data);
            return new AccessUnit(counter, data, (pkt.flags() & AV_PKT_FLAG_KEY) != 0);
        } finally {
            av_packet_unref(pkt);
        }
    }

    /** The access units of pictures 0 to {@code count - 1} of a fresh stream. */
    static java.util.List<AccessUnit> units(int width, int height, int gop, int count) {
        java.util.List<AccessUnit> out = new java.util.ArrayList<>();
        try (H264TestStream camera = new H264TestStream(width, height, gop)) {
            for (int i = 0; i < count; i++) {
                out.add(camera.encode(i));
            }
        }
        return out;
    }

    /** A recorder frame of camera {@code cam} holding {@code au}, captured and ingested at the given times. */
    static Frame frame(String cam, AccessUnit au, long captureUs, long ingestUs, int width, int height) {
        return new Frame(cam, au.counter() + 1L, au.counter(), captureUs, ingestUs, width, height, "h264", au.data(), 0,
                () -> { });
    }

    @Override
    public void close() {
        avcodec_free_context(enc);
        av_frame_free(yuv);
        av_packet_free(pkt);
        sws_freeContext(sws);
        bgr.close();
        stride.close();
        src.close();
    }
}
