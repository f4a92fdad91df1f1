package io.github.cctv.ingest;

import io.github.cctv.protocol.FrameHeaders;
import io.github.cctv.protocol.Subjects;
import io.github.cctv.protocol.event.CameraEvent;
import io.github.cctv.protocol.event.CameraStatus;
import io.github.cctv.testing.NatsServerResource;
import io.nats.client.Dispatcher;
import io.nats.client.Message;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@QuarkusTest
@QuarkusTestResource(value = NatsServerResource.class, restrictToAnnotatedClass = false)
class CameraStreamingIT extends IngestTestSupport {

    @Test
    void publishesEveryFrameInOrderByteIdenticalWithHeaders() throws Exception {
        String id = newId("stream");
        List<Message> frames = probe.frames(id);
        List<CameraEvent> events = probe.events(id);
        long firstSeq = 1_000;
        long captureBase = 1_764_072_000_000_000L;
        try (TestCamera cam = TestCamera.online(port(), id)) {
            for (int i = 0; i < 300; i++) {
                cam.frame(firstSeq + i, captureBase + i * 40_000L, image(firstSeq + i, 2_000 + (i * 997) % 60_000));
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> frames.size() >= 300);
            cam.goodbye();
        }
        assertThat(frames).hasSize(300);
        for (int i = 0; i < 300; i++) {
            Message m = frames.get(i);
            long seq = firstSeq + i;
            assertThat(m.getData()).as("frame %d", i).isEqualTo(image(seq, 2_000 + (i * 997) % 60_000));
            assertThat(m.getHeaders().getFirst(FrameHeaders.SEQ)).isEqualTo(Long.toString(seq));
            assertThat(m.getHeaders().getFirst(FrameHeaders.CAPTURE_US)).isEqualTo(Long.toString(captureBase + i * 40_000L));
            assertThat(m.getHeaders().getFirst(FrameHeaders.CODEC)).isEqualTo("jpeg");
            assertThat(m.getHeaders().getFirst(FrameHeaders.WIDTH)).isEqualTo("640");
            assertThat(m.getHeaders().getFirst(FrameHeaders.HEIGHT)).isEqualTo("480");
            assertThat(m.getHeaders().getFirst(FrameHeaders.KEY_FRAME)).isEqualTo("1");
            long ingestUs = Long.parseLong(m.getHeaders().getFirst(FrameHeaders.INGEST_US));
            assertThat(ingestUs).isCloseTo(System.currentTimeMillis() * 1000, org.assertj.core.data.Offset.offset(60_000_000L));
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> NatsProbe.disconnects(events) == 1);
        CameraEvent.CameraConnected connected = (CameraEvent.CameraConnected) events.get(0);
        assertThat(connected.name()).isEqualTo("Test " + id);
        assertThat(connected.width()).isEqualTo(640);
        assertThat(connected.fps()).isEqualTo(25.0);
        CameraEvent.CameraDisconnected disconnected = (CameraEvent.CameraDisconnected) events.get(1);
        assertThat(disconnected.frames()).isEqualTo(300);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            CameraStatus s = probe.status(id);
            assertThat(s.online()).isFalse();
            assertThat(s.frames()).isEqualTo(300);
        });
    }

    @Test
    void registryShowsStreamingCameraOnlineWithFrameCountAndFps() throws Exception {
        String id = newId("reg");
        try (TestCamera cam = TestCamera.online(port(), id)) {
            cam.startHeartbeats(Duration.ofMillis(200));
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(probe.status(id)).isNotNull());
            assertThat(probe.status(id).online()).isTrue();
            assertThat(probe.status(id).peer()).startsWith("127.0.0.1:");
            long sent = streamFor(cam, Duration.ofMillis(2_500));
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                CameraStatus s = probe.status(id);
                assertThat(s.online()).isTrue();
                assertThat(s.frames()).isPositive().isLessThanOrEqualTo(sent);
                assertThat(s.lastFrameAt()).isNotNull();
                assertThat(s.fps()).isGreaterThan(10.0);
            });
            assertThat(cam.receivedHeartbeat()).as("server heartbeats reach the camera").isTrue();
            cam.goodbye();
        }
    }

    @Test
    void registryUpdatesOfAStreamingCameraDoNotAskForTheBucketEachTime() throws Exception {
        String id = newId("kvinfo");
        AtomicInteger updates = new AtomicInteger();
        AtomicInteger bucketInfoRequests = new AtomicInteger();
        Dispatcher d = probe.connection.createDispatcher();
        d.subscribe("$KV." + Subjects.CAMERAS_BUCKET + "." + id, m -> updates.incrementAndGet());
        // opening a bucket asks for its stream's info: once per connection, not once per status written
        d.subscribe("$JS.API.STREAM.INFO.KV_" + Subjects.CAMERAS_BUCKET, m -> bucketInfoRequests.incrementAndGet());
        probe.connection.flush(Duration.ofSeconds(2));
        try (TestCamera cam = TestCamera.online(port(), id)) {
            cam.startHeartbeats(Duration.ofMillis(200));
            streamFor(cam, Duration.ofMillis(4_500));
            await().atMost(Duration.ofSeconds(5)).until(() -> updates.get() >= 4);
            cam.goodbye();
        }
        assertThat(bucketInfoRequests.get()).as("stream info requests for %d registry updates", updates.get())
                .isLessThanOrEqualTo(1);
    }

    /** Streams small frames at about 50 fps for {@code duration}; returns how many were sent. */
    private static long streamFor(TestCamera cam, Duration duration) throws Exception {
        long seq = 0;
        long end = System.nanoTime() + duration.toNanos();
        while (System.nanoTime() < end) {
            cam.frame(seq, System.currentTimeMillis() * 1000, image(seq, 1_000));
            seq++;
            Thread.sleep(20); // pacing the camera at about 50 fps
        }
        return seq;
    }
}
