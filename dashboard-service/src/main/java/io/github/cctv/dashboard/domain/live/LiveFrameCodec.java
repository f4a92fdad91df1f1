package io.github.cctv.dashboard.domain.live;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The binary WebSocket message that carries one frame to a browser, big-endian (its JavaScript twin is
 * {@code js/live-frame.js}):
 * <pre>
 * u8  version (2)
 * u8  flags: bit 0 key frame, bit 1 substream
 * u8  codec: 0 jpeg, 1 h264
 * u8  id length n
 * n   camera id, ASCII
 * u64 sequence number
 * i64 capture time, µs since the epoch (camera clock)
 * i64 ingest time, µs since the epoch (server clock)
 * u16 width, u16 height (0 = unknown)
 * ... the encoded frame (a JPEG, or one H.264 Annex B access unit) to the end of the message
 * </pre>
 */
public final class LiveFrameCodec {

    public static final int VERSION = 2;
    public static final int FLAG_KEY = 1;
    public static final int FLAG_SUBSTREAM = 2;
    public static final int CODEC_JPEG = 0;
    public static final int CODEC_H264 = 1;

    private LiveFrameCodec() {
    }

    public static int headerLength(String cameraId) {
        return 4 + cameraId.length() + 28;
    }

    public static byte[] encode(Frame frame) {
        return encode(frame, false);
    }

    /** {@code substream}: the frame is of the camera's second, smaller stream. */
    public static byte[] encode(Frame frame, boolean substream) {
        byte[] id = frame.cameraId().getBytes(StandardCharsets.US_ASCII);
        int flags = (frame.metadata().keyFrame() ? FLAG_KEY : 0) | (substream ? FLAG_SUBSTREAM : 0);
        ByteBuffer buf = ByteBuffer.allocate(headerLength(frame.cameraId()) + frame.data().length);
        buf.put((byte) VERSION).put((byte) flags).put((byte) codecNumber(frame.codec())).put((byte) id.length).put(id)
                .putLong(frame.seq()).putLong(frame.captureUs()).putLong(frame.ingestUs())
                .putShort((short) clampU16(frame.width())).putShort((short) clampU16(frame.height()))
                .put(frame.data());
        return buf.array();
    }

    /** Reads a message back; used by tests and tools. */
    public static Frame decode(byte[] message) {
        ByteBuffer buf = ByteBuffer.wrap(message);
        int version = buf.get() & 0xff;
        if (version != VERSION) {
            throw new IllegalArgumentException("unknown live frame version " + version);
        }
        int flags = buf.get() & 0xff;
        String codec = (buf.get() & 0xff) == CODEC_H264 ? "h264" : "jpeg";
        byte[] id = new byte[buf.get() & 0xff];
        buf.get(id);
        long seq = buf.getLong();
        long capture = buf.getLong();
        long ingest = buf.getLong();
        int width = buf.getShort() & 0xffff;
        int height = buf.getShort() & 0xffff;
        byte[] data = new byte[buf.remaining()];
        buf.get(data);
        return new Frame(new String(id, StandardCharsets.US_ASCII),
                new io.github.cctv.protocol.FrameMetadata(seq, capture, ingest, codec, width, height,
                        (flags & FLAG_KEY) != 0), data);
    }

    /** Whether a message carries a substream frame. */
    public static boolean isSubstream(byte[] message) {
        return (message[1] & FLAG_SUBSTREAM) != 0;
    }

    private static int codecNumber(String codec) {
        return "h264".equals(codec) ? CODEC_H264 : CODEC_JPEG;
    }

    private static int clampU16(int v) {
        return Math.max(0, Math.min(0xffff, v));
    }
}
