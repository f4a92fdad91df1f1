package io.github.cctv.ingest;

import io.github.cctv.protocol.event.CameraEvent;
import io.github.cctv.protocol.event.DisconnectReason;
import io.github.cctv.protocol.wire.Message;
import io.github.cctv.protocol.wire.ReasonCode;
import io.github.cctv.testing.NatsServerResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@QuarkusTest
@QuarkusTestResource(value = NatsServerResource.class, restrictToAnnotatedClass = false)
class SessionLifecycleIT extends IngestTestSupport {

    @Test
    void publishesOneGoodbyeDisconnectWhenCameraSaysGoodbye() throws Exception {
        String id = newId("bye");
        List<CameraEvent> events = probe.events(id);
        try (TestCamera cam = TestCamera.online(port(), id)) {
            cam.frame(1, 1, image(1, 500));
            cam.goodbye();
        }
        assertSingleDisconnect(id, events, DisconnectReason.GOODBYE);
    }

    @Test
    void publishesOneConnectionLostDisconnectWhenSocketIsKilled() throws Exception {
        String id = newId("killed");
        List<CameraEvent> events = probe.events(id);
        TestCamera cam = TestCamera.online(port(), id);
        cam.frame(1, 1, image(1, 500));
        cam.kill();
        assertSingleDisconnect(id, events, DisconnectReason.CONNECTION_LOST);
    }

    @Test
    void declaresSilentCameraLostAfterSessionTimeout() throws Exception {
        String id = newId("silent");
        List<CameraEvent> events = probe.events(id);
        try (TestCamera cam = TestCamera.online(port(), id)) {
            long start = System.nanoTime();
            // the camera keeps its socket open and sends nothing; session timeout is 1 s in the test profile
            Message m = cam.next(Duration.ofSeconds(3));
            long waitedMs = (System.nanoTime() - start) / 1_000_000;
            assertThat(m).isInstanceOf(Message.Reject.class);
            assertThat(((Message.Reject) m).reason()).isEqualTo(ReasonCode.HEARTBEAT_TIMEOUT);
            assertThat(waitedMs).isBetween(900L, 2_000L);
            await().atMost(Duration.ofSeconds(2)).until(cam::disconnected);
        }
        assertSingleDisconnect(id, events, DisconnectReason.HEARTBEAT_TIMEOUT);
    }

    @Test
    void keepsCameraThatOnlySendsHeartbeats() throws Exception {
        String id = newId("idle");
        try (TestCamera cam = TestCamera.online(port(), id)) {
            cam.startHeartbeats(Duration.ofMillis(200));
            // three session timeouts of heartbeats only: still online
            assertThat(cam.next(Duration.ofSeconds(3))).isNull();
            assertThat(cam.disconnected()).isFalse();
            assertThat(probe.status(id).online()).isTrue();
            cam.stopHeartbeats();
            cam.goodbye();
        }
    }

    private void assertSingleDisconnect(String id, List<CameraEvent> events, DisconnectReason reason) throws Exception {
        await().atMost(Duration.ofSeconds(1)).until(() -> NatsProbe.disconnects(events) == 1);
        // nothing more may follow: exactly one per connect
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(1)).until(() -> NatsProbe.disconnects(events) == 1);
        assertThat(events).hasSize(2);
        assertThat(events.get(0)).isInstanceOf(CameraEvent.CameraConnected.class);
        CameraEvent.CameraDisconnected d = (CameraEvent.CameraDisconnected) events.get(1);
        assertThat(d.reason()).isEqualTo(reason);
        await().atMost(Duration.ofSeconds(2)).untilAsserted(() -> {
            assertThat(probe.status(id).online()).isFalse();
            assertThat(probe.status(id).disconnectReason()).isEqualTo(reason);
        });
    }
}
