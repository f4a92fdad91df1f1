package io.github.cctv.ingest;

import io.github.cctv.protocol.FrameHeaders;
import io.github.cctv.protocol.wire.Message;
import io.github.cctv.protocol.wire.WireDecoder;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/** A camera that streams small frames at about 100 fps in the background until stopped. */
final class StreamingCamera implements AutoCloseable {

    final TestCamera camera;
    private final int frameBytes;
    private final Thread sender;
    private volatile boolean running = true;
    private volatile long sent;
    private volatile IOException failure;

    private StreamingCamera(TestCamera camera, int frameBytes) {
        this.camera = camera;
        this.frameBytes = frameBytes;
        this.sender = new Thread(this::run, "streaming-camera-" + camera.id);
        sender.setDaemon(true);
    }

    static StreamingCamera start(int port, String id) throws Exception {
        return start(port, id, 3_000);
    }

    /** Streams over TLS, trusting what {@code tls} trusts. */
    static StreamingCamera startTls(int port, String id, javax.net.ssl.SSLContext tls) throws Exception {
        StreamingCamera s = new StreamingCamera(TestCamera.onlineTls(port, id, tls), 3_000);
        s.sender.start();
        return s;
    }

    /** Streams frames of {@code frameBytes}; {@link #assertInOrder} must be given the same size. */
    static StreamingCamera start(int port, String id, int frameBytes) throws Exception {
        StreamingCamera s = new StreamingCamera(TestCamera.online(port, id), frameBytes);
        s.sender.start();
        return s;
    }

    private void run() {
        long seq = 0;
        while (running) {
            try {
                camera.frame(seq, System.currentTimeMillis() * 1000, IngestTestSupport.image(seq, frameBytes));
                seq++;
                sent = seq;
                Thread.sleep(10); // pacing the camera, not waiting for a result
            } catch (IOException e) {
                failure = e;
                return;
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Stops sending; returns how many frames were sent. */
    long stop() throws InterruptedException {
        running = false;
        sender.join(5_000);
        if (failure != null) {
            throw new AssertionError("camera " + camera.id + " could not send", failure);
        }
        return sent;
    }

    long sent() {
        return sent;
    }

    @Override
    public void close() throws Exception {
        if (running) {
            stop();
        }
        if (!camera.disconnected()) {
            camera.goodbye();
        }
        camera.close();
    }

    /** Every frame 0..sent-1 arrived once, in order, byte-identical. */
    static void assertInOrder(List<io.nats.client.Message> frames, long sent) {
        assertInOrder(frames, sent, 3_000);
    }

    static void assertInOrder(List<io.nats.client.Message> frames, long sent, int frameBytes) {
        assertThat(frames).hasSize((int) sent);
        for (int i = 0; i < sent; i++) {
            io.nats.client.Message m = frames.get(i);
            assertThat(m.getHeaders().getFirst(FrameHeaders.SEQ)).isEqualTo(Integer.toString(i));
            assertThat(m.getData()).isEqualTo(IngestTestSupport.image(i, frameBytes));
        }
    }

    /** Reads the first message the server sends on a raw socket. */
    static Message readOne(Socket s) throws Exception {
        s.setSoTimeout(5_000);
        WireDecoder decoder = WireDecoder.forCamera();
        AtomicReference<Message> first = new AtomicReference<>();
        InputStream in = s.getInputStream();
        byte[] buf = new byte[4096];
        int n;
        while (first.get() == null && (n = in.read(buf)) >= 0) {
            decoder.feed(java.util.Arrays.copyOf(buf, n), m -> first.compareAndSet(null, m));
        }
        return first.get();
    }
}
