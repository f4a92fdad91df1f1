package io.github.cctv.camera;

import io.github.cctv.protocol.wire.Message;
import io.github.cctv.protocol.wire.WireDecoder;
import io.github.cctv.protocol.wire.WireEncoder;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.GatheringByteChannel;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class OutboundBufferTest {

    /** A socket that takes at most {@code budget} bytes until given more. */
    static final class ThrottledChannel implements GatheringByteChannel {
        final ByteArrayOutputStream written = new ByteArrayOutputStream();
        int budget;

        ThrottledChannel(int budget) {
            this.budget = budget;
        }

        @Override
        public long write(ByteBuffer[] srcs, int offset, int length) {
            long total = 0;
            for (int i = offset; i < offset + length && budget > 0; i++) {
                int n = Math.min(budget, srcs[i].remaining());
                byte[] b = new byte[n];
                srcs[i].get(b);
                written.writeBytes(b);
                budget -= n;
                total += n;
            }
            return total;
        }

        @Override
        public long write(ByteBuffer[] srcs) {
            return write(srcs, 0, srcs.length);
        }

        @Override
        public int write(ByteBuffer src) {
            return (int) write(new ByteBuffer[] {src});
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public void close() {
        }
    }

    @Test
    void writesMessagesInOrderAcrossPartialWritesAndReportsEachFrameOnceComplete() throws Exception {
        OutboundBuffer out = new OutboundBuffer();
        byte[] image = new byte[1000];
        for (int i = 0; i < image.length; i++) {
            image[i] = (byte) i;
        }
        SourceFrame frame = new SourceFrame(image, 1_764_072_000_000_000L, false);
        out.add(WireEncoder.encode(new Message.Heartbeat(7)));
        out.addFrame(42, frame);
        out.add(WireEncoder.encode(new Message.Goodbye()));
        assertThat(out.hasFrame()).isTrue();
        assertThat(out.queuedBytes()).isEqualTo(13 + 22 + 1000 + 5);

        ThrottledChannel ch = new ThrottledChannel(300);
        List<OutboundBuffer.Sent> sent = new ArrayList<>();
        assertThat(out.writeTo(ch, sent::add)).isEqualTo(300);
        assertThat(sent).isEmpty();
        assertThat(out.hasFrame()).isTrue();
        ch.budget = 10_000;
        out.writeTo(ch, sent::add);
        assertThat(out.isEmpty()).isTrue();
        assertThat(out.hasFrame()).isFalse();
        assertThat(out.queuedBytes()).isZero();
        assertThat(sent).containsExactly(new OutboundBuffer.Sent(42, frame, false));

        List<Message> decoded = new ArrayList<>();
        WireDecoder d = WireDecoder.forServer(1 << 20);
        d.feed(WireEncoder.encode(new Message.Hello(1, "c", "", "", io.github.cctv.protocol.wire.Codec.H264, 2, 2, 1000)), m -> { });
        d.feed(ch.written.toByteArray(), decoded::add);
        assertThat(decoded).containsExactly(new Message.Heartbeat(7),
                new Message.Frame(42, 1_764_072_000_000_000L, false, image), new Message.Goodbye());
    }

    @Test
    void clearForgetsEverything() {
        OutboundBuffer out = new OutboundBuffer();
        out.addFrame(1, new SourceFrame(new byte[10], 0));
        out.clear();
        assertThat(out.isEmpty()).isTrue();
        assertThat(out.hasFrame()).isFalse();
        assertThat(out.queuedBytes()).isZero();
    }
}
