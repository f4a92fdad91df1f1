package io.github.cctv.camera;

import io.github.cctv.protocol.wire.Codec;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.ffmpeg.swscale.SwsContext;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.PointerPointer;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.bytedeco.ffmpeg.global.avcodec.*;
import static org.bytedeco.ffmpeg.global.avutil.*;
import static org.bytedeco.ffmpeg.global.swscale.SWS_BILINEAR;
import static org.bytedeco.ffmpeg.global.swscale.sws_freeContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_getContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_scale;

/**
 * FFmpeg's encoders for pictures made or decoded here: H.264 ({@code h264_v4l2m2m} on a Raspberry Pi,
 * {@code libopenh264} elsewhere) or JPEG ({@code mjpeg}). Takes packed BGR pictures (a
 * {@link BufferedImage} or a JavaCV BGR frame), converts them to YUV 4:2:0 with FFmpeg's scaler, and
 * returns encoded frames as the protocol carries them: an H.264 access unit in Annex B form, SPS/PPS
 * before every IDR, no B-frames; key flag on IDR. Not thread-safe, except {@link #forceKeyFrame()}.
 */
final class VideoEncoder implements AutoCloseable {

    private final Codec codec;
    private final String name;
    private final int width;
    private final int height;
    private final AVCodecContext ctx;
    private final AVFrame frame;
    private final AVPacket packet;
    private final SwsContext sws;
    private final ParameterSets parameterSets = new ParameterSets(null);
    private final Map<Long, Long> captureByPts = new HashMap<>();
    private BytePointer bgr;
    // FFmpeg reads four plane pointers and strides; packed BGR uses the first
    private final PointerPointer<BytePointer> srcPlanes = new PointerPointer<>(4);
    private final IntPointer srcStrides = new IntPointer(0, 0, 0, 0);
    private long pts;
    private volatile boolean forceKey;
    private boolean closed;

    private VideoEncoder(Codec codec, String name, int width, int height, double fps, EncoderSettings settings)
            throws IOException {
        this(codec, name, width, height, fps, settings, AV_LOG_ERROR);
    }

    private VideoEncoder(Codec codec, String name, int width, int height, double fps, EncoderSettings settings,
                         int logLevel) throws IOException {
        if (width % 2 != 0 || height % 2 != 0) {
            throw new IOException("encoding needs an even width and height, got " + width + "x" + height);
        }
        this.codec = codec;
        this.name = name;
        this.width = width;
        this.height = height;
        AVCodec encoder = avcodec_find_encoder_by_name(name);
        if (encoder == null || encoder.isNull()) {
            throw new IOException("FFmpeg has no encoder " + name);
        }
        av_log_set_level(logLevel);
        AVCodecContext c = avcodec_alloc_context3(encoder);
        AVDictionary options = new AVDictionary(null);
        try {
            AVRational rate = av_d2q(fps, 1_000_000);
            c.width(width).height(height).framerate(rate).time_base(av_inv_q(rate)).thread_count(1);
            if (codec == Codec.H264) {
                c.pix_fmt(AV_PIX_FMT_YUV420P);
                c.bit_rate(settings.bitrateKbps(width, height, fps) * 1000L);
                c.gop_size(settings.gopFrames(fps));
                c.max_b_frames(0); // decode order = presentation order: the protocol has one time per frame
                av_dict_set(options, "rc_mode", "bitrate", 0); // libopenh264: hold the bitrate, not a quality
                av_dict_set(options, "allow_skip_frames", "0", 0); // never drop a frame to meet it
            } else {
                c.pix_fmt(AV_PIX_FMT_YUVJ420P).color_range(AVCOL_RANGE_JPEG);
                c.flags(c.flags() | AV_CODEC_FLAG_QSCALE);
                c.global_quality(jpegQscale(settings.jpegQuality()) * FF_QP2LAMBDA);
            }
            int err = avcodec_open2(c, encoder, options);
            if (err < 0) {
                throw new IOException("cannot open the " + name + " encoder for " + width + "x" + height + ": " + error(err));
            }
        } catch (IOException | RuntimeException e) {
            avcodec_free_context(c);
            throw e;
        } finally {
            av_dict_free(options);
        }
        this.ctx = c;
        this.frame = av_frame_alloc();
        frame.format(c.pix_fmt()).width(width).height(height);
        if (av_frame_get_buffer(frame, 0) < 0) {
            close();
            throw new IOException("cannot allocate a " + width + "x" + height + " picture");
        }
        this.packet = av_packet_alloc();
        this.sws = sws_getContext(width, height, AV_PIX_FMT_BGR24, width, height, c.pix_fmt(), SWS_BILINEAR,
                null, null, (DoublePointer) null);
    }

    /**
     * An H.264 encoder: the first of {@link EncoderSettings#h264Candidates()} that opens and encodes a
     * picture (a hardware encoder can be present in FFmpeg yet have no device behind it).
     */
    static VideoEncoder h264(EncoderSettings settings, int width, int height, double fps) throws IOException {
        List<String> failures = new ArrayList<>();
        for (String candidate : settings.h264Candidates()) {
            try {
                if (candidate.equals("libopenh264") || works(candidate, settings, width, height, fps)) {
                    return new VideoEncoder(Codec.H264, candidate, width, height, fps, settings);
                }
                failures.add(candidate + ": no output for a test picture");
            } catch (IOException e) {
                failures.add(candidate + ": " + e.getMessage());
            }
        }
        throw new IOException("no H.264 encoder works here (" + String.join("; ", failures) + ")");
    }

    /** A JPEG encoder (FFmpeg's {@code mjpeg}) at the settings' quality. */
    static VideoEncoder jpeg(EncoderSettings settings, int width, int height, double fps) throws IOException {
        return new VideoEncoder(Codec.JPEG, "mjpeg", width, height, fps, settings);
    }

    /** An encoder of {@code codec}. */
    static VideoEncoder of(Codec codec, EncoderSettings settings, int width, int height, double fps) throws IOException {
        return codec == Codec.H264 ? h264(settings, width, height, fps) : jpeg(settings, width, height, fps);
    }

    private static boolean works(String name, EncoderSettings settings, int width, int height, double fps)
            throws IOException {
        av_log_set_level(AV_LOG_FATAL); // "could not find a valid device" is the expected answer off a Pi
        try (VideoEncoder probe = new VideoEncoder(Codec.H264, name, width, height, fps, settings, AV_LOG_FATAL)) {
            BufferedImage grey = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
            List<SourceFrame> out = new ArrayList<>(probe.encode(grey, 0));
            out.addAll(probe.flush());
            return !out.isEmpty();
        } finally {
            av_log_set_level(AV_LOG_ERROR);
        }
    }

    /** 0..1 quality to FFmpeg's JPEG quantiser scale, 2 (best) .. 31. */
    static int jpegQscale(float quality) {
        return Math.max(2, Math.min(31, Math.round(2 + (1 - quality) * 29)));
    }

    Codec codec() {
        return codec;
    }

    /** The FFmpeg encoder in use. */
    String name() {
        return name;
    }

    /** The next picture becomes a key frame (an IDR). Callable from any thread. */
    void forceKeyFrame() {
        forceKey = true;
    }

    /** Encodes a {@code TYPE_3BYTE_BGR} image of the encoder's size. */
    List<SourceFrame> encode(BufferedImage image, long captureMicros) throws IOException {
        if (image.getType() != BufferedImage.TYPE_3BYTE_BGR || image.getWidth() != width || image.getHeight() != height) {
            throw new IllegalArgumentException("need a " + width + "x" + height + " TYPE_3BYTE_BGR image");
        }
        byte[] px = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
        if (bgr == null) {
            bgr = new BytePointer(px.length);
        }
        bgr.position(0).put(px);
        return encode(bgr, width * 3, captureMicros);
    }

    /** Encodes packed BGR24 pixels of the encoder's size, {@code stride} bytes per row (a JavaCV frame's buffer). */
    List<SourceFrame> encode(ByteBuffer pixels, int stride, long captureMicros) throws IOException {
        return encode(new BytePointer(pixels), stride, captureMicros);
    }

    private List<SourceFrame> encode(BytePointer pixels, int stride, long captureMicros) throws IOException {
        check(av_frame_make_writable(frame), "picture not writable");
        srcPlanes.put(0, pixels);
        srcStrides.put(0, stride);
        sws_scale(sws, srcPlanes, srcStrides, 0, height, frame.data(), frame.linesize());
        frame.pts(pts);
        captureByPts.put(pts, captureMicros);
        pts++;
        boolean key = forceKey;
        forceKey = false;
        frame.pict_type(key ? AV_PICTURE_TYPE_I : AV_PICTURE_TYPE_NONE);
        if (codec == Codec.JPEG) {
            frame.quality(ctx.global_quality());
        }
        check(avcodec_send_frame(ctx, frame), name + " refused a picture");
        return receive();
    }

    /** Whatever the encoder still holds, at the end. */
    List<SourceFrame> flush() throws IOException {
        avcodec_send_frame(ctx, null);
        return receive();
    }

    private List<SourceFrame> receive() throws IOException {
        List<SourceFrame> out = new ArrayList<>(1);
        while (true) {
            int err = avcodec_receive_packet(ctx, packet);
            if (err == AVERROR_EAGAIN() || err == AVERROR_EOF) {
                return out;
            }
            check(err, name + " failed");
            byte[] data = new byte[packet.size()];
            packet.data().get(data);
            Long capture = captureByPts.remove(packet.pts());
            long t = capture != null ? capture : 0;
            av_packet_unref(packet);
            if (codec == Codec.H264) {
                data = parameterSets.complete(data);
                out.add(new SourceFrame(data, t, AnnexB.isIdr(data)));
            } else {
                out.add(new SourceFrame(data, t, true));
            }
        }
    }

    private static void check(int err, String what) throws IOException {
        if (err < 0) {
            throw new IOException(what + ": " + error(err));
        }
    }

    static String error(int err) {
        BytePointer buf = new BytePointer(256);
        av_strerror(err, buf, 256);
        return buf.getString() + " (" + err + ")";
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (sws != null) {
            sws_freeContext(sws);
        }
        if (packet != null) {
            av_packet_free(packet);
        }
        if (frame != null) {
            av_frame_free(frame);
        }
        if (ctx != null) {
            avcodec_free_context(ctx);
        }
        if (bgr != null) {
            bgr.close();
        }
        srcPlanes.close();
        srcStrides.close();
    }
}
