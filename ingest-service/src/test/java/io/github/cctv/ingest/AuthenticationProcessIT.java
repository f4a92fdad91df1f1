package io.github.cctv.ingest;

import io.github.cctv.protocol.wire.Message;
import io.github.cctv.protocol.wire.ReasonCode;
import io.github.cctv.testing.NatsTestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.OptionalInt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** How the packaged service lets cameras in with each way of configuring it, and that it never starts open by accident. */
class AuthenticationProcessIT {

    static NatsTestServer nats;

    @BeforeAll
    static void start() {
        nats = NatsTestServer.start();
    }

    @AfterAll
    static void stop() {
        nats.close();
    }

    @Test
    void refusesToStartWithoutAnyCameraAuthenticationAndSaysWhatToSet() throws Exception {
        try (IngestProcess ingest = IngestProcess.start("ingest-no-auth", nats, "256m", Map.of())) {
            OptionalInt exit = ingest.process.awaitExit(Duration.ofSeconds(60));
            assertThat(exit).as("ingest exits").isPresent();
            assertThat(exit.getAsInt()).isNotZero();
            assertThat(String.join("\n", ingest.logLines())).contains("no camera authentication is configured",
                    "cctv.ingest.camera-secret-file", "cctv.ingest.allow-unauthenticated=true");
        }
    }

    @Test
    void withOnlyListedCameraTokensAnUnlistedCameraIsRefused() throws Exception {
        try (IngestProcess ingest = IngestProcess.start("ingest-listed", nats, "256m",
                Map.of("CCTV_INGEST_CAMERA_TOKENS", "door:door-token-123")).awaitReady()) {
            try (TestCamera door = TestCamera.connect(ingest.cameraPort, "door")) {
                assertThat(door.handshake("door-token-123")).isInstanceOf(Message.Accept.class);
                door.goodbye();
            }
            for (String token : new String[]{"", "door-token-123", TestCamera.token("yard")}) {
                try (TestCamera yard = TestCamera.connect(ingest.cameraPort, "yard")) {
                    Message m = yard.handshake(token);
                    assertThat(m).isInstanceOf(Message.Reject.class);
                    assertThat(((Message.Reject) m).reason()).isEqualTo(ReasonCode.BAD_TOKEN);
                }
            }
            assertThat(ingest.logLines()).anyMatch(l -> l.contains("camera authentication: 1 listed camera token(s); other cameras are refused"));
        }
    }

    @Test
    void runningOpenIsAnExplicitChoiceWarnedAtStartAndTheFirstSessionKeepsItsId() throws Exception {
        try (IngestProcess ingest = IngestProcess.start("ingest-open", nats, "256m",
                Map.of("CCTV_INGEST_ALLOW_UNAUTHENTICATED", "true")).awaitReady()) {
            assertThat(ingest.logLines()).anyMatch(l -> l.contains("WARN") && l.contains("allow-unauthenticated=true"));
            try (StreamingCamera first = StreamingCamera.start(ingest.cameraPort, "lobby")) {
                try (TestCamera second = TestCamera.connect(ingest.cameraPort, "lobby")) {
                    Message m = second.handshake("");
                    assertThat(m).isInstanceOf(Message.Reject.class);
                    assertThat(((Message.Reject) m).reason()).isEqualTo(ReasonCode.ALREADY_ONLINE);
                }
                await().atMost(Duration.ofSeconds(2)).until(() -> first.sent() > 20);
                first.stop();
                assertThat(first.camera.disconnected()).isFalse();
            }
        }
    }
}
