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

/** A camera that reconnects with its own token gets its id back from whatever session holds it. */
@QuarkusTest
@QuarkusTestResource(value = NatsServerResource.class, restrictToAnnotatedClass = false)
class CameraTakeoverIT extends IngestTestSupport {

    @Test
    void aReconnectingCameraWithItsTokenReplacesTheStaleSessionWhichEndsOnceAsReplaced() throws Exception {
        String id = newId("back");
        List<CameraEvent> events = probe.events(id);
        List<io.nats.client.Message> frames = probe.frames(id);
        // the stale session: its connection is half-open, the camera behind it has rebooted
        TestCamera stale = TestCamera.online(port(), id);
        stale.startHeartbeats(Duration.ofMillis(200));
        try (TestCamera back = TestCamera.connect(port(), id)) {
            assertThat(back.handshake(TestCamera.token(id))).isInstanceOf(Message.Accept.class);
            Message toStale = stale.next(Duration.ofSeconds(2));
            assertThat(toStale).isInstanceOf(Message.Reject.class);
            assertThat(((Message.Reject) toStale).reason()).isEqualTo(ReasonCode.ALREADY_ONLINE);
            assertThat(((Message.Reject) toStale).message()).contains("connected again");
            await().atMost(Duration.ofSeconds(2)).until(stale::disconnected);

            back.frame(7, System.currentTimeMillis() * 1000, image(7, 800));
            await().atMost(Duration.ofSeconds(2)).until(() -> frames.size() == 1);
            await().atMost(Duration.ofSeconds(2)).until(() -> events.size() >= 3);
            assertThat(events.get(0)).isInstanceOf(CameraEvent.CameraConnected.class);
            assertThat(events.get(1)).isInstanceOfSatisfying(CameraEvent.CameraDisconnected.class, d -> {
                assertThat(d.reason()).isEqualTo(DisconnectReason.REPLACED);
                assertThat(d.detail()).contains("replaced by a new session from");
            });
            assertThat(events.get(2)).isInstanceOf(CameraEvent.CameraConnected.class);
            // the old connection closing adds no second disconnected
            await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(1)).until(() -> events.size() == 3);
            assertThat(probe.status(id).online()).isTrue();
            back.goodbye();
        } finally {
            stale.close();
        }
        await().atMost(Duration.ofSeconds(2)).until(() -> NatsProbe.disconnects(events) == 2);
    }

    @Test
    void anImpostorWithoutTheTokenCannotTakeTheIdAndTheCameraStreamsOn() throws Exception {
        String id = newId("owned");
        List<io.nats.client.Message> frames = probe.frames(id);
        List<CameraEvent> events = probe.events(id);
        try (StreamingCamera real = StreamingCamera.start(port(), id)) {
            await().atMost(Duration.ofSeconds(5)).until(() -> frames.size() > 5);
            for (String token : new String[]{"", "guess", TestCamera.token(id + "x")}) {
                try (TestCamera impostor = TestCamera.connect(port(), id)) {
                    Message m = impostor.handshake(token);
                    assertThat(m).isInstanceOf(Message.Reject.class);
                    assertThat(((Message.Reject) m).reason()).isEqualTo(ReasonCode.BAD_TOKEN);
                }
            }
            long sent = real.stop();
            await().atMost(Duration.ofSeconds(5)).until(() -> frames.size() >= sent);
            assertThat(real.camera.disconnected()).isFalse();
            StreamingCamera.assertInOrder(frames, sent);
        }
        assertThat(events).filteredOn(e -> e instanceof CameraEvent.CameraConnected).hasSize(1);
    }
}
