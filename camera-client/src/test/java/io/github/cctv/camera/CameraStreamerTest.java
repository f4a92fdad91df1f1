package io.github.cctv.camera;

import io.github.cctv.protocol.wire.Codec;
import io.github.cctv.protocol.wire.Message;
import io.github.cctv.protocol.wire.ReasonCode;
import io.github.cctv.protocol.wire.Wire;
import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class CameraStreamerTest {

    /** What a listener saw, in order. */
    static final class Recorder implements StreamListener {
        final List<String> events = new CopyOnWriteArrayList<>();
        final List<byte[]> sent = new CopyOnWriteArrayList<>();
        final List<Duration> retryDelays = new CopyOnWriteArrayList<>();
        final AtomicReference<Message.Reject> reject = new AtomicReference<>();

        @Override
        public void onConnected(Message.Accept accept) {
            events.add("connected");
        }

        @Override
        public void onRejected(Message.Reject r) {
            reject.set(r);
            events.add("rejected " + r.reason());
        }

        @Override
        public void onFrameSent(long seq, long captureMicros, byte[] jpeg) {
            sent.add(jpeg);
        }

        @Override
        public void onDisconnected(String reason) {
            events.add("disconnected " + reason);
        }

        @Override
        public void onRetry(String reason, Duration delay) {
            retryDelays.add(delay);
            events.add("retry " + reason);
        }
    }

    @Test
    void sendsHelloThenNumberedJpegFramesOfTheRequestedSizeThenGoodbye() throws Exception {
        Recorder rec = new Recorder();
        try (FakeIngestServer server = new FakeIngestServer();
             CameraStreamer cam = CameraStreamer.builder().server("127.0.0.1", server.port())
                     .id("cam1").name("Front door").token("s3cret").size(320, 240).fps(30).quality(0.7)
                     .frameLimit(12).listener(rec).build()) {
            long before = System.currentTimeMillis() * 1000;
            cam.start();
            assertThat(cam.awaitDone(Duration.ofSeconds(10))).isTrue();
            assertThat(cam.outcome()).isEqualTo(Outcome.COMPLETED);

            await().atMost(Duration.ofSeconds(5)).until(() -> server.connections().size() == 1 && server.connection(0).ended);
            FakeIngestServer.Conn conn = server.connection(0);
            assertThat(conn.error).isNull();
            assertThat(conn.hello).isEqualTo(new Message.Hello(Wire.VERSION, "cam1", "Front door", "s3cret", Codec.JPEG, 320, 240, 30_000));

            List<Message.Frame> frames = conn.frames();
            assertThat(frames).hasSize(12);
            assertThat(conn.messages.get(conn.messages.size() - 1)).isInstanceOf(Message.Goodbye.class);
            long lastCapture = before - 1;
            for (int i = 0; i < frames.size(); i++) {
                Message.Frame f = frames.get(i);
                assertThat(f.seq()).isEqualTo(i + 1);
                assertThat(f.keyFrame()).isTrue();
                assertThat(f.captureMicros()).isGreaterThan(lastCapture);
                lastCapture = f.captureMicros();
                BufferedImage img = ImageIO.read(new ByteArrayInputStream(f.data()));
                assertThat(img.getWidth()).isEqualTo(320);
                assertThat(img.getHeight()).isEqualTo(240);
                assertThat(TestPatternSource.readCounter(img)).hasValue(i + 1);
                // the listener was handed exactly the bytes that went over the wire
                assertThat(rec.sent.get(i)).isEqualTo(f.data());
            }
            assertThat(cam.stats().framesSent()).isEqualTo(12);
            assertThat(rec.events).containsExactly("connected", "disconnected frame limit reached, goodbye sent");
        }
    }

    @Test
    void reconnectsAfterTheServerDropsTheConnection() throws Exception {
        Recorder rec = new Recorder();
        try (FakeIngestServer server = new FakeIngestServer();
             CameraStreamer cam = CameraStreamer.builder().server("127.0.0.1", server.port())
                     .id("cam2").size(160, 120).fps(20).listener(rec).build()) {
            cam.start();
            await().atMost(Duration.ofSeconds(5)).until(() -> server.connections().size() == 1
                    && server.connection(0).frames().size() >= 3);
            server.connection(0).drop();

            await().atMost(Duration.ofSeconds(10)).until(() -> server.connections().size() == 2
                    && server.connection(1).frames().size() >= 3);
            // a new session starts its sequence again, with a new hello
            assertThat(server.connection(1).hello.cameraId()).isEqualTo("cam2");
            assertThat(server.connection(1).frames().get(0).seq()).isEqualTo(1);
            assertThat(rec.events).contains("connected").anyMatch(e -> e.startsWith("disconnected server closed"));
            assertThat(cam.stats().reconnects()).isEqualTo(1);
            assertThat(cam.stats().sessions()).isEqualTo(2);

            cam.stop();
            assertThat(cam.outcome()).isEqualTo(Outcome.STOPPED);
            await().atMost(Duration.ofSeconds(5)).until(() -> server.connection(1).ended);
            assertThat(server.connection(1).sawGoodbye()).isTrue();
        }
    }

    @Test
    void backsOffWhenThePortRefuses() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Recorder rec = new Recorder();
        try (CameraStreamer cam = CameraStreamer.builder().server("127.0.0.1", port).id("cam3").size(160, 120)
                .listener(rec).build()) {
            cam.start();
            await().atMost(Duration.ofSeconds(10)).until(() -> rec.retryDelays.size() >= 4);
            cam.stop();
        }
        // 0.5 s, 1 s, 2 s, 4 s ceilings with jitter between half and all of each
        List<Duration> d = new ArrayList<>(rec.retryDelays);
        assertThat(d.get(0)).isBetween(Duration.ofMillis(250), Duration.ofMillis(500));
        assertThat(d.get(1)).isBetween(Duration.ofMillis(500), Duration.ofMillis(1000));
        assertThat(d.get(2)).isBetween(Duration.ofMillis(1000), Duration.ofMillis(2000));
        assertThat(d.get(3)).isBetween(Duration.ofMillis(2000), Duration.ofMillis(4000));
        assertThat(rec.events.get(0)).isEqualTo("retry connection refused by 127.0.0.1:" + port);
    }

    @Test
    void surfacesARejectWithItsMessageAndRetries() throws Exception {
        Recorder rec = new Recorder();
        try (FakeIngestServer server = new FakeIngestServer(
                h -> new Message.Reject(ReasonCode.BAD_TOKEN, "token for " + h.cameraId() + " is wrong"), false);
             CameraStreamer cam = CameraStreamer.builder().server("127.0.0.1", server.port()).id("cam4")
                     .size(160, 120).listener(rec).build()) {
            cam.start();
            await().atMost(Duration.ofSeconds(5)).until(() -> server.connections().size() >= 2);
            assertThat(rec.reject.get()).isEqualTo(new Message.Reject(ReasonCode.BAD_TOKEN, "token for cam4 is wrong"));
            assertThat(rec.events).contains("retry rejected: BAD_TOKEN: token for cam4 is wrong");
            assertThat(cam.isDone()).isFalse();
        }
    }

    @Test
    void stopsForGoodWhenTheIdIsRejectedAsInvalid() throws Exception {
        Recorder rec = new Recorder();
        try (FakeIngestServer server = new FakeIngestServer(
                h -> new Message.Reject(ReasonCode.INVALID_CAMERA_ID, "ids starting with 'x' are reserved"), false);
             CameraStreamer cam = CameraStreamer.builder().server("127.0.0.1", server.port()).id("x1")
                     .size(160, 120).listener(rec).build()) {
            cam.start();
            assertThat(cam.awaitDone(Duration.ofSeconds(5))).isTrue();
            assertThat(cam.outcome()).isEqualTo(Outcome.REJECTED);
            assertThat(cam.rejection().message()).isEqualTo("ids starting with 'x' are reserved");
            assertThat(server.connections()).hasSize(1);
        }
    }

    @Test
    void sendsHeartbeatsWhenNoFrameGoesOut() throws Exception {
        Message.Accept fastBeat = new Message.Accept(Wire.VERSION, 1 << 20, 100, 5000);
        try (FakeIngestServer server = new FakeIngestServer(h -> fastBeat, true);
             CameraStreamer cam = CameraStreamer.builder().server("127.0.0.1", server.port()).id("cam5")
                     .size(160, 120).source((n, now) -> null).build()) {
            cam.start();
            await().atMost(Duration.ofSeconds(5)).until(() -> server.connections().size() == 1
                    && server.connection(0).heartbeats() >= 3);
            assertThat(server.connection(0).frames()).isEmpty();
        }
    }

    @Test
    void declaresTheServerLostAfterTheSessionTimeout() throws Exception {
        Message.Accept shortTimeout = new Message.Accept(Wire.VERSION, 1 << 20, 100, 400);
        Recorder rec = new Recorder();
        // this server accepts and then never says another word
        try (FakeIngestServer server = new FakeIngestServer(h -> shortTimeout, false);
             CameraStreamer cam = CameraStreamer.builder().server("127.0.0.1", server.port()).id("cam6")
                     .size(160, 120).listener(rec).build()) {
            cam.start();
            await().atMost(Duration.ofSeconds(5)).until(() -> rec.events.stream().anyMatch(e -> e.startsWith("disconnected server lost")));
            await().atMost(Duration.ofSeconds(5)).until(() -> server.connections().size() >= 2);
        }
    }

    @Test
    void dropsFramesInsteadOfQueueingWhenTheNetworkCannotKeepUp() throws Exception {
        // a server that accepts and then stops reading: the socket buffers fill up and stay full
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            byte[] big = new byte[256 * 1024];
            new java.util.Random(1).nextBytes(big);
            try (CameraStreamer cam = CameraStreamer.builder().server("127.0.0.1", server.getLocalPort()).id("cam7")
                    .size(160, 120).fps(100).source((n, now) -> new SourceFrame(big, now)).build()) {
                cam.start();
                try (Socket s = server.accept()) {
                    s.getOutputStream().write(io.github.cctv.protocol.wire.WireEncoder.encode(
                            new Message.Accept(Wire.VERSION, 1 << 20, 1000, 60_000)));
                    await().atMost(Duration.ofSeconds(10)).until(() -> cam.stats().framesDropped() >= 50);
                    long sent = cam.stats().framesSent();
                    long dropped = cam.stats().framesDropped();
                    await().atMost(Duration.ofSeconds(5)).until(() -> cam.stats().framesDropped() >= dropped + 20);
                    // at most the one frame that was in flight completes: nothing piled up behind it
                    assertThat(cam.stats().framesSent()).isLessThanOrEqualTo(sent + 1);
                }
            }
        }
    }
}
