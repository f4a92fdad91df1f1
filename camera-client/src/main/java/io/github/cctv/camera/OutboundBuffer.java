package io.github.cctv.camera;

import io.github.cctv.protocol.wire.WireEncoder;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.GatheringByteChannel;
import java.util.ArrayDeque;
import java.util.function.Consumer;

/**
 * Messages on their way to the server, in order, written without blocking: as much as the socket takes
 * now, the rest when it is writable again. A frame goes out as its 22-byte header and its data in one
 * gathering write, so the encoded bytes are never copied. It holds what the connection has committed to
 * send; how many frames may wait is decided before they get here (one frame at a time, see Session).
 */
final class OutboundBuffer {

    /** A frame written completely. */
    record Sent(long seq, SourceFrame frame, boolean substream) {
    }

    private static final class Pending {
        final ByteBuffer[] buffers;
        final long seq;
        final SourceFrame frame;
        final boolean substream;

        Pending(ByteBuffer[] buffers, long seq, SourceFrame frame, boolean substream) {
            this.buffers = buffers;
            this.seq = seq;
            this.frame = frame;
            this.substream = substream;
        }

        boolean done() {
            return !buffers[buffers.length - 1].hasRemaining();
        }
    }

    private final ArrayDeque<Pending> queue = new ArrayDeque<>();
    private int frames;
    private long queuedBytes;

    /** Queues an encoded control message (hello, heartbeat, goodbye). */
    void add(byte[] message) {
        queue.add(new Pending(new ByteBuffer[] {ByteBuffer.wrap(message)}, 0, null, false));
        queuedBytes += message.length;
    }

    /** Queues a FRAME message for {@code frame} with sequence number {@code seq}. */
    void addFrame(long seq, SourceFrame frame) {
        addFrame(seq, frame, false);
    }

    /** The same for a frame of the main stream or ({@code substream}) of the substream, which its flags say. */
    void addFrame(long seq, SourceFrame frame, boolean substream) {
        byte[] header = WireEncoder.frameHeader(seq, frame.captureMicros(), frame.keyFrame(), substream,
                frame.data().length);
        queue.add(new Pending(new ByteBuffer[] {ByteBuffer.wrap(header), ByteBuffer.wrap(frame.data())}, seq, frame,
                substream));
        frames++;
        queuedBytes += header.length + frame.data().length;
    }

    boolean isEmpty() {
        return queue.isEmpty();
    }

    /** True while a frame is queued or partly written. */
    boolean hasFrame() {
        return frames > 0;
    }

    /** Bytes still to write. */
    long queuedBytes() {
        return queuedBytes;
    }

    /** Forgets everything (the connection is gone). */
    void clear() {
        queue.clear();
        frames = 0;
        queuedBytes = 0;
    }

    /**
     * Writes as much as {@code channel} takes without blocking. Each frame that went out completely is
     * handed to {@code sent}, in order. Returns the bytes written.
     */
    long writeTo(GatheringByteChannel channel, Consumer<Sent> sent) throws IOException {
        long total = 0;
        while (!queue.isEmpty()) {
            Pending p = queue.peek();
            long n = channel.write(p.buffers);
            total += n;
            queuedBytes -= n;
            if (!p.done()) {
                break; // the socket is full: the rest when it is writable again
            }
            queue.poll();
            if (p.frame != null) {
                frames--;
                sent.accept(new Sent(p.seq, p.frame, p.substream));
            }
        }
        return total;
    }
}
