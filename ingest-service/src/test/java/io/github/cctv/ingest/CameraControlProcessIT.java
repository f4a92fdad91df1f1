package io.github.cctv.ingest;

import io.github.cctv.nats.FrameMessages;
import io.github.cctv.protocol.FrameMetadata;
import io.github.cctv.protocol.Subjects;
import io.github.cctv.protocol.event.CameraStatus;
import io.github.cctv.protocol.event.Events;
import io.github.cctv.protocol.wire.Codec;
import io.github.cctv.protocol.wire.Message;
import io.github.cctv.protocol.wire.Wire;
import io.github.cctv.protocol.wire.WireEncoder;
import io.github.cctv.testing.NatsTestServer;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Nats;
import io.nats.client.api.KeyValueEntry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The packaged service as it runs in production, signed in to NATS as its own user {@code ingest} and read by a
 * probe signed in as the dashboard: forgetting a camera a previous run left in the registry, a camera with a
 * substream, all with nothing the server refuses; and its HTTP behind the service token.
 */
class CameraControlProcessIT {

    static NatsTestServer nats;
    static Connection probe;

    @BeforeAll
    static void start() throws Exception {
        nats = NatsTestServer.startWithUsers();
        probe = Nats.connect(nats.optionsAs("dashboard").build());
    }

    @AfterAll
    static void stop() throws Exception {
        if (probe != null) {
            probe.close();
        }
        nats.close();
    }

    /** The camera secret, ingest's NATS user and the service token. */
    private static Map<String, String> ingestEnvironment() throws java.io.IOException {
        Map<String, String> env = new java.util.LinkedHashMap<>(nats.serviceEnvironment("ingest"));
        env.put("CCTV_INGEST_CAMERA_SECRET_FILE", IngestProcess.secretFile().toString());
        env.put("CCTV_HTTP_SERVICE_TOKEN", TOKEN);
        return env;
    }

    private static final String TOKEN = "ingest-process-it-token-0123456789";

    private static java.net.http.HttpResponse<String> http(IngestProcess ingest, String path, String authorization)
            throws Exception {
        var b = java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + ingest.httpPort + path));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return java.net.http.HttpClient.newHttpClient().send(b.build(), java.net.http.HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void itsHttpAnswersOnlyTheServiceTokenAndHealthItsBareStatusToAnyone() throws Exception {
        try (IngestProcess ingest = IngestProcess.start("ingest-token", nats, "256m", ingestEnvironment()).awaitReady()) {
            assertThat(http(ingest, "/q/metrics", null).statusCode()).isEqualTo(401);
            assertThat(http(ingest, "/q/metrics", "Bearer not-" + TOKEN).statusCode()).isEqualTo(401);
            var metrics = http(ingest, "/q/metrics", "Bearer " + TOKEN);
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.body()).contains("cctv_ingest_");
            var bare = http(ingest, "/q/health/ready", null);
            assertThat(bare.statusCode()).isEqualTo(200);
            assertThat(bare.body()).isEqualTo("{\"status\":\"UP\"}");
            assertThat(http(ingest, "/q/health/ready", "Bearer " + TOKEN).body()).contains("\"checks\"");
        }
    }

    private static CameraStatus status(String id) throws Exception {
        KeyValueEntry e = probe.keyValue(Subjects.CAMERAS_BUCKET).get(id);
        return e == null || e.getValue() == null ? null : Events.read(e.getValue(), CameraStatus.class);
    }

    private static String forget(String id) throws Exception {
        io.nats.client.Message m = probe.request(Subjects.cameraControl(id),
                "{\"action\":\"forget\"}".getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(5));
        assertThat(m).as("ingest answers").isNotNull();
        return new String(m.getData(), StandardCharsets.UTF_8);
    }

    @Test
    void forgetsACameraThatAnEarlierRunLeftAndNotOneOnline() throws Exception {
        Map<String, String> env = ingestEnvironment();
        try (IngestProcess first = IngestProcess.start("ingest-forget-1", nats, "256m", env).awaitReady()) {
            try (TestCamera cam = TestCamera.online(first.cameraPort, "old-gate")) {
                cam.frame(1, System.currentTimeMillis() * 1000, IngestTestSupport.image(1, 300));
                cam.goodbye();
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> status("old-gate") != null && !status("old-gate").online());
        }
        try (IngestProcess second = IngestProcess.start("ingest-forget-2", nats, "256m", env).awaitReady();
             StreamingCamera live = StreamingCamera.start(second.cameraPort, "live-till")) {
            await().atMost(Duration.ofSeconds(5)).until(() -> status("live-till") != null && status("live-till").online());
            assertThat(forget("live-till")).isEqualTo("{\"error\":\"online\"}");
            // known to this run only from the registry it found at start-up
            assertThat(forget("old-gate")).isEqualTo("{\"ok\":true}");
            await().atMost(Duration.ofSeconds(5)).until(() -> status("old-gate") == null);
            assertThat(forget("old-gate")).isEqualTo("{\"error\":\"unknown\"}");
            assertThat(status("live-till").online()).isTrue();
            live.stop();
        }
        assertThat(nats.log()).as("NATS server log").doesNotContain("Violation");
    }

    @Test
    void aCameraWithASubstreamReachesBothSubjects() throws Exception {
        Map<String, String> env = ingestEnvironment();
        List<H264Stream.AccessUnit> main = H264Stream.encode(10, 5, "320x240");
        List<H264Stream.AccessUnit> sub = H264Stream.encode(10, 5, "160x120");
        List<io.nats.client.Message> mainFrames = new CopyOnWriteArrayList<>();
        List<io.nats.client.Message> subFrames = new CopyOnWriteArrayList<>();
        Dispatcher d = probe.createDispatcher();
        d.subscribe(Subjects.frames("dual"), mainFrames::add);
        d.subscribe(Subjects.substreamFrames("dual"), subFrames::add);
        probe.flush(Duration.ofSeconds(2));
        List<CameraStatus> entries = new CopyOnWriteArrayList<>();
        try (IngestProcess ingest = IngestProcess.start("ingest-substream", nats, "256m", env).awaitReady();
             TestCamera cam = TestCamera.connect(ingest.cameraPort, "dual")) {
            probe.keyValue(Subjects.CAMERAS_BUCKET).watch("dual", new io.nats.client.api.KeyValueWatcher() {
                @Override
                public void watch(KeyValueEntry e) {
                    if (e.getValue() != null) {
                        entries.add(Events.read(e.getValue(), CameraStatus.class));
                    }
                }

                @Override
                public void endOfData() {
                }
            });
            cam.send(WireEncoder.encode(new Message.Hello(Wire.VERSION_SUBSTREAMS, "dual", "Dual", TestCamera.token("dual"),
                    Codec.H264, 320, 240, 10_000, new Message.Substream(Codec.H264, 160, 120, 10_000))));
            assertThat(cam.next(Duration.ofSeconds(5))).isInstanceOf(Message.Accept.class);
            long t = System.currentTimeMillis() * 1000;
            for (int i = 0; i < main.size(); i++) {
                cam.send(WireEncoder.encode(new Message.Frame(i + 1, t + i * 100_000L, main.get(i).key(), main.get(i).data())));
                cam.send(WireEncoder.encode(new Message.Frame(i + 1, t + i * 100_000L, sub.get(i).key(), sub.get(i).data(), true)));
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> mainFrames.size() == 10 && subFrames.size() == 10);
            cam.goodbye();
            for (int i = 0; i < 10; i++) {
                FrameMetadata m = FrameMessages.metadata(subFrames.get(i).getHeaders());
                assertThat(subFrames.get(i).getData()).isEqualTo(sub.get(i).data());
                assertThat(m.width()).isEqualTo(160);
                assertThat(m.keyFrame()).isEqualTo(sub.get(i).key());
                assertThat(FrameMessages.metadata(mainFrames.get(i).getHeaders()).width()).isEqualTo(320);
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> !entries.isEmpty());
            assertThat(entries.get(0).substream()).isEqualTo(new CameraStatus.Substream("h264", 160, 120, 10.0));
            assertThat(nats.log()).as("NATS server log").doesNotContain("Violation");
        } finally {
            probe.closeDispatcher(d);
        }
    }
}
