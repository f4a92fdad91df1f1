package io.github.cctv.protocol.wire;

import io.github.cctv.protocol.CameraId;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** Turns messages into bytes. Stateless and thread-safe. */
public final class WireEncoder {

    private WireEncoder() {
    }

    /** The whole message, header and payload. */
    public static byte[] encode(Message message) {
        if (message instanceof Message.Frame f) {
            return frame(f);
        } else if (message instanceof Message.Heartbeat hb) {
            return heartbeat(hb);
        } else if (message instanceof Message.Hello h) {
            return hello(h);
        } else if (message instanceof Message.Accept a) {
            return accept(a);
        } else if (message instanceof Message.Reject r) {
            return reject(r);
        } else if (message instanceof Message.Goodbye) {
            return header(Message.TYPE_GOODBYE, 0).array();
        }
        throw new IllegalArgumentException("unknown message " + message);
    }

    /**
     * The 22 bytes that precede a frame's data: message header and frame fields. Write them and then
     * the data itself, to send a frame without copying it.
     */
    public static byte[] frameHeader(long seq, long captureMicros, boolean keyFrame, int dataLength) {
        return frameHeader(seq, captureMicros, keyFrame, false, dataLength);
    }

    /** The same, for a frame of the main stream or ({@code substream}) of the substream. */
    public static byte[] frameHeader(long seq, long captureMicros, boolean keyFrame, boolean substream, int dataLength) {
        if (dataLength <= 0) {
            throw new IllegalArgumentException("frame data is empty");
        }
        ByteBuffer b = header(Message.TYPE_FRAME, Wire.FRAME_FIELDS_BYTES + dataLength,
                Wire.MESSAGE_HEADER_BYTES + Wire.FRAME_FIELDS_BYTES);
        int flags = (keyFrame ? Wire.FLAG_KEY_FRAME : 0) | (substream ? Wire.FLAG_SUBSTREAM : 0);
        b.putLong(seq).putLong(captureMicros).put((byte) flags);
        return b.array();
    }

    private static byte[] frame(Message.Frame f) {
        byte[] head = frameHeader(f.seq(), f.captureMicros(), f.keyFrame(), f.substream(), f.data().length);
        byte[] out = new byte[head.length + f.data().length];
        System.arraycopy(head, 0, out, 0, head.length);
        System.arraycopy(f.data(), 0, out, head.length, f.data().length);
        return out;
    }

    private static byte[] hello(Message.Hello h) {
        byte[] id = CameraId.requireValid(h.cameraId()).getBytes(StandardCharsets.US_ASCII);
        byte[] name = utf8(h.displayName(), Wire.MAX_NAME_BYTES, "display name");
        byte[] token = utf8(h.token(), Wire.MAX_TOKEN_BYTES, "token");
        checkUnsigned16(h.width(), "width");
        checkUnsigned16(h.height(), "height");
        Message.Substream sub = h.substream();
        if (sub != null) {
            checkUnsigned16(sub.width(), "substream width");
            checkUnsigned16(sub.height(), "substream height");
        }
        int length = 4 + 1 + 1 + id.length + 2 + name.length + 2 + token.length + 1 + 2 + 2 + 4
                + (h.version() >= Wire.VERSION_SUBSTREAMS ? 1 + (sub == null ? 0 : Wire.SUBSTREAM_BYTES) : 0);
        ByteBuffer b = header(Message.TYPE_HELLO, length);
        b.put(Wire.MAGIC).put((byte) h.version());
        b.put((byte) id.length).put(id);
        b.putShort((short) name.length).put(name);
        b.putShort((short) token.length).put(token);
        b.put((byte) h.codec().code());
        b.putShort((short) h.width()).putShort((short) h.height());
        b.putInt(h.fpsMilli());
        if (h.version() >= Wire.VERSION_SUBSTREAMS) {
            b.put((byte) (sub == null ? 0 : 1));
            if (sub != null) {
                b.put((byte) sub.codec().code()).putShort((short) sub.width()).putShort((short) sub.height())
                        .putInt(sub.fpsMilli());
            }
        }
        return b.array();
    }

    private static byte[] accept(Message.Accept a) {
        ByteBuffer b = header(Message.TYPE_ACCEPT, Wire.ACCEPT_BYTES);
        b.put((byte) a.version()).putInt(a.maxFrameBytes()).putInt(a.heartbeatIntervalMs()).putInt(a.sessionTimeoutMs());
        return b.array();
    }

    private static byte[] reject(Message.Reject r) {
        byte[] msg = utf8Truncated(r.message(), Wire.MAX_REJECT_MESSAGE_BYTES);
        ByteBuffer b = header(Message.TYPE_REJECT, 1 + 2 + msg.length);
        b.put((byte) r.reason().code()).putShort((short) msg.length).put(msg);
        return b.array();
    }

    private static byte[] heartbeat(Message.Heartbeat hb) {
        ByteBuffer b = header(Message.TYPE_HEARTBEAT, Wire.HEARTBEAT_BYTES);
        b.putLong(hb.timeMicros());
        return b.array();
    }

    private static ByteBuffer header(byte type, int payloadLength) {
        return header(type, payloadLength, Wire.MESSAGE_HEADER_BYTES + payloadLength);
    }

    private static ByteBuffer header(byte type, int payloadLength, int capacity) {
        ByteBuffer b = ByteBuffer.allocate(capacity); // big-endian by default
        b.put(type).putInt(payloadLength);
        return b;
    }

    private static byte[] utf8(String s, int max, String what) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > max) {
            throw new IllegalArgumentException(what + " is " + bytes.length + " bytes in UTF-8, at most " + max);
        }
        return bytes;
    }

    private static byte[] utf8Truncated(String s, int max) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= max) {
            return bytes;
        }
        // cut on a character boundary
        int end = max;
        while (end > 0 && (bytes[end] & 0xC0) == 0x80) {
            end--;
        }
        byte[] out = new byte[end];
        System.arraycopy(bytes, 0, out, 0, end);
        return out;
    }

    private static void checkUnsigned16(int v, String what) {
        if (v < 0 || v > 0xFFFF) {
            throw new IllegalArgumentException(what + " " + v + " does not fit in 16 bits");
        }
    }
}
