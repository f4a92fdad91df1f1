package io.github.cctv.dashboard;

import io.github.cctv.dashboard.domain.live.Frame;
import io.github.cctv.dashboard.domain.live.LiveHub;
import io.github.cctv.dashboard.health.LiveMetrics;
import io.github.cctv.testing.NatsServerResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

import static io.github.cctv.dashboard.NatsFixtures.bytes;
import static io.github.cctv.dashboard.NatsFixtures.publishFrame;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@QuarkusTest
@QuarkusTestResource(value = NatsServerResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = FakeRecorder.class, restrictToAnnotatedClass = false)
class LiveSocketIT {

    @TestHTTPResource("/ws/live")
    URI live;

    @Inject
    LiveHub hub;

    @Inject
    LiveMetrics metrics;

    @Test
    void deliversSubscribedCameraFrameByteIdenticalWithHeader() throws Exception {
        NatsFixtures.nats();
        try (LiveClient client = LiveClient.open(live)) {
            client.send("{\"type\":\"subscribe\",\"cameras\":{\"ws-a\":0}}");
            await().until(() -> !client.textsOfType("subscribed").isEmpty());
            byte[] jpeg = bytes(150_000, 1);
            long ingestUs = publishFrame("ws-a", 7, 1_700_000_000_123_456L, jpeg);

            await().atMost(Duration.ofSeconds(5)).until(() -> !client.framesOf("ws-a").isEmpty());
            Frame got = client.framesOf("ws-a").get(0);
            assertThat(got.seq()).isEqualTo(7);
            assertThat(got.captureUs()).isEqualTo(1_700_000_000_123_456L);
            assertThat(got.ingestUs()).isEqualTo(ingestUs);
            assertThat(got.data()).isEqualTo(jpeg);
        }
    }

    @Test
    void largeFramesAndStatusMessagesFromManyThreadsNeverInterleaveOnTheWire() throws Exception {
        NatsFixtures.nats();
        int cameras = 6;
        int frames = 60;
        StringBuilder wanted = new StringBuilder();
        for (int c = 1; c <= cameras; c++) {
            wanted.append(c > 1 ? "," : "").append("\"ws-big").append(c).append("\":0");
        }
        try (LiveClient client = LiveClient.open(live)) {
            client.send("{\"type\":\"subscribe\",\"cameras\":{" + wanted + "}}");
            await().until(() -> !client.textsOfType("subscribed").isEmpty());
            // frames above the 64 KiB WebSocket frame size go out in fragments; messages sent from other
            // threads (other cameras, status updates) must never land between two fragments of one message
            Thread[] writers = new Thread[cameras + 1];
            for (int w = 0; w < writers.length; w++) {
                int which = w;
                writers[w] = new Thread(() -> {
                    for (int i = 1; i <= frames; i++) {
                        if (which == cameras) {
                            NatsFixtures.putStatus(NatsFixtures.online("ws-big" + (1 + i % cameras), "Big " + i));
                        } else {
                            publishFrame("ws-big" + (which + 1), i, System.currentTimeMillis() * 1000, bytes(300_000, i));
                        }
                    }
                });
                writers[w].start();
            }
            for (Thread t : writers) {
                t.join();
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> !client.errors.isEmpty()
                    || java.util.stream.IntStream.rangeClosed(1, cameras).allMatch(
                            c -> client.framesOf("ws-big" + c).stream().anyMatch(f -> f.seq() == frames)));
            assertThat(client.errors).isEmpty();
            for (Frame f : client.frames) {
                assertThat(f.data()).isEqualTo(bytes(300_000, (int) f.seq()));
            }
        }
    }

    @Test
    void neverDeliversFramesOfCamerasNotWatched() throws Exception {
        NatsFixtures.nats();
        try (LiveClient client = LiveClient.open(live)) {
            client.send("{\"type\":\"subscribe\",\"cameras\":{\"ws-b\":0}}");
            await().until(() -> !client.textsOfType("subscribed").isEmpty());
            for (int i = 1; i <= 5; i++) {
                publishFrame("ws-c", i, i, bytes(1000, i));
            }
            publishFrame("ws-b", 1, 1, bytes(1000, 9));

            await().until(() -> !client.framesOf("ws-b").isEmpty());
            assertThat(client.frames).extracting(Frame::cameraId).containsOnly("ws-b");
            assertThat(hub.subscribedCameras()).doesNotContain("ws-c");
        }
    }

    @Test
    void viewerThatSubscribesGetsTheLatestFrameAtOnce() throws Exception {
        NatsFixtures.nats();
        publishFrame("ws-latest", 41, 41, bytes(2000, 41));
        byte[] newest = bytes(2000, 42);
        publishFrame("ws-latest", 42, 42, newest);

        try (LiveClient client = LiveClient.open(live)) {
            client.send("{\"type\":\"subscribe\",\"cameras\":{\"ws-latest\":5}}");
            await().atMost(Duration.ofSeconds(3)).until(() -> !client.framesOf("ws-latest").isEmpty());
            assertThat(client.framesOf("ws-latest").get(0).seq()).isEqualTo(42);
            assertThat(client.framesOf("ws-latest").get(0).data()).isEqualTo(newest);
        }
    }

    @Test
    void stalledViewerDropsFramesForItselfWhileFastViewerGetsThemAll() throws Exception {
        NatsFixtures.nats();
        double supersededBefore = metrics.droppedCount(LiveMetrics.DropReason.SUPERSEDED);
        try (LiveClient fast = LiveClient.open(live); LiveClient stalled = LiveClient.openStalled(live)) {
            fast.send("{\"type\":\"subscribe\",\"cameras\":{\"ws-load\":0}}");
            stalled.send("{\"type\":\"subscribe\",\"cameras\":{\"ws-load\":0}}");
            await().until(() -> !fast.textsOfType("subscribed").isEmpty() && !stalled.textsOfType("subscribed").isEmpty());

            // 100 frames of 120 kB (12 MB) at 25 fps: a camera's pace, more than socket buffers hold for the stalled one
            int count = 100;
            byte[] jpeg = bytes(120_000, 3);
            for (int i = 1; i <= count; i++) {
                publishFrame("ws-load", i, i, jpeg);
                LockSupport.parkNanos(Duration.ofMillis(40).toNanos()); // pacing the camera, not waiting for a result
            }

            await().atMost(Duration.ofSeconds(10)).until(() -> {
                var got = fast.framesOf("ws-load");
                return !got.isEmpty() && got.get(got.size() - 1).seq() == count;
            });
            assertThat(fast.framesOf("ws-load")).hasSizeGreaterThanOrEqualTo((int) (count * 0.9));
            assertThat(stalled.framesOf("ws-load").size()).isLessThan(count / 2);
            assertThat(metrics.droppedCount(LiveMetrics.DropReason.SUPERSEDED)).isGreaterThan(supersededBefore);
            String stalledId = stalled.textsOfType("hello").get(0).path("viewerId").asText();
            String fastId = fast.textsOfType("hello").get(0).path("viewerId").asText();
            assertThat(hub.viewer(stalledId).stats().framesDropped()).isGreaterThan(count / 10);
            assertThat(hub.viewer(fastId).stats().framesDropped()).isLessThan(count / 10);
        }
    }

    @Test
    void aSlowViewerOfAnH264CameraSkipsToKeyFramesAndOnlyEverGetsWholeRunsFromThem() throws Exception {
        NatsFixtures.nats();
        double skipsBefore = metrics.keyframeSkips();
        try (LiveClient fast = LiveClient.open(live); LiveClient slow = LiveClient.openSlow(live, Duration.ofMillis(200))) {
            fast.send("{\"type\":\"subscribe\",\"cameras\":{\"ws-h264\":0}}");
            slow.send("{\"type\":\"subscribe\",\"cameras\":{\"ws-h264\":0}}");
            await().until(() -> !fast.textsOfType("subscribed").isEmpty() && !slow.textsOfType("subscribed").isEmpty());

            // 150 access units of 60 kB at 25 fps, a key frame every 25: the slow page reads 5 a second
            int count = 150;
            byte[] au = bytes(60_000, 5);
            for (int i = 1; i <= count; i++) {
                long nowUs = System.currentTimeMillis() * 1000;
                NatsFixtures.nats().publish(io.github.cctv.nats.FrameMessages.message("ws-h264",
                        new io.github.cctv.protocol.FrameMetadata(i, nowUs, nowUs, "h264", 1280, 720, i % 25 == 1), au));
                LockSupport.parkNanos(Duration.ofMillis(40).toNanos()); // pacing the camera, not waiting for a result
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                var got = fast.framesOf("ws-h264");
                return !got.isEmpty() && got.get(got.size() - 1).seq() == count;
            });
            assertThat(fast.framesOf("ws-h264")).hasSize(count);
            String slowId = slow.textsOfType("hello").get(0).path("viewerId").asText();
            await().atMost(Duration.ofSeconds(5)).until(() -> hub.viewer(slowId).stats().keyframeSkips() > 0);
            var got = slow.framesOf("ws-h264");
            assertThat(got.get(0).keyFrame()).isTrue();
            for (int i = 1; i < got.size(); i++) {
                var f = got.get(i);
                assertThat(f.keyFrame() || f.seq() == got.get(i - 1).seq() + 1)
                        .as("frame %d after %d: a key frame or the next one", f.seq(), got.get(i - 1).seq()).isTrue();
            }
            assertThat(metrics.keyframeSkips()).isGreaterThan(skipsBefore);
            assertThat(metrics.droppedCount(LiveMetrics.DropReason.SKIPPED_TO_KEYFRAME)).isPositive();
            String fastId = fast.textsOfType("hello").get(0).path("viewerId").asText();
            assertThat(hub.viewer(fastId).stats().keyframeSkips()).isZero();
            assertThat(hub.viewer(slowId).stats().keyframeSkipsByCamera()).containsKey("ws-h264");
        }
    }

    @Test
    void natsSubscriptionFollowsViewersAndEndsWithTheLastOne() throws Exception {
        NatsFixtures.nats();
        LiveClient first = LiveClient.open(live);
        LiveClient second = LiveClient.open(live);
        try {
            assertThat(hub.subscribedCameras()).doesNotContain("ws-ref");
            first.send("{\"type\":\"subscribe\",\"cameras\":{\"ws-ref\":0}}");
            second.send("{\"type\":\"subscribe\",\"cameras\":{\"ws-ref\":2}}");
            await().until(() -> hub.subscribedCameras().contains("ws-ref")
                    && !second.textsOfType("subscribed").isEmpty());

            first.close();
            await().until(() -> hub.viewers().size() == 1);
            assertThat(hub.subscribedCameras()).contains("ws-ref");
            publishFrame("ws-ref", 1, 1, bytes(500, 1));
            await().until(() -> !second.framesOf("ws-ref").isEmpty());

            // watching nothing any more releases the camera even with the socket still open
            second.send("{\"type\":\"subscribe\",\"cameras\":{}}");
            await().atMost(Duration.ofSeconds(2)).until(() -> !hub.subscribedCameras().contains("ws-ref"));
        } finally {
            first.close();
            second.close();
        }
        await().until(() -> hub.viewers().isEmpty());
        assertThat(hub.subscribedCameras()).isEmpty();
    }

    @Test
    void answersInvalidSubscriptionWithAnErrorAndKeepsTheConnection() throws Exception {
        try (LiveClient client = LiveClient.open(live)) {
            client.send("{\"type\":\"subscribe\",\"cameras\":{\"bad.id\":0}}");
            await().until(() -> !client.textsOfType("error").isEmpty());
            assertThat(client.textsOfType("error").get(0).path("message").asText()).contains("bad.id");
            client.send("not json");
            await().until(() -> client.textsOfType("error").size() == 2);
            client.send("{\"type\":\"subscribe\",\"cameras\":{\"ws-ok\":0}}");
            await().until(() -> !client.textsOfType("subscribed").isEmpty());
            assertThat(hub.subscribedCameras()).contains("ws-ok");
        }
    }
}
