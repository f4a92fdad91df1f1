package io.github.cctv.system;

import io.github.cctv.camera.CameraStreamer;
import io.github.cctv.camera.Outcome;
import io.github.cctv.camera.StreamListener;
import io.github.cctv.camera.TestPatternSource;
import io.github.cctv.protocol.CameraToken;
import io.github.cctv.protocol.FrameHeaders;
import io.github.cctv.protocol.Subjects;
import io.github.cctv.testing.NatsTestServer;
import io.github.cctv.testing.ServiceProcess;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Message;
import io.nats.client.Nats;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The real camera-client code streams a test pattern to the real ingest service (its packaged app, as a
 * separate process) and a NATS subscriber receives every frame, in order, byte for byte.
 */
class CameraClientToNatsIT {

    private static final String CAMERA_SECRET = "system-test-camera-secret";
    private static NatsTestServer nats;
    private static ServiceProcess ingest;
    private static int cameraPort;

    @BeforeAll
    static void startSystem() {
        nats = NatsTestServer.start();
        cameraPort = NatsTestServer.freePort();
        int http = NatsTestServer.freePort();
        ingest = ServiceProcess.startQuarkus(Repo.ROOT, "ingest-service", http,
                        Map.of("CCTV_NATS_URL", nats.url(), "CCTV_INGEST_PORT", String.valueOf(cameraPort),
                                "CCTV_INGEST_CAMERA_SECRET", CAMERA_SECRET), Repo.LOGS)
                .awaitHealthy("http://127.0.0.1:" + http + "/q/health/ready", Duration.ofSeconds(90));
    }

    @AfterAll
    static void stopSystem() {
        if (ingest != null) {
            ingest.stop();
        }
        if (nats != null) {
            nats.close();
        }
    }

    @Test
    void threeHundredTestPatternFramesReachNatsInOrderAndByteIdentical() throws Exception {
        Map<Long, byte[]> sent = new ConcurrentHashMap<>();
        List<Message> received = new CopyOnWriteArrayList<>();
        try (Connection nc = Nats.connect(nats.url())) {
            Dispatcher d = nc.createDispatcher(received::add);
            d.subscribe(Subjects.frames("pattern-cam"));
            nc.flush(Duration.ofSeconds(2));

            CameraStreamer camera = CameraStreamer.builder()
                    .server("127.0.0.1", cameraPort).id("pattern-cam").name("Pattern")
                    .token(CameraToken.derive(CAMERA_SECRET, "pattern-cam"))
                    .size(640, 360).fps(60).quality(0.8).frameLimit(300)
                    .listener(new StreamListener() {
                        @Override
                        public void onFrameSent(long seq, long captureMicros, byte[] jpeg) {
                            sent.put(seq, jpeg.clone());
                        }
                    })
                    .build().start();
            assertThat(camera.awaitDone(Duration.ofSeconds(60))).as("camera finished its 300 frames").isTrue();
            assertThat(camera.outcome()).isEqualTo(Outcome.COMPLETED);

            await().atMost(Duration.ofSeconds(10)).until(() -> received.size() >= 300);
            assertThat(received).hasSize(300);
            for (int i = 0; i < 300; i++) {
                Message m = received.get(i);
                long seq = Long.parseLong(m.getHeaders().getFirst(FrameHeaders.SEQ));
                assertThat(seq).as("frame %d in order", i).isEqualTo(i + 1);
                assertThat(m.getData()).as("frame %d byte-identical", seq).isEqualTo(sent.get(seq));
                assertThat(TestPatternSource.readCounter(m.getData())).as("burned-in counter of frame %d", seq).isPresent();
                assertThat(m.getHeaders().getFirst(FrameHeaders.WIDTH)).isEqualTo("640");
                assertThat(m.getHeaders().getFirst(FrameHeaders.CODEC)).isEqualTo("jpeg");
            }
            long first = TestPatternSource.readCounter(received.get(0).getData()).getAsLong();
            long last = TestPatternSource.readCounter(received.get(299).getData()).getAsLong();
            assertThat(last - first).as("burned-in counters are consecutive").isEqualTo(299);
        }
    }
}
