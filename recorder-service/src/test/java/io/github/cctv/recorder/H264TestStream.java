package io.github.cctv.recorder;

import io.github.cctv.recorder.domain.recording.Frame;
import io.github.cctv.testing.OpenH264Pictures;
import org.bytedeco.ffmpeg.swscale.SwsContext;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.PointerPointer;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;

import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_BGR24;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;
import static org.bytedeco.ffmpeg.global.swscale.SWS_BILINEAR;
import static org.bytedeco.ffmpeg.global.swscale.sws_freeContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_getContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_scale;

/**
 * An H.264 camera in code: encodes {@link TestFrames#picture test pictures} with {@link OpenH264Pictures} (a keyframe
 * every {@code gop} frames, SPS and PPS in-band before every IDR) into Annex B access units, one per picture, as the
 * protocol's {@code h264} codec carries them. The counter in each picture is read back by a decoder.
 */
final class H264TestStream implements AutoCloseable {

    /** One access unit as a camera sends it. */
    record AccessUnit(int counter, byte[] data, boolean key) {
    }

    private final int width;
    private final int height;
    private final OpenH264Pictures encoder;
    private final SwsContext sws;
    private final BytePointer bgr;
    private final IntPointer stride;
    private final PointerPointer<BytePointer> src;

    H264TestStream(int width, int height, int gop) {
        this.width = width;
        this.height = height;
        this.encoder = new OpenH264Pictures(width, height, 30, (long) width * height * 4, gop);
        sws = sws_getContext(width, height, AV_PIX_FMT_BGR24, width, height, AV_PIX_FMT_YUV420P, SWS_BILINEAR,
                null, null, (DoublePointer) null);
        bgr = new BytePointer((long) width * height * 3);
        stride = new IntPointer(width * 3, 0, 0, 0);
        src = new PointerPointer<>(bgr, null, null, null);
    }

    /** Encodes the picture of {@code counter}. */
    AccessUnit encode(int counter) {
        return encode(counter, TestFrames.picture(counter, width, height));
    }

    /** Encodes {@code img} (of this stream's size, {@code TYPE_3BYTE_BGR}) as the picture of {@code counter}. */
    AccessUnit encode(int counter, BufferedImage img) {
        bgr.position(0).put(((DataBufferByte) img.getRaster().getDataBuffer()).getData());
        OpenH264Pictures.AccessUnit au = encoder.encode(counter,
                yuv -> sws_scale(sws, src, stride, 0, height, yuv.data(), yuv.linesize()));
        return new AccessUnit(counter, au.data(), au.key());
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
        encoder.close();
        sws_freeContext(sws);
        bgr.close();
        stride.close();
        src.close();
    }
}
