package io.github.cctv.system;

import io.github.cctv.camera.CameraStreamer;
import io.github.cctv.camera.TestPatternSource;
import io.github.cctv.protocol.CameraToken;
import io.github.cctv.protocol.FrameHeaders;
import io.github.cctv.testing.NatsTestServer;
import io.github.cctv.testing.ServiceProcess;
import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Nats;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.abort;

/**
 * The real camera-client code streams a test pattern to the real ingest service (its packaged app, as a
 * separate process) and a NATS subscriber receives every frame, in order, byte for byte; an MQTT client (Debian's
 * {@code mosquitto_sub}) on the NATS server's MQTT interface sees the camera connect and leave.
 */
class CameraClientToNatsIT {

    private static final String CAMERA_SECRET = "system-test-camera-secret";
    private static NatsTestServer nats;
    private static ServiceProcess ingest;
    private static int cameraPort;

    @BeforeAll
    static void startSystem() {
        // NATS with the system's users: ingest signs in as its own, the frames are read as the dashboard, MQTT as no one
        nats = NatsTestServer.startWithUsers();
        cameraPort = NatsTestServer.freePort();
        int http = NatsTestServer.freePort();
        ingest = ServiceProcess.startQuarkus(Repo.ROOT, "ingest-service", http,
                        ingestEnvironment(), Repo.LOGS) // plain TCP here; TLS: CameraClientTlsIT
                .awaitHealthy("http://127.0.0.1:" + http + "/q/health/ready", Duration.ofSeconds(90));
    }

    private static Map<String, String> ingestEnvironment() {
        Map<String, String> env = new java.util.LinkedHashMap<>(nats.serviceEnvironment("ingest"));
        env.put("CCTV_INGEST_PORT", String.valueOf(cameraPort));
        env.put("CCTV_INGEST_CAMERA_SECRET", CAMERA_SECRET);
        env.put("CCTV_INGEST_TLS_ENABLED", "false");
        return env;
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
        try (Connection nc = Nats.connect(nats.optionsAs("dashboard").build())) {
            List<Message> received = FramesOnNats.streamAndCheck(nc, "pattern-cam", CameraStreamer.builder()
                    .server("127.0.0.1", cameraPort).id("pattern-cam").name("Pattern")
                    .token(CameraToken.derive(CAMERA_SECRET, "pattern-cam"))
                    .size(640, 360).fps(60).quality(0.8), 300, Duration.ofSeconds(60));
            for (Message m : received) {
                String seq = m.getHeaders().getFirst(FrameHeaders.SEQ);
                assertThat(TestPatternSource.readCounter(m.getData())).as("burned-in counter of frame %s", seq).isPresent();
                assertThat(m.getHeaders().getFirst(FrameHeaders.WIDTH)).isEqualTo("640");
                assertThat(m.getHeaders().getFirst(FrameHeaders.CODEC)).isEqualTo("jpeg");
            }
            long first = TestPatternSource.readCounter(received.get(0).getData()).getAsLong();
            long last = TestPatternSource.readCounter(received.get(299).getData()).getAsLong();
            assertThat(last - first).as("burned-in counters are consecutive").isEqualTo(299);
        }
    }

    @Test
    void anMqttClientSeesTheCameraConnectAndLeave() throws Exception {
        String mosquittoSub = requireMosquittoSub();
        List<String> lines = new CopyOnWriteArrayList<>();
        // as home automation subscribes, without credentials (the read-only events-reader) and to every camera's events;
        // -d prints the SUBACK, so the camera starts only once the subscription is in place; stdbuf (coreutils) makes
        // mosquitto_sub write each line at once into the pipe instead of at exit
        Process sub = new ProcessBuilder("stdbuf", "-oL", mosquittoSub, "-h", nats.mqttHost(), "-p", String.valueOf(nats.mqttPort()),
                "-i", "cctv-system-test", "-t", "cctv/events/#", "-v", "-d", "-W", "120")
                .redirectErrorStream(true).start();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(sub.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    lines.add(line);
                }
            } catch (java.io.IOException ignored) {
                // the process was stopped
            }
        }, "mosquitto-sub-reader");
        reader.setDaemon(true);
        reader.start();
        try {
            await().atMost(Duration.ofSeconds(20)).until(() -> lines.stream().anyMatch(l -> l.contains("SUBACK")));
            CameraStreamer camera = CameraStreamer.builder()
                    .server("127.0.0.1", cameraPort).id("mqtt-cam").name("MQTT")
                    .token(CameraToken.derive(CAMERA_SECRET, "mqtt-cam"))
                    .size(320, 180).fps(30).quality(0.8).frameLimit(30)
                    .build().start();
            assertThat(camera.awaitDone(Duration.ofSeconds(60))).as("camera finished its frames").isTrue();

            await().atMost(Duration.ofSeconds(20)).until(() -> topics(lines).contains("cctv/events/mqtt-cam/disconnected"));
            assertThat(topics(lines)).containsSubsequence("cctv/events/mqtt-cam/connected", "cctv/events/mqtt-cam/disconnected");
            String connected = lines.stream().filter(l -> l.startsWith("cctv/events/mqtt-cam/connected ")).findFirst().orElseThrow();
            com.fasterxml.jackson.databind.JsonNode event = io.github.cctv.protocol.event.Events.mapper()
                    .readTree(connected.substring(connected.indexOf(' ') + 1));
            assertThat(event.path("cameraId").asText()).isEqualTo("mqtt-cam");
            assertThat(event.path("type").asText()).isEqualTo("connected");
            assertThat(event.path("name").asText()).isEqualTo("MQTT");
        } finally {
            sub.destroy();
            sub.waitFor();
        }
    }

    private static List<String> topics(List<String> lines) {
        List<String> topics = new ArrayList<>();
        for (String l : lines) {
            if (l.startsWith("cctv/events/")) {
                topics.add(l.substring(0, l.indexOf(' ') < 0 ? l.length() : l.indexOf(' ')));
            }
        }
        return topics;
    }

    /** Debian's mosquitto_sub (package mosquitto-clients): skipped loudly without it, a failure with CCTV_REQUIRE_TOOLS=1. */
    private static String requireMosquittoSub() {
        for (String dir : (System.getenv().getOrDefault("PATH", "") + File.pathSeparator + "/usr/bin").split(File.pathSeparator)) {
            File f = new File(dir, "mosquitto_sub");
            if (f.canExecute()) {
                return f.getPath();
            }
        }
        String why = "mosquitto_sub is missing (apt-get install mosquitto-clients)";
        if ("1".equals(System.getenv("CCTV_REQUIRE_TOOLS"))) {
            fail(why + " and CCTV_REQUIRE_TOOLS=1");
        }
        System.err.println("\n*** " + why + ": SKIPPING the MQTT test (set CCTV_REQUIRE_TOOLS=1 to make this a failure) ***\n");
        abort(why);
        return null;
    }
}
