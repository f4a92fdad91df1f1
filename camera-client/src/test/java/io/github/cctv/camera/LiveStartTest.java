package io.github.cctv.camera;

import io.github.cctv.protocol.wire.Codec;
import io.github.cctv.protocol.wire.Message;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A live camera's frames queued before a connection is accepted are sent, from the first, on a real socket. */
class LiveStartTest {

    /** A live camera in memory: frames numbered in their first bytes, handed over by a real {@link FrameQueue}. */
    static final class QueuedCamera implements FrameSource {
        final FrameQueue queue = new FrameQueue(GrabberSource.QUEUE_FRAMES, SourceRequest.DEFAULT_QUEUE_BYTES);
        final List<Boolean> connections = new CopyOnWriteArrayList<>();
        private volatile Runnable wakeup = () -> { };
        private int next;

        /** Reads the camera's next {@code count} frames, captured {@code ageMicros} before now. */
        synchronized void read(int count, long ageMicros) {
            for (int i = 0; i < count; i++) {
                byte[] data = ByteBuffer.allocate(64).putInt(next++).array();
                queue.offer(new SourceFrame(data, System.currentTimeMillis() * 1000 - ageMicros, true));
            }
            wakeup.run();
        }

        @Override
        public SourceFrame poll(long frameNumber, long nowMicros) {
            return queue.poll();
        }

        @Override
        public StreamFormat format() {
            return new StreamFormat(Codec.JPEG, 320, 240, 30);
        }

        @Override
        public boolean live() {
            return true;
        }

        @Override
        public void onFrameReady(Runnable wakeup) {
            this.wakeup = wakeup;
        }

        @Override
        public void startConnection(boolean firstOfRun) {
            connections.add(firstOfRun);
            queue.startConnection(firstOfRun ? Long.MIN_VALUE
                    : System.currentTimeMillis() * 1000 - SourceRequest.DEFAULT_BACKLOG_MAX_AGE.toNanos() / 1000);
        }

        @Override
        public long droppedFrames() {
            return queue.dropped();
        }
    }

    private static int number(Message.Frame f) {
        return ByteBuffer.wrap(f.data()).getInt();
    }

    private static Message acceptAfter(Duration delay) {
        try {
            Thread.sleep(delay.toMillis()); // a slow server, not a wait for a result
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return FakeIngestServer.ACCEPT;
    }

    @Test
    void sendsEveryFrameQueuedBeforeALateAcceptFromTheFirst() throws Exception {
        QueuedCamera camera = new QueuedCamera();
        camera.read(90, 3_000_000); // what the camera sent while the source opened
        try (FakeIngestServer server = new FakeIngestServer(hello -> {
            camera.read(60, 0); // and while the server took its time
            return acceptAfter(Duration.ofMillis(1500));
        }, true)) {
            FakeIngestServer.Streamed streamed = server.streamToEnd(
                    CameraStreamer.builder().id("late").frameLimit(150).source(camera), Duration.ofSeconds(20));
            List<Message.Frame> frames = streamed.frames();
            assertThat(frames).hasSize(150);
            for (int i = 0; i < frames.size(); i++) {
                assertThat(number(frames.get(i))).as("frame %d", i).isEqualTo(i);
                assertThat(frames.get(i).seq()).isEqualTo(i + 1);
            }
            assertThat(streamed.stats().framesDropped()).isZero();
            assertThat(camera.connections).containsExactly(true);
        }
    }

    @Test
    void aReconnectSendsWhatWasQueuedWhileDownFromTheFirstButNotStaleFrames() throws Exception {
        QueuedCamera camera = new QueuedCamera();
        CameraStreamerTest.Recorder rec = new CameraStreamerTest.Recorder();
        try (FakeIngestServer server = new FakeIngestServer(hello -> acceptAfter(Duration.ofMillis(300)), true);
             CameraStreamer cam = CameraStreamer.builder().server("127.0.0.1", server.port()).id("again")
                     .source(camera).listener(rec).build()) {
            camera.read(30, 0);
            cam.start();
            await().atMost(Duration.ofSeconds(10)).until(() -> !server.connections().isEmpty()
                    && server.connection(0).frames().size() == 30);
            server.connection(0).drop();
            await().atMost(Duration.ofSeconds(10)).until(() -> rec.events.stream().anyMatch(e -> e.startsWith("disconnected")));
            camera.read(10, 120_000_000); // held since before the bound: stale
            camera.read(40, 0);           // read while the connection was down
            await().atMost(Duration.ofSeconds(15)).until(() -> server.connections().size() == 2
                    && server.connection(1).frames().size() == 40);
            List<Message.Frame> again = server.connection(1).frames();
            for (int i = 0; i < again.size(); i++) {
                assertThat(number(again.get(i))).as("frame %d of the second connection", i).isEqualTo(40 + i);
            }
            assertThat(camera.connections).containsExactly(true, false);
            assertThat(camera.queue.stale()).isEqualTo(10);
            assertThat(cam.stats().framesDropped()).as("the stale frames").isEqualTo(10);
        }
    }
}
