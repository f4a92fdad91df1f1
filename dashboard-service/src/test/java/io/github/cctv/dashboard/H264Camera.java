package io.github.cctv.dashboard;

import io.github.cctv.nats.FrameMessages;
import io.github.cctv.protocol.FrameMetadata;
import io.github.cctv.testing.OpenH264Pictures;
import org.bytedeco.javacpp.BytePointer;

import java.awt.Color;
import java.time.Instant;

/**
 * An H.264 camera in code, published on NATS as ingest publishes one: {@link OpenH264Pictures} (a key frame every
 * {@code gop} pictures, SPS/PPS in-band before each IDR), one Annex B access unit per message. Each picture is one
 * flat colour given by the caller, so a test reads the colour back from the browser's canvas.
 */
final class H264Camera implements AutoCloseable {

    private final String cameraId;
    private final OpenH264Pictures encoder;
    private long seq;

    H264Camera(String cameraId, int width, int height, int gop) {
        this.cameraId = cameraId;
        this.encoder = new OpenH264Pictures(width, height, 25, 1_000_000, gop);
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
        int width = encoder.width();
        int height = encoder.height();
        OpenH264Pictures.AccessUnit au = encoder.encode(seq, yuv -> {
            fill(yuv.data(0), yuv.linesize(0), width, height, y);
            fill(yuv.data(1), yuv.linesize(1), width / 2, height / 2, u);
            fill(yuv.data(2), yuv.linesize(2), width / 2, height / 2, v);
        });
        return new AccessUnit(++seq, au.data(), au.key());
    }

    /** Captures the next picture now, encodes it and publishes it as ingest would. */
    AccessUnit publish(Color colour) {
        long captureUs = Instant.now().toEpochMilli() * 1000;
        AccessUnit au = encode(colour);
        long ingestUs = Instant.now().toEpochMilli() * 1000;
        NatsFixtures.nats().publish(FrameMessages.message(cameraId,
                new FrameMetadata(au.seq(), captureUs, ingestUs, "h264", encoder.width(), encoder.height(), au.key()),
                au.data()));
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
        encoder.close();
    }
}
