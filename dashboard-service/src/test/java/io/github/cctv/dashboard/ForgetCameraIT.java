package io.github.cctv.dashboard;

import io.github.cctv.dashboard.domain.cameras.CameraDirectory;
import io.github.cctv.protocol.Subjects;
import io.github.cctv.protocol.event.CameraCommand;
import io.github.cctv.protocol.event.CameraStatus;
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

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** {@code DELETE /api/cameras/{id}} and the registry's deletes and purges as the live page sees them, on a real NATS. */
@QuarkusTest
@QuarkusTestResource(value = NatsServerResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = FakeRecorder.class, restrictToAnnotatedClass = false)
class ForgetCameraIT {

    @TestHTTPResource("/ws/live")
    URI live;

    @TestHTTPResource("/api/cameras")
    URI cameras;

    @Inject
    CameraDirectory directory;

    @Test
    void forgettingAnOfflineCameraAnswers204AndEveryViewerSeesItGo() throws Exception {
        CameraStatus was = NatsFixtures.online("fg-old", "Old gate");
        NatsFixtures.putStatus(NatsFixtures.offline(was));
        NatsFixtures.putRecording(new RecordingState("fg-old", false, null, "test"));
        await().until(() -> directory.camera("fg-old").isPresent());
        try (IngestReplies ingest = new IngestReplies("fg-old"); LiveClient page = LiveClient.open(live)) {
            await().until(() -> !page.textsOfType("cameras").isEmpty());

            var response = Http.delete(URI.create(cameras + "/fg-old"));

            assertThat(response.statusCode()).isEqualTo(204);
            assertThat(ingest.received).extracting(CameraCommand::action).containsExactly("forget");
            await().atMost(Duration.ofSeconds(2)).until(() -> page.textsOfType("camera-removed").stream()
                    .anyMatch(m -> m.path("cameraId").asText().equals("fg-old")));
            assertThat(Http.get(URI.create(cameras + "/fg-old")).statusCode()).isEqualTo(404);
            assertThat(Http.json(Http.get(cameras)).findValuesAsText("cameraId")).doesNotContain("fg-old");
            // the registry's own delete marker arrives too and is not told twice
            await().pollDelay(Duration.ofMillis(300)).until(() -> true);
            assertThat(page.textsOfType("camera-removed").stream()
                    .filter(m -> m.path("cameraId").asText().equals("fg-old"))).hasSize(1);
            // a new viewer's list is without it as well
            try (LiveClient later = LiveClient.open(live)) {
                await().until(() -> !later.textsOfType("cameras").isEmpty());
                assertThat(later.textsOfType("cameras").get(0).path("cameras").findValuesAsText("cameraId"))
                        .doesNotContain("fg-old");
            }
        }
    }

    @Test
    void anOnlineCameraIs409AndStays() throws Exception {
        NatsFixtures.putStatus(NatsFixtures.online("fg-live", "Till"));
        await().until(() -> directory.camera("fg-live").isPresent());
        try (IngestReplies ingest = new IngestReplies("fg-live")) {
            var response = Http.delete(URI.create(cameras + "/fg-live"));
            assertThat(response.statusCode()).isEqualTo(409);
            assertThat(Http.json(response).path("message").asText()).contains("online");
        }
        assertThat(Http.get(URI.create(cameras + "/fg-live")).statusCode()).isEqualTo(200);
    }

    @Test
    void anUnknownCameraIs404AnInvalidId400AndNoIngest503() throws Exception {
        try (IngestReplies ingest = new IngestReplies("fg-never")) {
            var unknown = Http.delete(URI.create(cameras + "/fg-never"));
            assertThat(unknown.statusCode()).isEqualTo(404);
            assertThat(Http.json(unknown).path("message").asText()).contains("fg-never");
        }
        assertThat(Http.delete(URI.create(cameras + "/bad%2Eid")).statusCode()).isEqualTo(400);
        var nobody = Http.delete(URI.create(cameras + "/fg-nobody"));
        assertThat(nobody.statusCode()).isEqualTo(503);
        assertThat(Http.json(nobody).path("message").asText()).contains("no ingest answered");
    }

    @Test
    void aDeletedOrPurgedRegistryEntryRemovesTheCameraFromTheLivePage() throws Exception {
        NatsFixtures.putStatus(NatsFixtures.offline(NatsFixtures.online("fg-del", "Yard")));
        NatsFixtures.putStatus(NatsFixtures.offline(NatsFixtures.online("fg-purge", "Loft")));
        NatsFixtures.putRecording(new RecordingState("fg-purge", true, Instant.now(), "test"));
        await().until(() -> directory.camera("fg-del").isPresent() && directory.camera("fg-purge").isPresent());
        try (LiveClient page = LiveClient.open(live)) {
            await().until(() -> !page.textsOfType("cameras").isEmpty());
            var kv = NatsFixtures.nats().keyValue(Subjects.CAMERAS_BUCKET);
            kv.delete("fg-del");   // what ingest's expiry of offline cameras writes
            kv.purge("fg-purge");  // what `nats kv purge` writes
            await().atMost(Duration.ofSeconds(2)).until(() -> page.textsOfType("camera-removed").stream()
                    .map(m -> m.path("cameraId").asText()).toList().containsAll(java.util.List.of("fg-del", "fg-purge")));
            assertThat(directory.camera("fg-del")).isEmpty();
            assertThat(directory.camera("fg-purge")).isEmpty();
        }
    }
}
