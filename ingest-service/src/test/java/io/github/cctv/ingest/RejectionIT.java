package io.github.cctv.ingest;

import io.github.cctv.ingest.health.IngestMetrics;
import io.github.cctv.protocol.event.CameraEvent;
import io.github.cctv.protocol.event.DisconnectReason;
import io.github.cctv.protocol.wire.Message;
import io.github.cctv.protocol.wire.ReasonCode;
import io.github.cctv.protocol.wire.WireEncoder;
import io.github.cctv.testing.NatsServerResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@QuarkusTest
@QuarkusTestResource(value = NatsServerResource.class, restrictToAnnotatedClass = false)
class RejectionIT extends IngestTestSupport {

    @Inject
    IngestMetrics metrics;

    @Test
    void rejectsDuplicateBadTokenAndOversizedFrameWhileAnotherCameraStreams() throws Exception {
        String id = newId("steady");
        List<io.nats.client.Message> frames = probe.frames(id);
        try (StreamingCamera steady = StreamingCamera.start(port(), id)) {
            await().atMost(Duration.ofSeconds(5)).until(() -> frames.size() > 10);

            // the same id without its token: refused, the first connection keeps streaming
            double badBefore = metrics.rejects("BAD_TOKEN");
            for (String wrong : new String[]{"", TestCamera.token("another-camera"), SECRET}) {
                try (TestCamera impostor = TestCamera.connect(port(), id)) {
                    assertReject(impostor.handshake(wrong), ReasonCode.BAD_TOKEN, id);
                    await().atMost(Duration.ofSeconds(2)).until(impostor::disconnected);
                }
            }
            assertThat(metrics.rejects("BAD_TOKEN")).isEqualTo(badBefore + 3);

            // a camera with its own token presenting a wrong one
            try (TestCamera bad = TestCamera.connect(port(), "secure-cam")) {
                assertReject(bad.handshake("wrong"), ReasonCode.BAD_TOKEN, "secure-cam");
            }
            try (TestCamera good = TestCamera.connect(port(), "secure-cam")) {
                assertThat(good.handshake("s3cret")).isInstanceOf(Message.Accept.class);
                good.goodbye();
            }

            // a frame over the announced limit: refused before its bytes are read, session ends as protocol error
            String bigId = newId("big");
            List<CameraEvent> bigEvents = probe.events(bigId);
            try (TestCamera big = TestCamera.connect(port(), bigId)) {
                Message.Accept accept = (Message.Accept) big.handshake(TestCamera.token(bigId));
                int tooBig = accept.maxFrameBytes() + 1;
                big.send(WireEncoder.frameHeader(1, 1, true, tooBig));
                big.send(Arrays.copyOf(image(1, 1000), 1000));
                Message m = big.next(Duration.ofSeconds(3));
                assertThat(m).isInstanceOf(Message.Reject.class);
                assertThat(((Message.Reject) m).reason()).isEqualTo(ReasonCode.FRAME_TOO_LARGE);
                assertThat(((Message.Reject) m).message()).contains(String.valueOf(accept.maxFrameBytes()));
            }
            await().atMost(Duration.ofSeconds(2)).until(() -> NatsProbe.disconnects(bigEvents) == 1);
            assertThat(((CameraEvent.CameraDisconnected) bigEvents.get(1)).reason()).isEqualTo(DisconnectReason.PROTOCOL_ERROR);

            long sent = steady.stop();
            await().atMost(Duration.ofSeconds(5)).until(() -> frames.size() >= sent);
            assertThat(steady.camera.disconnected()).isFalse();
            StreamingCamera.assertInOrder(frames, sent);
        }
    }

    @Test
    void rejectsInvalidCameraIdWithItsReason() throws Exception {
        try (java.net.Socket s = new java.net.Socket("127.0.0.1", port())) {
            byte[] hello = WireEncoder.encode(TestCamera.hello("ok-id", ""));
            // same length, characters outside [A-Za-z0-9_-]: subject injection attempt
            byte[] evil = "a.b>c".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            System.arraycopy(evil, 0, hello, 5 + 4 + 1 + 1, evil.length);
            s.getOutputStream().write(hello);
            Message m = StreamingCamera.readOne(s);
            assertThat(m).isInstanceOf(Message.Reject.class);
            assertThat(((Message.Reject) m).reason()).isEqualTo(ReasonCode.INVALID_CAMERA_ID);
        }
    }

    private static void assertReject(Message m, ReasonCode reason, String mentions) {
        assertThat(m).isInstanceOf(Message.Reject.class);
        Message.Reject r = (Message.Reject) m;
        assertThat(r.reason()).isEqualTo(reason);
        assertThat(r.message()).contains(mentions);
    }
}
