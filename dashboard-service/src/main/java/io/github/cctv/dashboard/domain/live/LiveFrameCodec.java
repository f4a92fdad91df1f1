package io.github.cctv.dashboard.domain.live;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The binary WebSocket message that carries one frame to a browser, big-endian:
 * <pre>
 * u8  version (1)
 * u8  id length n
 * n   camera id, ASCII
 * u64 sequence number
 * i64 capture time, µs since the epoch (camera clock)
 * i64 ingest time, µs since the epoch (server clock)
 * ... the encoded image (JPEG) to the end of the message
 * </pre>
 */
public final class LiveFrameCodec {

    public static final int VERSION = 1;

    private LiveFrameCodec() {
    }

    public static int headerLength(String cameraId) {
        return 2 + cameraId.length() + 24;
    }

    public static byte[] encode(Frame frame) {
        byte[] id = frame.cameraId().getBytes(StandardCharsets.US_ASCII);
        ByteBuffer buf = ByteBuffer.allocate(2 + id.length + 24 + frame.data().length);
        buf.put((byte) VERSION).put((byte) id.length).put(id)
                .putLong(frame.seq()).putLong(frame.captureUs()).putLong(frame.ingestUs())
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
        byte[] id = new byte[buf.get() & 0xff];
        buf.get(id);
        long seq = buf.getLong();
        long capture = buf.getLong();
        long ingest = buf.getLong();
        byte[] data = new byte[buf.remaining()];
        buf.get(data);
        return new Frame(new String(id, StandardCharsets.US_ASCII), seq, capture, ingest, null, 0, 0, data);
    }
}
