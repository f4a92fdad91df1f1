package io.github.cctv.ingest;

import io.github.cctv.ingest.health.IngestMetrics;
import io.github.cctv.protocol.FrameHeaders;
import io.github.cctv.protocol.Subjects;
import io.github.cctv.protocol.event.CameraEvent;
import io.github.cctv.protocol.event.Events;
import io.github.cctv.testing.NatsServerResource;
import io.github.cctv.testing.NatsTestServer;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@QuarkusTest
@QuarkusTestResource(value = NatsServerResource.class, restrictToAnnotatedClass = false)
class NatsOutageIT extends IngestTestSupport {

    @Inject
    IngestMetrics metrics;

    @TestHTTPResource("/q/health/ready")
    URI ready;

    @Test
    void keepsCamerasThroughNatsRestartAndCatchesUpAfterwards() throws Exception {
        NatsTestServer nats = NatsServerResource.server();
        org.junit.jupiter.api.Assumptions.assumeTrue(nats.isProcess(), "stopping NATS needs process mode");
        String id = newId("survivor");
        List<io.nats.client.Message> frames = probe.frames(id);
        assertThat(readyStatus()).isEqualTo(200);
        try (StreamingCamera steady = StreamingCamera.start(port(), id)) {
            await().atMost(Duration.ofSeconds(5)).until(() -> frames.size() > 10);
            double droppedBefore = metrics.framesDropped("nats-down");

            nats.stop();
            await().atMost(Duration.ofSeconds(5)).until(() -> readyStatus() == 503);
            // a camera that comes and goes while NATS is away: its events must not be lost
            String brief = newId("brief");
            try (TestCamera cam = TestCamera.online(port(), brief)) {
                cam.goodbye();
            }
            // frames go to the client's reconnect buffer for the grace (5 s), then are dropped
            await().atMost(Duration.ofSeconds(15)).until(() -> metrics.framesDropped("nats-down") > droppedBefore);
            assertThat(steady.camera.disconnected()).as("camera stays connected while NATS is down").isFalse();

            nats.restart();
            await().atMost(Duration.ofSeconds(15)).until(() -> readyStatus() == 200);
            long sentAtRestart = steady.sent();
            await().atMost(Duration.ofSeconds(10)).until(() -> !frames.isEmpty()
                    && Long.parseLong(frames.get(frames.size() - 1).getHeaders().getFirst(FrameHeaders.SEQ)) > sentAtRestart);
            assertThat(steady.camera.disconnected()).isFalse();

            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                assertThat(probe.status(brief).online()).isFalse();
                CameraEvent last = Events.eventFromJson(probe.connection.jetStreamManagement()
                        .getLastMessage(Subjects.EVENTS_STREAM, Subjects.event(brief, CameraEvent.DISCONNECTED)).getData());
                assertThat(last).isInstanceOf(CameraEvent.CameraDisconnected.class);
                assertThat(probe.connection.jetStreamManagement()
                        .getLastMessage(Subjects.EVENTS_STREAM, Subjects.event(brief, CameraEvent.CONNECTED))).isNotNull();
            });
        }
    }

    private int readyStatus() throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(ready).timeout(Duration.ofSeconds(2)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
