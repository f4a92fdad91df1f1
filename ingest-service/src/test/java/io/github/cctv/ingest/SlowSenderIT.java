package io.github.cctv.ingest;

import io.github.cctv.protocol.event.CameraEvent;
import io.github.cctv.protocol.event.DisconnectReason;
import io.github.cctv.protocol.wire.Message;
import io.github.cctv.protocol.wire.ReasonCode;
import io.github.cctv.protocol.wire.WireEncoder;
import io.github.cctv.testing.NatsServerResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A camera that sends a frame byte by byte never holds its session (the test profile's message timeout is 2 s). */
@QuarkusTest
@QuarkusTestResource(value = NatsServerResource.class, restrictToAnnotatedClass = false)
class SlowSenderIT extends IngestTestSupport {

    @Test
    void closesACameraThatTricklesAFrameOnceTheMessageTimeoutHasPassed() throws Exception {
        String id = newId("trickle");
        List<CameraEvent> events = probe.events(id);
        try (TestCamera cam = TestCamera.online(port(), id)) {
            cam.send(WireEncoder.frameHeader(1, System.currentTimeMillis() * 1000, true, 4 * 1024 * 1024));
            Thread trickle = new Thread(() -> {
                try {
                    while (!cam.disconnected()) {
                        cam.send(new byte[]{(byte) 0xFF});
                        Thread.sleep(400); // pacing the attack: a byte well within every session timeout
                    }
                } catch (Exception e) {
                    // closed by the server
                }
            });
            trickle.setDaemon(true);
            trickle.start();
            Message m = cam.next(Duration.ofSeconds(6));
            assertThat(m).isInstanceOf(Message.Reject.class);
            assertThat(((Message.Reject) m).reason()).isEqualTo(ReasonCode.HEARTBEAT_TIMEOUT);
            assertThat(((Message.Reject) m).message()).contains("frame incomplete after");
            await().atMost(Duration.ofSeconds(2)).until(cam::disconnected);
        }
        await().atMost(Duration.ofSeconds(2)).until(() -> NatsProbe.disconnects(events) == 1);
        CameraEvent.CameraDisconnected d = (CameraEvent.CameraDisconnected) events.get(1);
        assertThat(d.reason()).isEqualTo(DisconnectReason.HEARTBEAT_TIMEOUT);
        assertThat(d.detail()).contains("frame incomplete");
    }

    @Test
    void ignoresWhatACameraSendsAfterItsGoodbye() throws Exception {
        String id = newId("bye-junk");
        List<CameraEvent> events = probe.events(id);
        try (TestCamera cam = TestCamera.online(port(), id)) {
            cam.frame(1, System.currentTimeMillis() * 1000, image(1, 500));
            byte[] bye = WireEncoder.encode(new Message.Goodbye());
            byte[] after = "GET / HTTP/1.1\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            byte[] both = new byte[bye.length + after.length];
            System.arraycopy(bye, 0, both, 0, bye.length);
            System.arraycopy(after, 0, both, bye.length, after.length);
            cam.send(both);
            assertThat(cam.next(Duration.ofSeconds(2))).as("no reject after a goodbye").isNull();
        }
        await().atMost(Duration.ofSeconds(2)).until(() -> NatsProbe.disconnects(events) == 1);
        assertThat(((CameraEvent.CameraDisconnected) events.get(1)).reason()).isEqualTo(DisconnectReason.GOODBYE);
    }
}
