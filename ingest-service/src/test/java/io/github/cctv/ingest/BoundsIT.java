package io.github.cctv.ingest;

import io.github.cctv.ingest.health.IngestMetrics;
import io.github.cctv.protocol.Subjects;
import io.github.cctv.protocol.event.CameraStatus;
import io.github.cctv.protocol.wire.Message;
import io.github.cctv.protocol.wire.WireEncoder;
import io.github.cctv.testing.NatsServerResource;
import io.nats.client.KeyValue;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Ingest with small bounds: a registry of 20 cameras whose offline entries expire after 3 s, and 200 kB of memory for
 * frames on their way (a frame may take 10 s).
 */
@QuarkusTest
@TestProfile(BoundsIT.Small.class)
@QuarkusTestResource(value = NatsServerResource.class, restrictToAnnotatedClass = false)
class BoundsIT extends IngestTestSupport {

    static final int MAX_CAMERAS = 20;
    static final int FRAME_MEMORY = 200_000;

    public static class Small implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("cctv.ingest.registry.max-cameras", String.valueOf(MAX_CAMERAS),
                    "cctv.ingest.max-connections", String.valueOf(MAX_CAMERAS),
                    "cctv.ingest.registry.offline-expiry", "3s",
                    "cctv.ingest.frame-memory", String.valueOf(FRAME_MEMORY),
                    "cctv.ingest.message-timeout", "10s");
        }
    }

    @Inject
    IngestMetrics metrics;

    @Test
    void fakeSessionsNeverGrowTheRegistryPastItsBoundAndOfflineEntriesExpire() throws Exception {
        KeyValue kv = probe.connection.keyValue(Subjects.CAMERAS_BUCKET);
        String keeper = newId("keeper");
        try (StreamingCamera real = StreamingCamera.start(port(), keeper)) {
            for (int i = 0; i < 100; i++) {
                try (TestCamera fake = TestCamera.online(port(), "fake-" + i)) {
                    fake.goodbye();
                    await().atMost(Duration.ofSeconds(2)).until(fake::disconnected);
                }
                if (i % 10 == 9) {
                    int n = i + 1;
                    await().atMost(Duration.ofSeconds(2)).untilAsserted(() ->
                            assertThat(kv.keys()).as("registry after %d fake sessions", n).hasSizeLessThanOrEqualTo(MAX_CAMERAS));
                }
            }
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                List<String> keys = kv.keys();
                assertThat(keys).hasSizeLessThanOrEqualTo(MAX_CAMERAS).contains(keeper, "fake-99");
            });
            assertThat(metrics.registryRemovedCount("full") + metrics.registryRemovedCount("expired"))
                    .as("entries removed to stay within the bound or because they expired").isGreaterThanOrEqualTo(100 - MAX_CAMERAS);
            assertThat(metrics.registryRemovedCount("full")).isPositive();
            CameraStatus s = probe.status(keeper);
            assertThat(s.online()).isTrue();

            // the fakes are offline: after the expiry only the streaming camera is left
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(kv.keys()).containsExactly(keeper));
            assertThat(metrics.registryRemovedCount("expired")).isPositive();
            assertThat(real.camera.disconnected()).isFalse();
        }
    }

    @Test
    void aCameraWaitsWhileFrameMemoryIsHeldAndLosesNothing() throws Exception {
        String hogId = newId("hog");
        String id = newId("patient");
        List<io.nats.client.Message> frames = probe.frames(id);
        List<io.nats.client.Message> hogFrames = probe.frames(hogId);
        double pausedBefore = pausedReads();
        try (TestCamera hog = TestCamera.online(port(), hogId)) {
            byte[] big = image(1, 180_000);
            byte[] frame = WireEncoder.encode(new Message.Frame(1, System.currentTimeMillis() * 1000, true, big));
            int[] sentOfFrame = {frame.length - 10_000};
            hog.send(java.util.Arrays.copyOf(frame, sentOfFrame[0])); // 170 kB of a 180 kB frame: most of the 200 kB
            // the hog keeps its session with a byte of its frame now and then (a heartbeat cannot cut into a frame)
            java.util.concurrent.atomic.AtomicBoolean finish = new java.util.concurrent.atomic.AtomicBoolean();
            Thread trickle = new Thread(() -> {
                try {
                    while (!finish.get()) {
                        hog.send(new byte[]{frame[sentOfFrame[0]++]});
                        Thread.sleep(200); // pacing the sender
                    }
                    hog.send(java.util.Arrays.copyOfRange(frame, sentOfFrame[0], frame.length));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            try (StreamingCamera patient = StreamingCamera.start(port(), id, 30_000)) {
                trickle.start();
                await().atMost(Duration.ofSeconds(5)).until(() -> pausedReads() > pausedBefore);
                // 1.5 s without reading: longer than the session timeout, yet the camera is not lost
                await().pollDelay(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(2)).until(() -> true);
                long during = frames.size();
                finish.set(true);
                trickle.join(5_000);
                await().atMost(Duration.ofSeconds(5)).until(() -> frames.size() > during + 10);
                long sent = patient.stop();
                await().atMost(Duration.ofSeconds(10)).until(() -> frames.size() >= sent);
                assertThat(patient.camera.disconnected()).isFalse();
                StreamingCamera.assertInOrder(frames, sent, 30_000);
            }
            await().atMost(Duration.ofSeconds(2)).until(() -> hogFrames.size() == 1);
            assertThat(hogFrames.get(0).getData()).isEqualTo(big);
            hog.goodbye();
        }
    }

    private double pausedReads() {
        return metrics.readsPaused();
    }
}
