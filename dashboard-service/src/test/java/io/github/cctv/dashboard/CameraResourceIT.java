package io.github.cctv.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.cctv.protocol.event.CameraEvent;
import io.github.cctv.protocol.event.RecordingState;
import io.github.cctv.testing.NatsServerResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@QuarkusTest
@QuarkusTestResource(value = NatsServerResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = FakeRecorder.class, restrictToAnnotatedClass = false)
class CameraResourceIT {

    @TestHTTPResource("/")
    URI root;

    @Test
    void listsCamerasWithStatusAndRecordingState() throws Exception {
        NatsFixtures.putStatus(NatsFixtures.online("api-cam", "Entrance"));
        NatsFixtures.putRecording(new RecordingState("api-cam", true, Instant.now(), "test"));

        await().untilAsserted(() -> {
            JsonNode cameras = Http.json(Http.get(root.resolve("/api/cameras")));
            JsonNode cam = null;
            for (JsonNode c : cameras) {
                if (c.path("cameraId").asText().equals("api-cam")) {
                    cam = c;
                }
            }
            assertThat(cam).isNotNull();
            assertThat(cam.path("status").path("name").asText()).isEqualTo("Entrance");
            assertThat(cam.path("status").path("online").asBoolean()).isTrue();
            assertThat(cam.path("recording").path("recording").asBoolean()).isTrue();
        });
        assertThat(Http.get(root.resolve("/api/cameras/nobody-here")).statusCode()).isEqualTo(404);
    }

    @Test
    void snapshotIsTheLatestFrameOr404() throws Exception {
        byte[] jpeg = NatsFixtures.bytes(5000, 77);
        NatsFixtures.publishFrame("api-snap", 1, 1, NatsFixtures.bytes(5000, 76));
        NatsFixtures.publishFrame("api-snap", 2, 2, jpeg);
        NatsFixtures.nats().flush(java.time.Duration.ofSeconds(1));

        var snap = Http.get(root.resolve("/api/cameras/api-snap/snapshot.jpg"));
        assertThat(snap.statusCode()).isEqualTo(200);
        assertThat(snap.headers().firstValue("Content-Type")).contains("image/jpeg");
        assertThat(snap.body()).isEqualTo(jpeg);

        var none = Http.get(root.resolve("/api/cameras/api-never/snapshot.jpg"));
        assertThat(none.statusCode()).isEqualTo(404);
        var invalid = Http.get(root.resolve("/api/cameras/a%20b/snapshot.jpg"));
        assertThat(invalid.statusCode()).isEqualTo(400);
    }

    @Test
    void eventHistoryIsNewestFirstAndFiltersByCamera() throws Exception {
        Instant t = Instant.parse("2026-02-01T08:00:00Z");
        NatsFixtures.publishEvent(new CameraEvent.RecordingStarted("hist-a", t, 5));
        NatsFixtures.publishEvent(new CameraEvent.RecordingStarted("hist-b", t.plusSeconds(1), 5));
        NatsFixtures.publishEvent(new CameraEvent.RecordingStopped("hist-a", t.plusSeconds(2), "operator"));

        var response = Http.get(root.resolve("/api/events?camera=hist-a&limit=10"));
        assertThat(response.statusCode()).as(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo(200);
        JsonNode events = Http.json(response);
        assertThat(events.isArray()).isTrue();
        assertThat(events).hasSize(2);
        assertThat(events.get(0).path("type").asText()).isEqualTo("recording-stopped");
        assertThat(events.get(1).path("type").asText()).isEqualTo("recording-started");

        JsonNode newest = Http.json(Http.get(root.resolve("/api/events?limit=1")));
        assertThat(newest.isArray()).isTrue();
        assertThat(newest).hasSize(1);
        assertThat(newest.get(0).path("cameraId").asText()).isEqualTo("hist-a");

        assertThat(Http.get(root.resolve("/api/events?camera=x.y")).statusCode()).isEqualTo(400);
        assertThat(Http.get(root.resolve("/api/events?limit=0")).statusCode()).isEqualTo(400);
    }

    @Test
    void exposesMetricsHealthAndOpenApi() throws Exception {
        String metrics = new String(Http.get(root.resolve("/q/metrics")).body(), StandardCharsets.UTF_8);
        assertThat(metrics).contains("cctv_dashboard_viewers", "cctv_dashboard_frames_sent_total",
                "cctv_dashboard_frames_dropped_total{reason=\"superseded\"", "cctv_dashboard_nats_subscriptions");

        var health = Http.get(root.resolve("/q/health/ready"));
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(Http.json(health).path("status").asText()).isEqualTo("UP");

        String openapi = new String(Http.get(root.resolve("/q/openapi")).body(), StandardCharsets.UTF_8);
        assertThat(openapi).contains("/api/cameras/{id}/recording", "/api/events");
    }
}
