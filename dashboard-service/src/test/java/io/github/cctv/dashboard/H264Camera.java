package io.github.cctv.dashboard;

import io.github.cctv.nats.FrameMessages;
import io.github.cctv.protocol.FrameMetadata;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.javacpp.BytePointer;

import java.awt.Color;
import java.time.Instant;

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
 * An H.264 camera in code, published on NATS as ingest publishes one: libopenh264 (no B-frames, a key frame every
 * {@code gop} pictures, SPS/PPS in-band before each IDR), one Annex B access unit per message. Each picture is one
 * flat colour given by the caller, so a test reads the colour back from the browser's canvas.
 */
final class H264Camera implements AutoCloseable {

    private final String cameraId;
    private final int width;
    private final int height;
    private final AVCodecContext enc;
    private final AVFrame yuv = av_frame_alloc();
    private final AVPacket pkt = av_packet_alloc();
    private long seq;

    H264Camera(String cameraId, int width, int height, int gop) {
        this.cameraId = cameraId;
        this.width = width;
        this.height = height;
        av_log_set_level(AV_LOG_ERROR);
        AVCodec codec = avcodec_find_encoder_by_name("libopenh264");
        enc = avcodec_alloc_context3(codec);
        enc.width(width);
        enc.height(height);
        enc.pix_fmt(AV_PIX_FMT_YUV420P);
        enc.time_base(av_make_q(1, 25));
        enc.framerate(av_make_q(25, 1));
        enc.bit_rate(1_000_000);
        enc.gop_size(gop);
        enc.max_b_frames(0);
        if (avcodec_open2(enc, codec, (AVDictionary) null) < 0) {
            throw new IllegalStateException("cannot open libopenh264");
        }
        yuv.format(AV_PIX_FMT_YUV420P);
        yuv.width(width);
        yuv.height(height);
        av_frame_get_buffer(yuv, 0);
    }

    /** One access unit. */
    record AccessUnit(long seq, byte[] data, boolean key) {
    }

    /** Encodes the next picture, all of {@code colour}. */
    AccessUnit encode(Color colour) {
        int r = colour.getRed();
        int g = colour.getGreen();
        int b = colour.getBlue();
        int y = (int) Math.round(16 + 0.257 * r + 0.504 * g + 0.098 * b);
        int u = (int) Math.round(128 - 0.148 * r - 0.291 * g + 0.439 * b);
        int v = (int) Math.round(128 + 0.439 * r - 0.368 * g - 0.071 * b);
        av_frame_make_writable(yuv);
        fill(yuv.data(0), yuv.linesize(0), width, height, y);
        fill(yuv.data(1), yuv.linesize(1), width / 2, height / 2, u);
        fill(yuv.data(2), yuv.linesize(2), width / 2, height / 2, v);
        yuv.pts(seq);
        if (avcodec_send_frame(enc, yuv) < 0 || avcodec_receive_packet(enc, pkt) < 0) {
            throw new IllegalStateException("libopenh264 gave no access unit");
        }
        try {
            byte[] data = new byte[pkt.size()];
            pkt.data().position(0).get(data);
            return new AccessUnit(++seq, data, (pkt.flags() & AV_PKT_FLAG_KEY) != 0);
        } finally {
            av_packet_unref(pkt);
        }
    }

    /** Captures the next picture now, encodes it and publishes it as ingest would. */
    AccessUnit publish(Color colour) {
        long captureUs = Instant.now().toEpochMilli() * 1000;
        AccessUnit au = encode(colour);
        long ingestUs = Instant.now().toEpochMilli() * 1000;
        NatsFixtures.nats().publish(FrameMessages.message(cameraId,
                new FrameMetadata(au.seq(), captureUs, ingestUs, "h264", width, height, au.key()), au.data()));
        return au;
    }

    private static void fill(BytePointer plane, int stride, int w, int h, int value) {
        byte[] row = new byte[w];
        java.util.Arrays.fill(row, (byte) value);
        for (int i = 0; i < h; i++) {
            plane.position((long) i * stride).put(row, 0, w);
        }
        plane.position(0);
    }

    @Override
    public void close() {
        avcodec_free_context(enc);
        av_frame_free(yuv);
        av_packet_free(pkt);
    }
}
