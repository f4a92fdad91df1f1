package io.github.cctv.recorder;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.cctv.protocol.event.Events;
import io.github.cctv.protocol.event.RecordingReply;
import io.github.cctv.testing.NatsTestServer;
import io.nats.client.Nats;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The packaged recorder as it runs in production: signed in to a NATS server with the system's users as its own user
 * {@code recorder}, and its HTTP API behind the service token. Without the token every API answers 401, with it 200;
 * health answers anyone, with the bare status only; and the recorder records a camera with nothing more than its own
 * NATS permissions (the server refuses it nothing). Runs after {@code package}.
 */
class RecorderServiceTokenProcessIT {

    private static final String CAM = "token-cam";
    private static final String TOKEN = "recorder-it-token-" + Long.toHexString(System.nanoTime());

    static final Path root = Path.of("target", "service-token-it-recordings").toAbsolutePath();
    static NatsTestServer nats;
    static NatsFixture fixture;
    static Process recorder;
    static int port;
    static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        if (Files.exists(root)) {
            try (var s = Files.walk(root)) {
                s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        Files.createDirectories(root);
        nats = NatsTestServer.startWithUsers();
        // ingest's part as the ingest user, the dashboard's (control, events) as the dashboard user
        fixture = new NatsFixture(Nats.connect(nats.optionsAs("ingest").build()),
                Nats.connect(nats.optionsAs("dashboard").build())).withFrameStream();
        fixture.register(CAM);
        Path tokenFile = Files.writeString(root.resolveSibling("service-token-it.token"), TOKEN + "\n");

        Path jar = Path.of("target", "quarkus-app", "quarkus-run.jar");
        assertThat(jar).as("run `package` first").exists();
        port = NatsTestServer.freePort();
        ProcessBuilder pb = new ProcessBuilder(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dcctv.recorder.root=" + root,
                "-Dquarkus.http.port=" + port,
                "-Dcctv.recorder.flush-interval=300ms",
                "-jar", jar.toString()))
                .redirectErrorStream(true)
                .redirectOutput(Path.of("target", "service-token-it.log").toFile());
        pb.environment().putAll(nats.serviceEnvironment("recorder"));
        pb.environment().put("CCTV_HTTP_SERVICE_TOKEN_FILE", tokenFile.toString());
        recorder = pb.start();
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250)).until(() -> {
            assertThat(recorder.isAlive()).as("recorder process alive, see target/service-token-it.log").isTrue();
            try {
                return get("/q/health/ready", null).statusCode() == 200;
            } catch (IOException e) {
                return false;
            }
        });
    }

    @AfterAll
    static void stop() throws Exception {
        if (recorder != null && recorder.isAlive()) {
            recorder.destroy();
            recorder.waitFor();
        }
        if (fixture != null) {
            fixture.close();
        }
        if (nats != null) {
            nats.close();
        }
    }

    private static HttpResponse<String> get(String path, String authorization) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theApiAnswersOnlyTheServiceToken() throws Exception {
        for (String path : List.of("/api/recordings", "/api/recording-state", "/api/storage", "/q/metrics",
                "/api/recordings/x/file")) {
            HttpResponse<String> none = get(path, null);
            assertThat(none.statusCode()).as("GET " + path + " without the token").isEqualTo(401);
            assertThat(none.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
            assertThat(get(path, "Bearer " + TOKEN + "x").statusCode()).as("GET " + path + " with a wrong token").isEqualTo(401);
            assertThat(get(path, "Basic " + TOKEN).statusCode()).as("GET " + path + " with the token as Basic").isEqualTo(401);
        }
        HttpResponse<String> list = get("/api/recordings", "Bearer " + TOKEN);
        assertThat(list.statusCode()).isEqualTo(200);
        assertThat(Events.mapper().readTree(list.body()).isArray()).isTrue();
        assertThat(get("/q/metrics", "Bearer " + TOKEN).body()).contains("cctv_recorder_");
    }

    @Test
    void healthAnswersAnyoneWithTheBareStatusAndTheTokenHolderWithItsChecks() throws Exception {
        HttpResponse<String> bare = get("/q/health/ready", null);
        assertThat(bare.statusCode()).isEqualTo(200);
        assertThat(bare.body()).isEqualTo("{\"status\":\"UP\"}");
        assertThat(get("/q/health", null).body()).isEqualTo("{\"status\":\"UP\"}");
        assertThat(get("/q/health/ready", "Bearer " + TOKEN).body()).contains("\"checks\"");
    }

    @Test
    void recordsACameraWithItsOwnNatsPermissionsOnly() throws Exception {
        assertThat(fixture.control(CAM, "start").result()).isEqualTo(RecordingReply.STARTED);
        long t0 = NatsFixture.nowUs();
        fixture.frames(CAM, 0, 30, t0, 40);
        await().atMost(Duration.ofSeconds(60)).until(() -> framesRecorded() == 30);
        assertThat(fixture.control(CAM, "stop").result()).isEqualTo(RecordingReply.STOPPED);
        await().atMost(Duration.ofSeconds(20)).until(() -> !fixture.events(CAM,
                io.github.cctv.protocol.event.CameraEvent.SegmentCompleted.class).isEmpty());
        assertThat(nats.log()).as("NATS server log").doesNotContain("Violation");
    }

    private static long framesRecorded() throws Exception {
        long sum = 0;
        for (JsonNode r : Events.mapper().readTree(get("/api/recordings?camera=" + CAM, "Bearer " + TOKEN).body())) {
            sum += r.get("frames").asLong();
        }
        return sum;
    }
}
