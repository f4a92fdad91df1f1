package io.github.cctv.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.cctv.dashboard.domain.cameras.CameraDirectory;
import io.github.cctv.protocol.event.CameraEvent;
import io.github.cctv.protocol.event.CameraStatus;
import io.github.cctv.protocol.event.DisconnectReason;
import io.github.cctv.protocol.event.RecordingState;
import io.github.cctv.testing.NatsServerResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@QuarkusTest
@QuarkusTestResource(value = NatsServerResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = FakeRecorder.class, restrictToAnnotatedClass = false)
class StatusPushIT {

    private static final Duration WITHIN_A_SECOND = Duration.ofSeconds(1);

    @TestHTTPResource("/ws/live")
    URI live;

    @Inject
    CameraDirectory directory;

    @Test
    void sendsTheCameraListWithStatusOnConnect() throws Exception {
        NatsFixtures.putStatus(NatsFixtures.online("st-known", "Loading bay"));
        await().until(() -> directory.camera("st-known").isPresent());

        try (LiveClient client = LiveClient.open(live)) {
            await().until(() -> !client.textsOfType("cameras").isEmpty());
            JsonNode cameras = client.textsOfType("cameras").get(0).path("cameras");
            assertThat(cameras.findValuesAsText("cameraId")).contains("st-known");
            assertThat(client.textsOfType("hello").get(0).path("staleAfterMs").asLong()).isPositive();
        }
    }

    @Test
    void pushesRegistryChangesWithinASecond() throws Exception {
        try (LiveClient client = LiveClient.open(live)) {
            await().until(() -> !client.textsOfType("cameras").isEmpty());
            CameraStatus online = NatsFixtures.online("st-new", "Back door");
            NatsFixtures.putStatus(online);
            await().atMost(WITHIN_A_SECOND).until(() -> update(client, "st-new", true).isPresent());
            assertThat(update(client, "st-new", true).get().path("status").path("name").asText()).isEqualTo("Back door");

            NatsFixtures.putStatus(NatsFixtures.offline(online));
            await().atMost(WITHIN_A_SECOND).until(() -> update(client, "st-new", false).isPresent());
            JsonNode offline = update(client, "st-new", false).get().path("status");
            assertThat(offline.path("lastSeen").asText()).isNotEmpty();
            assertThat(offline.path("disconnectReason").asText()).isEqualTo("connection-lost");
        }
    }

    @Test
    void pushesDisconnectedEventWithinASecond() throws Exception {
        NatsFixtures.nats();
        try (LiveClient client = LiveClient.open(live)) {
            await().until(() -> !client.textsOfType("cameras").isEmpty());
            NatsFixtures.publishEvent(new CameraEvent.CameraDisconnected("st-gone", Instant.now(),
                    DisconnectReason.HEARTBEAT_TIMEOUT, "silent for 5 s", 1234));
            await().atMost(WITHIN_A_SECOND).until(() -> client.textsOfType("event").stream()
                    .anyMatch(e -> e.path("event").path("cameraId").asText().equals("st-gone")));
            JsonNode event = client.textsOfType("event").stream()
                    .filter(e -> e.path("event").path("cameraId").asText().equals("st-gone")).findFirst().get();
            assertThat(event.path("event").path("type").asText()).isEqualTo("disconnected");
            assertThat(event.path("event").path("reason").asText()).isEqualTo("heartbeat-timeout");
        }
    }

    @Test
    void pushesRecordingStateChanges() throws Exception {
        NatsFixtures.putStatus(NatsFixtures.online("st-rec", "Till"));
        try (LiveClient client = LiveClient.open(live)) {
            await().until(() -> !client.textsOfType("cameras").isEmpty());
            NatsFixtures.putRecording(new RecordingState("st-rec", true, Instant.parse("2026-01-01T10:00:00Z"), "test"));
            await().atMost(WITHIN_A_SECOND).until(() -> client.textsOfType("camera").stream()
                    .anyMatch(c -> c.path("camera").path("cameraId").asText().equals("st-rec")
                            && c.path("camera").path("recording").path("recording").asBoolean()));
        }
    }

    private static Optional<JsonNode> update(LiveClient client, String id, boolean online) {
        return client.textsOfType("camera").stream().map(m -> m.path("camera"))
                .filter(c -> c.path("cameraId").asText().equals(id) && c.path("status").path("online").asBoolean() == online)
                .findFirst();
    }
}
