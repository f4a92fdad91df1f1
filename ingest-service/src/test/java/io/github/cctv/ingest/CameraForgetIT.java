package io.github.cctv.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.cctv.protocol.Subjects;
import io.github.cctv.protocol.event.CameraEvent;
import io.github.cctv.testing.NatsServerResource;
import io.nats.client.KeyValue;
import io.nats.client.Message;
import io.nats.client.api.KeyValueEntry;
import io.nats.client.api.KeyValueOperation;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** {@code cctv.control.<id>.camera} forget requests against the real service and NATS, as the dashboard sends them. */
@QuarkusTest
@QuarkusTestResource(value = NatsServerResource.class, restrictToAnnotatedClass = false)
class CameraForgetIT extends IngestTestSupport {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void refusesToForgetAnOnlineCameraAndRemovesItsEntryOnceOffline() throws Exception {
        String id = newId("forget");
        List<CameraEvent> events = probe.events(id);
        try (TestCamera cam = TestCamera.online(port(), id)) {
            cam.frame(1, 1, image(1, 500));
            await().until(() -> probe.status(id) != null && probe.status(id).online());

            assertThat(request(id, "{\"action\":\"forget\"}")).isEqualTo("{\"error\":\"online\"}");
            assertThat(probe.status(id)).isNotNull();
            cam.goodbye();
        }
        await().until(() -> NatsProbe.disconnects(events) == 1 && probe.status(id) != null && !probe.status(id).online());

        assertThat(request(id, "{\"action\":\"forget\"}")).isEqualTo("{\"ok\":true}");
        KeyValue kv = probe.connection.keyValue(Subjects.CAMERAS_BUCKET);
        // a delete marker, so that the dashboards watching the bucket see the camera go
        await().atMost(Duration.ofSeconds(5)).until(() -> {
            KeyValueEntry last = kv.history(id).get(kv.history(id).size() - 1);
            return last.getOperation() == KeyValueOperation.DELETE;
        });
        assertThat(probe.status(id)).isNull();
        assertThat(request(id, "{\"action\":\"forget\"}")).isEqualTo("{\"error\":\"unknown\"}");

        // it comes back as a new camera when it connects again
        try (TestCamera cam = TestCamera.online(port(), id)) {
            await().until(() -> probe.status(id) != null && probe.status(id).online());
            cam.goodbye();
        }
    }

    @Test
    void answersUnknownCamerasAndBadRequestsWithoutHarm() throws Exception {
        assertThat(request(newId("nobody"), "{\"action\":\"forget\"}")).isEqualTo("{\"error\":\"unknown\"}");
        JsonNode bad = JSON.readTree(request("cam-x", "{\"action\":\"format-disk\"}"));
        assertThat(bad.path("error").asText()).isEqualTo("invalid");
        assertThat(bad.path("message").asText()).contains("forget");
        assertThat(JSON.readTree(request("cam-x", "not json")).path("error").asText()).isEqualTo("invalid");
        // a subject whose id token is no camera id
        Message m = probe.connection.request("cctv.control.a%b.camera", "{\"action\":\"forget\"}".getBytes(StandardCharsets.UTF_8),
                Duration.ofSeconds(5));
        assertThat(JSON.readTree(m.getData()).path("error").asText()).isEqualTo("invalid");
    }

    private String request(String id, String body) throws Exception {
        Message m = probe.connection.request(Subjects.cameraControl(id), body.getBytes(StandardCharsets.UTF_8),
                Duration.ofSeconds(5));
        assertThat(m).as("ingest answers on " + Subjects.cameraControl(id)).isNotNull();
        return new String(m.getData(), StandardCharsets.UTF_8);
    }
}
