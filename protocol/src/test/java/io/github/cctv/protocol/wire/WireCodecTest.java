package io.github.cctv.protocol.wire;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WireCodecTest {

    private static final int MAX_FRAME = 1024 * 1024;

    private static Message.Hello hello(String id) {
        return new Message.Hello(Wire.VERSION, id, "Front door ✓", "s3cret", Codec.JPEG, 1280, 720, 30_000);
    }

    private static List<Message> decodeServer(byte[]... chunks) throws ProtocolException {
        WireDecoder d = WireDecoder.forServer(MAX_FRAME);
        List<Message> out = new ArrayList<>();
        for (byte[] c : chunks) {
            d.feed(c, out::add);
        }
        return out;
    }

    private static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        ByteBuffer b = ByteBuffer.allocate(n);
        for (byte[] p : parts) {
            b.put(p);
        }
        return b.array();
    }

    private static ProtocolException serverError(byte[] bytes) {
        try {
            decodeServer(bytes);
        } catch (ProtocolException e) {
            return e;
        }
        throw new AssertionError("expected a protocol error");
    }

    @Test
    void sessionRoundTripsFromCamera() throws ProtocolException {
        byte[] jpeg = new byte[5000];
        new Random(1).nextBytes(jpeg);
        List<Message> sent = List.of(hello("cam1"), new Message.Frame(1, 1_700_000_000_000_000L, true, jpeg),
                new Message.Heartbeat(123), new Message.Frame(-1L, 5, false, new byte[]{1}), new Message.Goodbye());
        byte[] stream = concat(sent.stream().map(WireEncoder::encode).toArray(byte[][]::new));

        assertThat(decodeServer(stream)).isEqualTo(sent);
    }

    @Test
    void decodesWhateverTheSplitOfTheBytes() throws ProtocolException {
        byte[] jpeg = new byte[3000];
        new Random(2).nextBytes(jpeg);
        byte[] stream = concat(WireEncoder.encode(hello("cam1")), WireEncoder.encode(new Message.Frame(7, 8, true, jpeg)),
                WireEncoder.encode(new Message.Goodbye()));
        Random r = new Random(3);
        for (int trial = 0; trial < 50; trial++) {
            WireDecoder d = WireDecoder.forServer(MAX_FRAME);
            List<Message> out = new ArrayList<>();
            int pos = 0;
            while (pos < stream.length) {
                int n = Math.min(stream.length - pos, 1 + r.nextInt(trial < 5 ? 2 : 700));
                d.feed(ByteBuffer.wrap(stream, pos, n), out::add);
                pos += n;
            }
            assertThat(out).hasSize(3);
            assertThat(((Message.Frame) out.get(1)).data()).isEqualTo(jpeg);
        }
    }

    @Test
    void serverMessagesRoundTripToCamera() throws ProtocolException {
        List<Message> sent = List.of(new Message.Accept(1, 8_000_000, 1000, 3000), new Message.Heartbeat(9),
                new Message.Reject(ReasonCode.FRAME_TOO_LARGE, "frame of 9 MB exceeds the limit"));
        WireDecoder d = WireDecoder.forCamera();
        List<Message> out = new ArrayList<>();
        for (Message m : sent) {
            d.feed(WireEncoder.encode(m), out::add);
        }
        assertThat(out).isEqualTo(sent);
    }

    @Test
    void frameHeaderPlusDataEqualsTheEncodedFrame() {
        byte[] data = {1, 2, 3};
        assertThat(concat(WireEncoder.frameHeader(5, 6, true, 3), data))
                .isEqualTo(WireEncoder.encode(new Message.Frame(5, 6, true, data)));
    }

    @Test
    void helloBytesAreAsDocumented() {
        byte[] b = WireEncoder.encode(new Message.Hello(1, "cam1", "Door", "", Codec.JPEG, 640, 480, 15_000));
        // type, length, magic, version, id
        assertThat(b[0]).isEqualTo((byte) 0x01);
        assertThat(ByteBuffer.wrap(b, 1, 4).getInt()).isEqualTo(b.length - 5);
        assertThat(new String(b, 5, 4, StandardCharsets.US_ASCII)).isEqualTo("CCTV");
        assertThat(b[9]).isEqualTo((byte) 1);
        assertThat(b[10]).isEqualTo((byte) 4);
        assertThat(new String(b, 11, 4, StandardCharsets.US_ASCII)).isEqualTo("cam1");
        assertThat(b.length).isEqualTo(5 + 4 + 1 + 1 + 4 + 2 + 4 + 2 + 0 + 1 + 2 + 2 + 4);
    }

    @Test
    void rejectsAStreamThatDoesNotStartWithAHello() {
        assertThat(serverError("GET / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII)).reason())
                .isEqualTo(ReasonCode.BAD_MAGIC);
        assertThat(serverError(WireEncoder.encode(new Message.Frame(1, 1, true, new byte[10]))).reason())
                .isEqualTo(ReasonCode.BAD_MAGIC);
    }

    @Test
    void rejectsBadMagic() {
        byte[] b = WireEncoder.encode(hello("cam1"));
        b[5] = 'X';
        assertThat(serverError(b).reason()).isEqualTo(ReasonCode.BAD_MAGIC);
    }

    @Test
    void rejectsBadVersion() {
        byte[] b = WireEncoder.encode(hello("cam1"));
        b[9] = 3;
        ProtocolException e = serverError(b);
        assertThat(e.reason()).isEqualTo(ReasonCode.UNSUPPORTED_VERSION);
        assertThat(e.getMessage()).contains("version 3", "versions 1 to 2");
        b[9] = 0;
        assertThat(serverError(b).reason()).isEqualTo(ReasonCode.UNSUPPORTED_VERSION);
    }

    @ParameterizedTest
    @ValueSource(strings = {"a.b", "*", ">", "../x", "a/b", "01234567890123456789012345678901234567890123456789012345678901234"})
    void rejectsInvalidCameraIdsOnTheWire(String id) {
        // the encoder refuses them, so build the hello by hand
        byte[] idBytes = id.getBytes(StandardCharsets.UTF_8);
        ByteBuffer p = ByteBuffer.allocate(4 + 1 + 1 + idBytes.length + 2 + 2 + 1 + 2 + 2 + 4);
        p.put(Wire.MAGIC).put((byte) 1).put((byte) idBytes.length).put(idBytes).putShort((short) 0).putShort((short) 0)
                .put((byte) 1).putShort((short) 640).putShort((short) 480).putInt(30_000);
        byte[] msg = concat(new byte[]{Message.TYPE_HELLO}, ByteBuffer.allocate(4).putInt(p.capacity()).array(), p.array());
        assertThat(serverError(msg).reason()).isEqualTo(ReasonCode.INVALID_CAMERA_ID);
    }

    @Test
    void rejectsAnEmptyCameraId() {
        ByteBuffer p = ByteBuffer.allocate(4 + 1 + 1 + 2 + 2 + 1 + 2 + 2 + 4);
        p.put(Wire.MAGIC).put((byte) 1).put((byte) 0).putShort((short) 0).putShort((short) 0)
                .put((byte) 1).putShort((short) 640).putShort((short) 480).putInt(30_000);
        byte[] msg = concat(new byte[]{Message.TYPE_HELLO}, ByteBuffer.allocate(4).putInt(p.capacity()).array(), p.array());
        assertThat(serverError(msg).reason()).isEqualTo(ReasonCode.INVALID_CAMERA_ID);
    }

    @Test
    void rejectsNegativeAndHugeLengthsBeforeAllocating() {
        byte[] negative = {Message.TYPE_HELLO, (byte) 0x80, 0, 0, 0};
        assertThat(serverError(negative).getMessage()).contains("negative");
        byte[] hugeHello = {Message.TYPE_HELLO, 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff};
        assertThat(serverError(hugeHello).reason()).isEqualTo(ReasonCode.PROTOCOL_ERROR);

        byte[] hugeFrame = concat(WireEncoder.encode(hello("cam1")), new byte[]{Message.TYPE_FRAME, 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff});
        ProtocolException e = serverError(hugeFrame);
        assertThat(e.reason()).isEqualTo(ReasonCode.FRAME_TOO_LARGE);
        assertThat(e.getMessage()).contains("exceeds the limit of " + MAX_FRAME);
    }

    @Test
    void rejectsAFrameOneByteOverTheLimit() {
        byte[] over = concat(WireEncoder.encode(hello("cam1")), WireEncoder.frameHeader(1, 1, true, MAX_FRAME + 1));
        assertThat(serverError(over).reason()).isEqualTo(ReasonCode.FRAME_TOO_LARGE);
    }

    @Test
    void truncatedStreamYieldsNothingAndWaitsForMore() throws ProtocolException {
        byte[] full = WireEncoder.encode(hello("cam1"));
        for (int cut = 0; cut < full.length; cut++) {
            byte[] part = java.util.Arrays.copyOf(full, cut);
            assertThat(decodeServer(part)).isEmpty();
        }
    }

    @Test
    void rejectsAHelloWhoseInnerLengthsOverrunIt() {
        byte[] b = WireEncoder.encode(hello("cam1"));
        b[10] = 60; // id length pointing past the end of the payload
        assertThat(serverError(b).reason()).isIn(ReasonCode.PROTOCOL_ERROR, ReasonCode.INVALID_CAMERA_ID);
    }

    @Test
    void rejectsTrailingBytesInAHello() {
        byte[] h = WireEncoder.encode(hello("cam1"));
        byte[] b = concat(h, new byte[]{0});
        ByteBuffer.wrap(b).put(1, (byte) 0).putInt(1, h.length - 5 + 1);
        assertThat(serverError(b).getMessage()).contains("unexpected bytes");
    }

    @Test
    void rejectsUnknownCodec() {
        byte[] b = WireEncoder.encode(new Message.Hello(1, "cam1", "", "", Codec.JPEG, 640, 480, 30_000));
        b[b.length - 9] = 9; // codec byte sits before width, height, fps
        assertThat(serverError(b).reason()).isEqualTo(ReasonCode.UNSUPPORTED_CODEC);
    }

    @Test
    void ignoresWhateverFollowsAGoodbye() throws ProtocolException {
        byte[] b = concat(WireEncoder.encode(hello("cam1")), WireEncoder.encode(new Message.Goodbye()), new byte[]{0x10},
                WireEncoder.encode(hello("cam2")), new byte[]{(byte) 0xff, 1, 2});
        WireDecoder d = WireDecoder.forServer(MAX_FRAME);
        List<Message> out = new ArrayList<>();
        assertThat(d.feed(ByteBuffer.wrap(b), out::add)).isTrue();
        d.feed(new byte[]{0x7f, 0x7f}, out::add);
        assertThat(out).hasSize(2).last().isInstanceOf(Message.Goodbye.class);
        assertThat(d.ended()).isTrue();
        assertThat(d.bytesIn()).isEqualTo(b.length + 2);
    }

    @Test
    void holdsMemoryForAFrameInProportionToTheBytesReceivedNotToItsAnnouncedLength() throws ProtocolException {
        WireDecoder d = WireDecoder.forServer(MAX_FRAME);
        List<Message> out = new ArrayList<>();
        d.feed(WireEncoder.encode(hello("cam1")), out::add);
        byte[] data = new byte[MAX_FRAME];
        new Random(7).nextBytes(data);
        byte[] frame = WireEncoder.encode(new Message.Frame(9, 10, true, data));
        // the header announces 1 MiB; one byte of data has arrived
        d.feed(java.util.Arrays.copyOf(frame, Wire.MESSAGE_HEADER_BYTES + Wire.FRAME_FIELDS_BYTES + 1), out::add);
        assertThat(d.bufferedBytes()).isEqualTo(WireDecoder.INITIAL_BUFFER_BYTES);
        int fed = Wire.MESSAGE_HEADER_BYTES + Wire.FRAME_FIELDS_BYTES + 1;
        Random split = new Random(3);
        while (fed < frame.length) {
            int n = Math.min(frame.length - fed, 1 + split.nextInt(20_000));
            d.feed(java.util.Arrays.copyOfRange(frame, fed, fed + n), out::add);
            fed += n;
            int received = fed - Wire.MESSAGE_HEADER_BYTES - Wire.FRAME_FIELDS_BYTES;
            if (fed < frame.length) {
                assertThat(d.bufferedBytes()).as("after %d bytes", received)
                        .isLessThanOrEqualTo(Math.max(WireDecoder.INITIAL_BUFFER_BYTES, 2 * received));
            }
        }
        assertThat(out).hasSize(2);
        assertThat(((Message.Frame) out.get(1)).data()).isEqualTo(data);
        assertThat(d.bufferedBytes()).isZero();
        assertThat(d.messageStart()).isEqualTo(-1);
    }

    @Test
    void aFrameWhoseFirstReadHoldsMostOfItGetsOneBufferNotACopy() throws ProtocolException {
        // a 64 KB JPEG over TCP typically arrives in two reads; its buffer is taken once, at its full length
        List<Integer> reservations = new ArrayList<>();
        WireDecoder.Budget budget = new WireDecoder.Budget() {
            @Override
            public boolean reserve(int bytes) {
                reservations.add(bytes);
                return true;
            }

            @Override
            public void release(int bytes) {
            }
        };
        WireDecoder d = WireDecoder.forServer(MAX_FRAME, budget);
        List<Message> out = new ArrayList<>();
        d.feed(WireEncoder.encode(hello("cam1")), out::add);
        byte[] data = new byte[64_000];
        new Random(5).nextBytes(data);
        byte[] frame = WireEncoder.encode(new Message.Frame(1, 1, true, data));
        int firstRead = 40_000;
        d.feed(java.util.Arrays.copyOf(frame, firstRead), out::add);
        assertThat(d.bufferedBytes()).isEqualTo(data.length);
        d.feed(java.util.Arrays.copyOfRange(frame, firstRead, frame.length), out::add);
        assertThat(reservations).as("one buffer for the frame, never grown and copied").containsExactly(data.length);
        assertThat(((Message.Frame) out.get(1)).data()).isEqualTo(data);
    }

    @Test
    void stopsWhereTheBudgetRefusesMemoryAndGoesOnWhenFedAgain() throws ProtocolException {
        int[] available = {20_000};
        int[] held = {0};
        WireDecoder.Budget budget = new WireDecoder.Budget() {
            @Override
            public boolean reserve(int bytes) {
                if (bytes > available[0]) {
                    return false;
                }
                available[0] -= bytes;
                held[0] += bytes;
                return true;
            }

            @Override
            public void release(int bytes) {
                available[0] += bytes;
                held[0] -= bytes;
            }
        };
        WireDecoder d = WireDecoder.forServer(MAX_FRAME, budget);
        List<Message> out = new ArrayList<>();
        byte[] data = new byte[50_000];
        new Random(1).nextBytes(data);
        ByteBuffer in = ByteBuffer.wrap(concat(WireEncoder.encode(hello("cam1")),
                WireEncoder.encode(new Message.Frame(1, 1, true, data)), WireEncoder.encode(new Message.Heartbeat(5))));
        assertThat(d.feed(in, out::add)).as("stopped for want of budget").isFalse();
        assertThat(in.hasRemaining()).isTrue();
        assertThat(held[0]).isLessThanOrEqualTo(20_000).isEqualTo(d.bufferedBytes());
        assertThat(out).hasSize(1);

        available[0] += 100_000;
        assertThat(d.feed(in, out::add)).isTrue();
        assertThat(out).hasSize(3);
        assertThat(((Message.Frame) out.get(1)).data()).isEqualTo(data);
        assertThat(held[0]).as("a frame handed out gives its memory back").isZero();
    }

    @Test
    void givesTheMemoryOfAnUnfinishedFrameBackWhenDiscarded() throws ProtocolException {
        int[] held = {0};
        WireDecoder.Budget budget = new WireDecoder.Budget() {
            @Override
            public boolean reserve(int bytes) {
                held[0] += bytes;
                return true;
            }

            @Override
            public void release(int bytes) {
                held[0] -= bytes;
            }
        };
        WireDecoder d = WireDecoder.forServer(MAX_FRAME, budget);
        byte[] frame = WireEncoder.encode(new Message.Frame(1, 1, true, new byte[100_000]));
        d.feed(concat(WireEncoder.encode(hello("cam1")), java.util.Arrays.copyOf(frame, 30_000)), m -> { });
        assertThat(held[0]).isPositive();
        assertThat(d.messageStart()).isEqualTo(WireEncoder.encode(hello("cam1")).length);
        d.discard();
        assertThat(held[0]).isZero();
    }

    @Test
    void rejectsASecondHelloAndUnknownTypes() {
        assertThat(serverError(concat(WireEncoder.encode(hello("cam1")), WireEncoder.encode(hello("cam2")))).getMessage())
                .contains("second hello");
        assertThat(serverError(concat(WireEncoder.encode(hello("cam1")), new byte[]{0x55, 0, 0, 0, 0})).getMessage())
                .contains("0x55");
        assertThat(serverError(concat(WireEncoder.encode(hello("cam1")), WireEncoder.encode(new Message.Accept(1, 1, 1, 1)))).reason())
                .isEqualTo(ReasonCode.PROTOCOL_ERROR);
    }

    @Test
    void rejectsWrongFixedLengths() {
        byte[] hb = concat(WireEncoder.encode(hello("cam1")), new byte[]{Message.TYPE_HEARTBEAT, 0, 0, 0, 7});
        assertThat(serverError(hb).getMessage()).contains("heartbeat of 7 bytes");
        byte[] bye = concat(WireEncoder.encode(hello("cam1")), new byte[]{Message.TYPE_GOODBYE, 0, 0, 0, 1});
        assertThat(serverError(bye).getMessage()).contains("goodbye of 1 bytes");
        byte[] empty = concat(WireEncoder.encode(hello("cam1")), new byte[]{Message.TYPE_FRAME, 0, 0, 0, 17});
        assertThat(serverError(empty).getMessage()).contains("no image data");
    }

    @Test
    void rejectsInvalidUtf8InTheName() {
        byte[] b = WireEncoder.encode(new Message.Hello(1, "cam1", "ab", "", Codec.JPEG, 640, 480, 30_000));
        // name bytes follow: type(1) len(4) magic(4) ver(1) idlen(1) id(4) namelen(2)
        b[17] = (byte) 0xff;
        assertThat(serverError(b).getMessage()).contains("UTF-8");
    }

    @Test
    void rejectsZeroSizeAndAbsurdFps() {
        assertThat(serverError(WireEncoder.encode(new Message.Hello(1, "cam1", "", "", Codec.JPEG, 0, 480, 30_000))).getMessage())
                .contains("frame size");
        assertThat(serverError(WireEncoder.encode(new Message.Hello(1, "cam1", "", "", Codec.JPEG, 640, 480, 0))).getMessage())
                .contains("fps");
    }

    @Test
    void staysFailedAfterAnError() {
        WireDecoder d = WireDecoder.forServer(MAX_FRAME);
        assertThatThrownBy(() -> d.feed(new byte[]{0x7f, 0, 0, 0, 0}, m -> { })).isInstanceOf(ProtocolException.class);
        assertThatThrownBy(() -> d.feed(WireEncoder.encode(hello("cam1")), m -> { })).isInstanceOf(ProtocolException.class);
    }

    @Test
    void randomGarbageNeverEscapesAsAnythingButAProtocolException() {
        Random r = new Random(42);
        for (int i = 0; i < 2000; i++) {
            byte[] junk = new byte[1 + r.nextInt(200)];
            r.nextBytes(junk);
            if (i % 3 == 0) {
                junk = concat(WireEncoder.encode(hello("cam1")), junk);
            }
            WireDecoder d = WireDecoder.forServer(MAX_FRAME);
            try {
                d.feed(junk, m -> { });
            } catch (ProtocolException expected) {
                assertThat(expected.reason()).isNotNull();
            }
        }
    }

    @Test
    void cameraSideRefusesFramesAndRequiresAcceptFirst() {
        WireDecoder d = WireDecoder.forCamera();
        assertThatThrownBy(() -> d.feed(WireEncoder.encode(new Message.Heartbeat(1)), m -> { }))
                .isInstanceOf(ProtocolException.class).hasMessageContaining("expected accept");
    }

    @Test
    void rejectMessagesAreTruncatedToTheLimit() throws ProtocolException {
        Message.Reject long_ = new Message.Reject(ReasonCode.BAD_TOKEN, "é".repeat(2000));
        List<Message> out = new ArrayList<>();
        WireDecoder.forCamera().feed(WireEncoder.encode(long_), out::add);
        assertThat(((Message.Reject) out.get(0)).message()).hasSize(512);
    }

    private static byte[] hex(String h) {
        String clean = h.replaceAll("\\s+", "");
        byte[] out = new byte[clean.length() / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) Integer.parseInt(clean.substring(2 * i, 2 * i + 2), 16);
        }
        return out;
    }

    /** The substream hello of docs/protocol.md, byte for byte. */
    static final String SUBSTREAM_HELLO_HEX = "01 00 00 00 27 43 43 54 56 02 04 63 61 6d 31 00 04 44 6f 6f 72 00 02 73 33"
            + " 02 05 00 02 d0 00 00 75 30 01 02 02 80 01 68 00 00 27 10";

    @Test
    void substreamHelloBytesAreAsDocumentedAndRoundTrip() throws ProtocolException {
        Message.Hello h = new Message.Hello(Wire.VERSION_SUBSTREAMS, "cam1", "Door", "s3", Codec.H264, 1280, 720,
                30_000, new Message.Substream(Codec.H264, 640, 360, 10_000));
        assertThat(WireEncoder.encode(h)).isEqualTo(hex(SUBSTREAM_HELLO_HEX));
        Message decoded = decodeServer(hex(SUBSTREAM_HELLO_HEX)).get(0);
        assertThat(decoded).isEqualTo(h);
        assertThat(((Message.Hello) decoded).substream().fps()).isEqualTo(10.0);
    }

    @Test
    void aVersion2HelloWithoutASubstreamIsOneByteLongerThanVersion1() throws ProtocolException {
        Message.Hello v1 = new Message.Hello(1, "c", "", "", Codec.H264, 16, 16, 30_000);
        Message.Hello v2 = new Message.Hello(2, "c", "", "", Codec.H264, 16, 16, 30_000);
        byte[] b1 = WireEncoder.encode(v1);
        byte[] b2 = WireEncoder.encode(v2);
        // the smallest v1 hello of the document is unchanged
        assertThat(b1).isEqualTo(hex("01 00 00 00 14 43 43 54 56 01 01 63 00 00 00 00 02 00 10 00 10 00 00 75 30"));
        assertThat(b2).hasSize(b1.length + 1);
        assertThat(b2[b2.length - 1]).isZero();
        assertThat(decodeServer(b2)).containsExactly(v2);
        assertThat(decodeServer(b1)).containsExactly(v1);
    }

    @Test
    void substreamFramesCarryFlagBit1AndDecodeAsSubstreamFrames() throws ProtocolException {
        byte[] data = {0, 0, 0, 1, 0x65, 1, 2};
        byte[] header = WireEncoder.frameHeader(7, 8, true, true, data.length);
        assertThat(header[header.length - 1]).isEqualTo((byte) 0x03);
        assertThat(WireEncoder.frameHeader(7, 8, false, true, data.length)[header.length - 1]).isEqualTo((byte) 0x02);
        Message.Frame sub = new Message.Frame(7, 8, true, data, true);
        assertThat(concat(header, data)).isEqualTo(WireEncoder.encode(sub));
        List<Message> out = decodeServer(hex(SUBSTREAM_HELLO_HEX), WireEncoder.encode(sub),
                WireEncoder.encode(new Message.Frame(1, 8, true, data)));
        assertThat(out).hasSize(3);
        assertThat(((Message.Frame) out.get(1)).substream()).isTrue();
        assertThat(out.get(1)).isEqualTo(sub);
        assertThat(((Message.Frame) out.get(2)).substream()).isFalse();
    }

    @Test
    void aSubstreamFrameWithoutAnAnnouncedSubstreamIsAProtocolError() {
        byte[] frame = WireEncoder.encode(new Message.Frame(1, 1, true, new byte[]{(byte) 0xff, (byte) 0xd8}, true));
        ProtocolException v1 = serverError(concat(WireEncoder.encode(hello("cam1")), frame));
        assertThat(v1.reason()).isEqualTo(ReasonCode.PROTOCOL_ERROR);
        assertThat(v1.getMessage()).contains("no substream");
        Message.Hello v2 = new Message.Hello(2, "cam1", "", "", Codec.JPEG, 64, 48, 1000);
        assertThat(serverError(concat(WireEncoder.encode(v2), frame)).reason()).isEqualTo(ReasonCode.PROTOCOL_ERROR);
    }

    @Test
    void rejectsBadSubstreamDescriptions() {
        byte[] good = hex(SUBSTREAM_HELLO_HEX);
        byte[] two = good.clone();
        two[34] = 2; // substream count
        assertThat(serverError(two).getMessage()).contains("at most 1");
        byte[] codec = good.clone();
        codec[35] = 9;
        assertThat(serverError(codec).reason()).isEqualTo(ReasonCode.UNSUPPORTED_CODEC);
        byte[] zeroWidth = good.clone();
        zeroWidth[36] = 0;
        zeroWidth[37] = 0;
        assertThat(serverError(zeroWidth).getMessage()).contains("substream size 0x360");
        byte[] cut = java.util.Arrays.copyOf(good, good.length - 1);
        cut[4] = (byte) (cut[4] - 1);
        assertThat(serverError(cut).getMessage()).contains("truncated in substream fps");
        assertThatThrownBy(() -> new Message.Hello(1, "c", "", "", Codec.H264, 16, 16, 1000,
                new Message.Substream(Codec.H264, 8, 8, 1000))).isInstanceOf(IllegalArgumentException.class);
    }
}
