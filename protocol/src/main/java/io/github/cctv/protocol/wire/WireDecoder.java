package io.github.cctv.protocol.wire;

import io.github.cctv.protocol.CameraId;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Incremental decoder of the camera wire protocol: feed it bytes as they arrive, in any split, and it
 * hands out whole messages. It checks every length against its limit before reading the payload, and
 * every message against the state of the session (hello first). Memory for a payload grows with the bytes
 * that actually arrive, never to the announced length up front, and for frames it is taken from a
 * {@link Budget} first. Bytes after a goodbye are ignored. Once it has thrown a {@link ProtocolException} it
 * stays failed. Not thread-safe: one decoder per connection.
 */
public final class WireDecoder {

    /** The side of the connection this decoder runs on, which decides the messages it accepts. */
    public enum Side {
        /** Runs in the server, decodes what a camera sends. */
        SERVER,
        /** Runs in the camera, decodes what the server sends. */
        CAMERA
    }

    /**
     * Where the memory for frame payloads comes from. The decoder reserves bytes before it grows a frame's
     * buffer and releases them when the frame is handed out or {@link #discard() discarded}.
     */
    public interface Budget {
        /** Takes {@code bytes} from the budget; false when it cannot now, and then nothing is taken. */
        boolean reserve(int bytes);

        /** Gives back bytes reserved earlier. */
        void release(int bytes);

        /** No limit beyond the frame size limit itself. */
        Budget UNLIMITED = new Budget() {
            @Override
            public boolean reserve(int bytes) {
                return true;
            }

            @Override
            public void release(int bytes) {
            }
        };
    }

    /** First buffer of a payload, bytes: a payload's buffer starts this small and doubles as its bytes arrive. */
    public static final int INITIAL_BUFFER_BYTES = 8 * 1024;

    private static final byte[] EMPTY = new byte[0];

    private final Side side;
    private final int maxFrameBytes;
    private final Budget budget;

    private final byte[] head = new byte[Wire.MESSAGE_HEADER_BYTES + Wire.FRAME_FIELDS_BYTES];
    private int headFill;
    private int headNeeded = Wire.MESSAGE_HEADER_BYTES;
    private byte type;
    private int payloadLength;
    private long frameSeq;
    private long frameCaptureMicros;
    private boolean frameKey;
    private boolean frameSubstream;
    /** The hello announced a substream: frames may carry {@link Wire#FLAG_SUBSTREAM}. */
    private boolean substreamAnnounced;
    /** Payload being received: {@code body.length} may be less than {@code bodyLength} while it grows. */
    private byte[] body;
    private int bodyLength;
    private int bodyFill;
    /** Bytes of {@link #budget} held by {@link #body}. */
    private int reserved;
    private long messageStart = -1;

    private boolean opened;
    private boolean ended;
    private ProtocolException failure;
    private long bytesIn;

    private WireDecoder(Side side, int maxFrameBytes, Budget budget) {
        this.side = side;
        this.maxFrameBytes = maxFrameBytes;
        this.budget = budget;
    }

    /** A decoder for the server side, accepting frames up to {@code maxFrameBytes} of image data. */
    public static WireDecoder forServer(int maxFrameBytes) {
        return forServer(maxFrameBytes, Budget.UNLIMITED);
    }

    /**
     * A decoder for the server side, accepting frames up to {@code maxFrameBytes} of image data, whose frame
     * buffers are taken from {@code budget}.
     */
    public static WireDecoder forServer(int maxFrameBytes, Budget budget) {
        if (maxFrameBytes <= 0 || maxFrameBytes > Wire.MAX_FRAME_BYTES_CEILING) {
            throw new IllegalArgumentException("maxFrameBytes must be in 1.." + Wire.MAX_FRAME_BYTES_CEILING);
        }
        return new WireDecoder(Side.SERVER, maxFrameBytes, java.util.Objects.requireNonNull(budget, "budget"));
    }

    /** A decoder for the camera side. */
    public static WireDecoder forCamera() {
        return new WireDecoder(Side.CAMERA, 0, Budget.UNLIMITED);
    }

    /** Bytes fed so far. */
    public long bytesIn() {
        return bytesIn;
    }

    /** True once a goodbye has been decoded: any further byte is ignored. */
    public boolean ended() {
        return ended;
    }

    /**
     * Where in the stream ({@link #bytesIn()} at its first byte) the message now partly received began, or -1
     * between messages. A caller times how long one message takes by watching this change.
     */
    public long messageStart() {
        return messageStart;
    }

    /** Bytes held for the payload of the message now partly received: its buffer, not its announced length. */
    public int bufferedBytes() {
        return body == null ? 0 : body.length;
    }

    /** Drops the message partly received and gives its memory back to the budget; call when the connection ends. */
    public void discard() {
        body = null;
        releaseReserved();
    }

    public void feed(byte[] bytes, Consumer<Message> out) throws ProtocolException {
        feed(ByteBuffer.wrap(bytes), out);
    }

    /**
     * Decodes {@code in}, passing each complete message to {@code out} in order. Returns true when all of
     * {@code in} was taken; false when the {@link Budget} refused memory for a frame, in which case what is
     * left in {@code in} must be fed again later.
     */
    public boolean feed(ByteBuffer in, Consumer<Message> out) throws ProtocolException {
        if (failure != null) {
            throw failure;
        }
        try {
            while (in.hasRemaining()) {
                if (ended) {
                    // the session is over: what a camera still sends is not read as a message
                    bytesIn += in.remaining();
                    in.position(in.limit());
                    return true;
                }
                int before = in.remaining();
                boolean progressed = step(in, out);
                bytesIn += before - in.remaining();
                if (!progressed) {
                    return false;
                }
            }
            return true;
        } catch (ProtocolException e) {
            failure = e;
            discard();
            throw e;
        }
    }

    /** One phase of one message; false when it could not go on for want of budget. */
    private boolean step(ByteBuffer in, Consumer<Message> out) throws ProtocolException {
        if (body == null) {
            if (headFill == 0) {
                messageStart = bytesIn;
            }
            int n = Math.min(headNeeded - headFill, in.remaining());
            in.get(head, headFill, n);
            headFill += n;
            if (headFill < headNeeded) {
                return true;
            }
            if (headNeeded == Wire.MESSAGE_HEADER_BYTES) {
                type = head[0];
                payloadLength = ByteBuffer.wrap(head, 1, 4).getInt();
                checkHeader();
                if (type == Message.TYPE_FRAME) {
                    headNeeded += Wire.FRAME_FIELDS_BYTES;
                    return true;
                }
                bodyLength = payloadLength;
            } else {
                ByteBuffer f = ByteBuffer.wrap(head, Wire.MESSAGE_HEADER_BYTES, Wire.FRAME_FIELDS_BYTES);
                frameSeq = f.getLong();
                frameCaptureMicros = f.getLong();
                int flags = f.get();
                frameKey = (flags & Wire.FLAG_KEY_FRAME) != 0;
                frameSubstream = (flags & Wire.FLAG_SUBSTREAM) != 0;
                if (frameSubstream && !substreamAnnounced) {
                    throw new ProtocolException(ReasonCode.PROTOCOL_ERROR, "frame " + Long.toUnsignedString(frameSeq)
                            + " is flagged as a substream frame, but the hello announced no substream");
                }
                bodyLength = payloadLength - Wire.FRAME_FIELDS_BYTES;
            }
            body = EMPTY;
            bodyFill = 0;
        } else {
            if (bodyFill == body.length && !grow(in.remaining())) {
                return false;
            }
            int n = Math.min(body.length - bodyFill, in.remaining());
            in.get(body, bodyFill, n);
            bodyFill += n;
        }
        if (bodyFill == bodyLength) {
            Message m = complete(body);
            headFill = 0;
            headNeeded = Wire.MESSAGE_HEADER_BYTES;
            body = null;
            messageStart = -1;
            releaseReserved();
            out.accept(m);
        }
        return true;
    }

    /**
     * Makes room for more of the payload: twice what has arrived of it with this input, at least
     * {@link #INITIAL_BUFFER_BYTES}, never beyond the payload's length. Frames take the room from the budget. A
     * frame that arrives in two reads, the first holding at least half of it, gets its whole buffer at once (one
     * allocation, no copy of what had arrived), and the memory held is still at most twice what has arrived.
     */
    private boolean grow(int incoming) {
        long wanted = Math.max(INITIAL_BUFFER_BYTES, 2L * ((long) bodyFill + incoming));
        int capacity = (int) Math.min(bodyLength, wanted);
        int more = capacity - body.length;
        if (type == Message.TYPE_FRAME) {
            if (!budget.reserve(more)) {
                return false;
            }
            reserved += more;
        }
        body = java.util.Arrays.copyOf(body, capacity);
        return true;
    }

    private void releaseReserved() {
        if (reserved > 0) {
            int r = reserved;
            reserved = 0;
            budget.release(r);
        }
    }

    private void checkHeader() throws ProtocolException {
        if (payloadLength < 0) {
            throw new ProtocolException(ReasonCode.PROTOCOL_ERROR,
                    "negative payload length " + payloadLength + " for message type " + hex(type));
        }
        if (side == Side.SERVER) {
            checkFromCamera();
        } else {
            checkFromServer();
        }
    }

    private void checkFromCamera() throws ProtocolException {
        if (!opened) {
            if (type != Message.TYPE_HELLO) {
                throw new ProtocolException(ReasonCode.BAD_MAGIC,
                        "stream does not start with a CCTV hello (first byte " + hex(type) + ")");
            }
            if (payloadLength > Wire.MAX_HELLO_BYTES) {
                throw new ProtocolException(ReasonCode.PROTOCOL_ERROR,
                        "hello of " + payloadLength + " bytes, at most " + Wire.MAX_HELLO_BYTES);
            }
            return;
        }
        switch (type) {
            case Message.TYPE_FRAME -> {
                long data = (long) payloadLength - Wire.FRAME_FIELDS_BYTES;
                if (data <= 0) {
                    throw new ProtocolException(ReasonCode.PROTOCOL_ERROR,
                            "frame of " + payloadLength + " payload bytes carries no image data");
                }
                if (data > maxFrameBytes) {
                    throw new ProtocolException(ReasonCode.FRAME_TOO_LARGE,
                            "frame of " + data + " bytes exceeds the limit of " + maxFrameBytes + " bytes");
                }
            }
            case Message.TYPE_HEARTBEAT -> expectLength(Wire.HEARTBEAT_BYTES, "heartbeat");
            case Message.TYPE_GOODBYE -> expectLength(0, "goodbye");
            case Message.TYPE_HELLO -> throw new ProtocolException(ReasonCode.PROTOCOL_ERROR, "second hello");
            default -> throw new ProtocolException(ReasonCode.PROTOCOL_ERROR,
                    "unexpected message type " + hex(type) + " from a camera");
        }
    }

    private void checkFromServer() throws ProtocolException {
        if (!opened && type != Message.TYPE_ACCEPT && type != Message.TYPE_REJECT) {
            throw new ProtocolException(ReasonCode.PROTOCOL_ERROR,
                    "expected accept or reject, got message type " + hex(type));
        }
        switch (type) {
            case Message.TYPE_ACCEPT -> {
                if (opened) {
                    throw new ProtocolException(ReasonCode.PROTOCOL_ERROR, "second accept");
                }
                expectLength(Wire.ACCEPT_BYTES, "accept");
            }
            case Message.TYPE_REJECT -> {
                if (payloadLength < 3 || payloadLength > 3 + Wire.MAX_REJECT_MESSAGE_BYTES) {
                    throw new ProtocolException(ReasonCode.PROTOCOL_ERROR, "reject of " + payloadLength + " bytes");
                }
            }
            case Message.TYPE_HEARTBEAT -> expectLength(Wire.HEARTBEAT_BYTES, "heartbeat");
            case Message.TYPE_GOODBYE -> expectLength(0, "goodbye");
            default -> throw new ProtocolException(ReasonCode.PROTOCOL_ERROR,
                    "unexpected message type " + hex(type) + " from a server");
        }
    }

    private void expectLength(int expected, String what) throws ProtocolException {
        if (payloadLength != expected) {
            throw new ProtocolException(ReasonCode.PROTOCOL_ERROR,
                    what + " of " + payloadLength + " bytes, expected " + expected);
        }
    }

    private Message complete(byte[] payload) throws ProtocolException {
        ByteBuffer p = ByteBuffer.wrap(payload);
        return switch (type) {
            case Message.TYPE_HELLO -> {
                Message.Hello h = parseHello(p);
                opened = true;
                substreamAnnounced = h.substream() != null;
                yield h;
            }
            case Message.TYPE_ACCEPT -> {
                int version = p.get() & 0xFF;
                int maxFrame = p.getInt();
                int hbInterval = p.getInt();
                int timeout = p.getInt();
                if (maxFrame <= 0 || hbInterval <= 0 || timeout <= 0) {
                    throw new ProtocolException(ReasonCode.PROTOCOL_ERROR, "accept with a non-positive limit");
                }
                opened = true;
                yield new Message.Accept(version, maxFrame, hbInterval, timeout);
            }
            case Message.TYPE_REJECT -> {
                ReasonCode reason = ReasonCode.ofCode(p.get() & 0xFF);
                int len = p.getShort() & 0xFFFF;
                if (len != p.remaining()) {
                    throw new ProtocolException(ReasonCode.PROTOCOL_ERROR, "reject message length mismatch");
                }
                yield new Message.Reject(reason, utf8(p, len, "reject message"));
            }
            case Message.TYPE_FRAME -> new Message.Frame(frameSeq, frameCaptureMicros, frameKey, payload, frameSubstream);
            case Message.TYPE_HEARTBEAT -> new Message.Heartbeat(p.getLong());
            case Message.TYPE_GOODBYE -> {
                ended = true;
                yield new Message.Goodbye();
            }
            default -> throw new IllegalStateException("unreachable: type " + hex(type));
        };
    }

    private static Message.Hello parseHello(ByteBuffer p) throws ProtocolException {
        if (p.remaining() < Wire.MAGIC.length + 1) {
            throw new ProtocolException(ReasonCode.BAD_MAGIC, "hello too short for magic and version");
        }
        for (byte m : Wire.MAGIC) {
            if (p.get() != m) {
                throw new ProtocolException(ReasonCode.BAD_MAGIC, "hello does not start with the magic \"CCTV\"");
            }
        }
        int version = p.get() & 0xFF;
        if (version < Wire.VERSION || version > Wire.MAX_VERSION) {
            throw new ProtocolException(ReasonCode.UNSUPPORTED_VERSION, "protocol version " + version
                    + " is not supported, this server speaks versions " + Wire.VERSION + " to " + Wire.MAX_VERSION);
        }
        int idLen = u8(p, "camera id length");
        if (idLen == 0 || idLen > CameraId.MAX_LENGTH) {
            throw new ProtocolException(ReasonCode.INVALID_CAMERA_ID,
                    "camera id of " + idLen + " bytes, must be 1.." + CameraId.MAX_LENGTH);
        }
        need(p, idLen, "camera id");
        byte[] idBytes = new byte[idLen];
        p.get(idBytes);
        String id = new String(idBytes, StandardCharsets.ISO_8859_1);
        if (!CameraId.isValid(id)) {
            try {
                CameraId.requireValid(id);
            } catch (CameraId.InvalidCameraIdException e) {
                throw new ProtocolException(ReasonCode.INVALID_CAMERA_ID, e.getMessage());
            }
        }
        int nameLen = u16(p, "display name length");
        if (nameLen > Wire.MAX_NAME_BYTES) {
            throw new ProtocolException(ReasonCode.PROTOCOL_ERROR,
                    "display name of " + nameLen + " bytes, at most " + Wire.MAX_NAME_BYTES);
        }
        String name = utf8(p, nameLen, "display name");
        int tokenLen = u16(p, "token length");
        if (tokenLen > Wire.MAX_TOKEN_BYTES) {
            throw new ProtocolException(ReasonCode.PROTOCOL_ERROR,
                    "token of " + tokenLen + " bytes, at most " + Wire.MAX_TOKEN_BYTES);
        }
        String token = utf8(p, tokenLen, "token");
        int codecCode = u8(p, "codec");
        Codec codec = Codec.ofCode(codecCode);
        if (codec == null) {
            throw new ProtocolException(ReasonCode.UNSUPPORTED_CODEC, "unknown codec " + codecCode);
        }
        int width = u16(p, "width");
        int height = u16(p, "height");
        if (width < 1 || width > Wire.MAX_DIMENSION || height < 1 || height > Wire.MAX_DIMENSION) {
            throw new ProtocolException(ReasonCode.PROTOCOL_ERROR,
                    "frame size " + width + "x" + height + " outside 1.." + Wire.MAX_DIMENSION);
        }
        need(p, 4, "fps");
        int fpsMilli = p.getInt();
        if (fpsMilli < 1 || fpsMilli > 1_000_000) {
            throw new ProtocolException(ReasonCode.PROTOCOL_ERROR, "nominal fps x1000 of " + fpsMilli + " outside 1..1000000");
        }
        Message.Substream substream = null;
        if (version >= Wire.VERSION_SUBSTREAMS) {
            int count = u8(p, "substream count");
            if (count > Wire.MAX_SUBSTREAMS) {
                throw new ProtocolException(ReasonCode.PROTOCOL_ERROR,
                        count + " substreams announced, at most " + Wire.MAX_SUBSTREAMS);
            }
            if (count == 1) {
                substream = parseSubstream(p);
            }
        }
        if (p.hasRemaining()) {
            throw new ProtocolException(ReasonCode.PROTOCOL_ERROR, p.remaining() + " unexpected bytes at the end of the hello");
        }
        return new Message.Hello(version, id, name, token, codec, width, height, fpsMilli, substream);
    }

    private static Message.Substream parseSubstream(ByteBuffer p) throws ProtocolException {
        int codecCode = u8(p, "substream codec");
        Codec codec = Codec.ofCode(codecCode);
        if (codec == null) {
            throw new ProtocolException(ReasonCode.UNSUPPORTED_CODEC, "unknown substream codec " + codecCode);
        }
        int width = u16(p, "substream width");
        int height = u16(p, "substream height");
        if (width < 1 || width > Wire.MAX_DIMENSION || height < 1 || height > Wire.MAX_DIMENSION) {
            throw new ProtocolException(ReasonCode.PROTOCOL_ERROR,
                    "substream size " + width + "x" + height + " outside 1.." + Wire.MAX_DIMENSION);
        }
        need(p, 4, "substream fps");
        int fpsMilli = p.getInt();
        if (fpsMilli < 1 || fpsMilli > 1_000_000) {
            throw new ProtocolException(ReasonCode.PROTOCOL_ERROR,
                    "substream nominal fps x1000 of " + fpsMilli + " outside 1..1000000");
        }
        return new Message.Substream(codec, width, height, fpsMilli);
    }

    private static int u8(ByteBuffer p, String what) throws ProtocolException {
        need(p, 1, what);
        return p.get() & 0xFF;
    }

    private static int u16(ByteBuffer p, String what) throws ProtocolException {
        need(p, 2, what);
        return p.getShort() & 0xFFFF;
    }

    private static void need(ByteBuffer p, int n, String what) throws ProtocolException {
        if (p.remaining() < n) {
            throw new ProtocolException(ReasonCode.PROTOCOL_ERROR, "message truncated in " + what);
        }
    }

    private static String utf8(ByteBuffer p, int len, String what) throws ProtocolException {
        need(p, len, what);
        ByteBuffer slice = p.slice();
        slice.limit(len);
        p.position(p.position() + len);
        try {
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(slice);
            return chars.toString();
        } catch (CharacterCodingException e) {
            throw new ProtocolException(ReasonCode.PROTOCOL_ERROR, what + " is not valid UTF-8");
        }
    }

    private static String hex(byte b) {
        return String.format("0x%02x", b & 0xFF);
    }
}
