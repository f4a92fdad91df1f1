package io.github.cctv.system;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.cctv.camera.TestPatternSource;
import io.github.cctv.nats.Topology;
import io.github.cctv.protocol.CameraToken;
import io.github.cctv.protocol.event.Events;
import io.github.cctv.testing.NatsTestServer;
import io.github.cctv.testing.ServiceProcess;
import io.nats.client.Connection;
import io.nats.client.KeyValue;
import io.nats.client.Nats;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.Java2DFrameConverter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One dashboard's review over two real recorders, each with its own disk and its own camera: with no recorder
 * announced in {@code cctv-recorders} but recorder A (which announces itself) the review is A's; once both are
 * announced (the test writes B's entry, as a recorder does), the listing is both recorders' recordings newest
 * first, the timeline has both cameras, a file of either is played from the recorder that has it (decoded to the
 * test pattern's frames), a keep goes to its recorder; a recorder that stops answering is left out of the listing and
 * named; a recorder whose entry is deleted is gone from the review.
 *
 * <p>Each recorder runs on its own NATS server with its own ingest and camera, so that the two never record the
 * same camera (recording ownership across recorders on one NATS is not this test's subject); the dashboard is on the
 * first NATS, where the entries are.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RecordersAcrossDashboardIT {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String SECRET = "recorders-secret-" + Long.toHexString(System.nanoTime());
    private static final String CAM_A = "ra-door";
    private static final String CAM_B = "rb-yard";
    private static final List<ServiceProcess> services = new ArrayList<>();
    private static final List<NatsTestServer> nats = new ArrayList<>();
    private static String recorderA;
    private static String recorderB;
    private static ServiceProcess recorderBProcess;
    private static String dashboard;
    /** A dashboard with sign-in, for a user limited to one camera. */
    private static String guarded;
    private static final String ADMIN_PASSWORD = "admin-" + Long.toHexString(System.nanoTime());
    private static Connection natsA;
    private static KeyValue members;

    /** The cameras, stopped once both recorders have recorded (and at the end, should the start-up fail midway). */
    private static final List<ServiceProcess> cameraProcesses = new ArrayList<>();

    /** Entries the test keeps alive in {@code cctv-recorders} (its max age is the recorders' lease). */
    private static final Map<String, String> announced = new java.util.concurrent.ConcurrentHashMap<>();
    private static final java.util.concurrent.ScheduledExecutorService renewer =
            java.util.concurrent.Executors.newSingleThreadScheduledExecutor();

    @BeforeAll
    static void twoRecordersRecordTheirCameras() throws Exception {
        String[] ids = {CAM_A, CAM_B};
        String[] recorders = new String[2];
        for (int i = 0; i < 2; i++) {
            NatsTestServer server = NatsTestServer.start();
            nats.add(server);
            int cameraPort = NatsTestServer.freePort();
            int ingestHttp = NatsTestServer.freePort();
            services.add(ServiceProcess.startQuarkus(Repo.ROOT, "ingest-service", "review-ingest-" + i, ingestHttp,
                            Map.of("CCTV_NATS_URL", server.url(), "CCTV_INGEST_PORT", String.valueOf(cameraPort),
                                    "CCTV_INGEST_CAMERA_SECRET", SECRET, "CCTV_INGEST_TLS_ENABLED", "false"), Repo.LOGS)
                    .awaitHealthy("http://127.0.0.1:" + ingestHttp + "/q/health/ready", Duration.ofSeconds(90)));
            Path root = Files.createTempDirectory("cctv-recorder-" + (char) ('a' + i) + "-");
            // a free port taken just before it is used: one found earlier may be some connection's by now
            int recorderPort = NatsTestServer.freePort();
            ServiceProcess recorder = ServiceProcess.startQuarkus(Repo.ROOT, "recorder-service", "review-recorder-" + i,
                            recorderPort,
                            Map.of("CCTV_NATS_URL", server.url(), "CCTV_RECORDER_ROOT", root.toString(),
                                    "CCTV_RECORDER_SEGMENT_LENGTH", "3s", "CCTV_RECORDER_ALWAYS_RECORD", ids[i],
                                    "CCTV_RECORDER_RETENTION_MIN_FREE_BYTES", "0",
                                    // each announces itself on its own NATS as what the test calls it
                                    "CCTV_RECORDER_INSTANCE_ID", "rec-" + (char) ('a' + i),
                                    "CCTV_RECORDER_ADVERTISED_URL", "http://127.0.0.1:" + recorderPort), Repo.LOGS)
                    .awaitHealthy("http://127.0.0.1:" + recorderPort + "/q/health/ready", Duration.ofSeconds(90));
            services.add(recorder);
            if (i == 1) {
                recorderBProcess = recorder;
            }
            recorders[i] = "http://127.0.0.1:" + recorderPort;
            cameraProcesses.add(camera(cameraPort, ids[i]));
        }
        recorderA = recorders[0];
        recorderB = recorders[1];
        int dashboardPort = NatsTestServer.freePort();
        services.add(ServiceProcess.startQuarkus(Repo.ROOT, "dashboard-service", "review-dashboard", dashboardPort,
                        Map.of("CCTV_NATS_URL", nats.get(0).url(), "CCTV_DASHBOARD_RECORDER_URL", recorderA,
                                "CCTV_DASHBOARD_AUTH_ENABLED", "false", "CCTV_DASHBOARD_WATCH_RETRY", "200ms"), Repo.LOGS)
                .awaitHealthy("http://127.0.0.1:" + dashboardPort + "/q/health/ready", Duration.ofSeconds(90)));
        dashboard = "http://127.0.0.1:" + dashboardPort;
        Path sessionSecret = Files.createTempFile("cctv-session-secret-", "");
        Files.writeString(sessionSecret, "session-secret-" + Long.toHexString(System.nanoTime()) + "-0123456789abcdef");
        int guardedPort = NatsTestServer.freePort();
        services.add(ServiceProcess.startQuarkus(Repo.ROOT, "dashboard-service", "review-dashboard-signed-in", guardedPort,
                        Map.of("CCTV_NATS_URL", nats.get(0).url(), "CCTV_DASHBOARD_RECORDER_URL", recorderA,
                                "CCTV_DASHBOARD_AUTH_PASSWORD", ADMIN_PASSWORD,
                                "CCTV_DASHBOARD_AUTH_SESSION_SECRET_FILE", sessionSecret.toString(),
                                "CCTV_DASHBOARD_WATCH_RETRY", "200ms"), Repo.LOGS)
                .awaitHealthy("http://127.0.0.1:" + guardedPort + "/q/health/ready", Duration.ofSeconds(90)));
        guarded = "http://127.0.0.1:" + guardedPort;
        try {
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1)).until(() ->
                    finished(recorderA, CAM_A) >= 2 && finished(recorderB, CAM_B) >= 2);
        } finally {
            cameraProcesses.forEach(ServiceProcess::stop);
        }
        // every segment closed once the cameras are gone
        await().atMost(Duration.ofSeconds(30)).until(() -> finished(recorderA, CAM_A) == json(recorderA + "/api/recordings").size()
                && finished(recorderB, CAM_B) == json(recorderB + "/api/recordings").size());
        natsA = Nats.connect(nats.get(0).url());
        // the bucket recorder A made and announces itself in; the test writes recorder B's entry there too (B is on
        // another NATS), renewed as a recorder renews its own
        members = natsA.keyValue(Topology.RECORDERS_BUCKET);
        renewer.scheduleAtFixedRate(() -> announced.forEach((id, url) -> {
            try {
                write(id, url);
            } catch (Exception e) {
                // the next round writes it again
            }
        }), 1, 1, java.util.concurrent.TimeUnit.SECONDS);
    }

    @AfterAll
    static void stopAll() throws Exception {
        renewer.shutdownNow();
        cameraProcesses.forEach(ServiceProcess::stop);
        for (int i = services.size() - 1; i >= 0; i--) {
            services.get(i).stop();
        }
        if (natsA != null) {
            natsA.close();
        }
        nats.forEach(NatsTestServer::close);
    }

    @Test
    @Order(1)
    void withOneRecorderAnnouncedItsListingIsTheReview() throws Exception {
        assertThat(ids(json(dashboard + "/api/recordings"))).isEqualTo(ids(json(recorderA + "/api/recordings")))
                .allMatch(id -> id.startsWith(CAM_A));
    }

    @Test
    @Order(2)
    void withBothAnnouncedTheListingIsBothRecordersNewestFirst() throws Exception {
        announce("rec-a", recorderA);
        announce("rec-b", recorderB);
        List<JsonNode> expected = new ArrayList<>();
        json(recorderA + "/api/recordings").forEach(expected::add);
        json(recorderB + "/api/recordings").forEach(expected::add);
        expected.sort(java.util.Comparator.comparing((JsonNode r) -> Instant.parse(r.get("start").asText()))
                .thenComparing(r -> r.get("id").asText()).reversed());
        List<String> want = expected.stream().map(r -> r.get("id").asText()).toList();
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() ->
                assertThat(ids(json(dashboard + "/api/recordings"))).isEqualTo(want));
        assertThat(ids(json(dashboard + "/api/recordings?limit=2"))).isEqualTo(want.subList(0, 2));
        assertThat(ids(json(dashboard + "/api/recordings?camera=" + CAM_B)))
                .isEqualTo(ids(json(recorderB + "/api/recordings?camera=" + CAM_B)));

        String day = Instant.parse(expected.get(0).get("start").asText()).atZone(java.time.ZoneOffset.UTC).toLocalDate().toString();
        JsonNode timeline = json(dashboard + "/api/timeline?day=" + day + "&zone=UTC");
        Set<String> cameras = new HashSet<>();
        timeline.get("cameras").forEach(c -> cameras.add(c.get("cameraId").asText()));
        assertThat(cameras).containsExactlyInAnyOrder(CAM_A, CAM_B);
        JsonNode storage = json(dashboard + "/api/storage");
        assertThat(storage.get("recordings").asLong()).isEqualTo(want.size());
        assertThat(storage.get("recorders")).hasSize(2);
    }

    @Test
    @Order(3)
    void aFileOfEitherRecorderPlaysFromTheRecorderThatHasIt() throws Exception {
        for (String[] pair : new String[][]{{recorderA, CAM_A}, {recorderB, CAM_B}}) {
            JsonNode first = json(pair[0] + "/api/recordings?camera=" + pair[1]).get(0);
            String id = first.get("id").asText();
            assertThat(json(dashboard + "/api/recordings/" + id).get("cameraId").asText()).isEqualTo(pair[1]);
            byte[] direct = get(pair[0] + "/api/recordings/" + id + "/file").body();
            HttpResponse<byte[]> proxied = get(dashboard + "/api/recordings/" + id + "/file");
            assertThat(proxied.statusCode()).isEqualTo(200);
            assertThat(proxied.body()).isEqualTo(direct);
            Path file = Files.createTempFile("cctv-" + pair[1] + "-", ".mkv");
            try {
                Files.write(file, proxied.body());
                List<Long> counters = counters(file);
                assertThat(counters).as("frames of %s decoded", id).isNotEmpty().isSorted().doesNotHaveDuplicates()
                        .hasSize(first.get("frames").asInt());
            } finally {
                Files.deleteIfExists(file);
            }
            HttpResponse<byte[]> range = HTTP.send(HttpRequest.newBuilder(URI.create(dashboard + "/api/recordings/" + id + "/file"))
                    .header("Range", "bytes=0-99").build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(range.statusCode()).isEqualTo(206);
            assertThat(range.body()).isEqualTo(java.util.Arrays.copyOf(direct, 100));
        }
        assertThat(get(dashboard + "/api/recordings/" + CAM_B + "_2000-01-01_00-00-00").statusCode()).isEqualTo(404);
    }

    @Test
    @Order(4)
    void aKeepGoesToTheRecorderThatHasTheRecording() throws Exception {
        String id = json(recorderB + "/api/recordings?camera=" + CAM_B).get(0).get("id").asText();
        HttpResponse<String> keep = HTTP.send(HttpRequest.newBuilder(URI.create(dashboard + "/api/recordings/" + id + "/keep"))
                .header("Content-Type", "application/json").header("Origin", dashboard)
                .PUT(HttpRequest.BodyPublishers.ofString("{\"keep\":true}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(keep.statusCode()).as(keep.body()).isEqualTo(200);
        assertThat(json(recorderB + "/api/recordings/" + id).get("kept").asBoolean()).isTrue();
    }

    @Test
    @Order(5)
    void aUserLimitedToOneCameraGetsOnlyThatCamerasRecordingsFromEveryRecorder() throws Exception {
        HttpResponse<String> added = HTTP.send(HttpRequest.newBuilder(URI.create(guarded + "/api/users"))
                .header("Authorization", basic("admin", ADMIN_PASSWORD)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"lena\",\"role\":\"operator\",\"password\":"
                        + "\"lena-password-1\",\"allCameras\":false,\"cameras\":[\"" + CAM_B + "\"]}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(added.statusCode()).as(added.body()).isEqualTo(201);
        String lena = basic("lena", "lena-password-1");
        List<String> ofB = ids(json(recorderB + "/api/recordings"));
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() ->
                assertThat(ids(Events.mapper().readTree(get(guarded + "/api/recordings", lena).body()))).isEqualTo(ofB));
        String idA = json(recorderA + "/api/recordings").get(0).get("id").asText();
        String idB = ofB.get(0);
        assertThat(get(guarded + "/api/recordings/" + idA + "/file", lena).statusCode()).isEqualTo(403);
        assertThat(get(guarded + "/api/recordings/" + idA, lena).statusCode()).isEqualTo(403);
        assertThat(get(guarded + "/api/recordings?camera=" + CAM_A, lena).statusCode()).isEqualTo(403);
        HttpResponse<byte[]> file = get(guarded + "/api/recordings/" + idB + "/file", lena);
        assertThat(file.statusCode()).isEqualTo(200);
        assertThat(file.body()).isEqualTo(get(recorderB + "/api/recordings/" + idB + "/file").body());
        JsonNode storage = Events.mapper().readTree(get(guarded + "/api/storage", lena).body());
        Set<String> cameras = new HashSet<>();
        storage.get("cameras").forEach(c -> cameras.add(c.get("cameraId").asText()));
        assertThat(cameras).containsExactly(CAM_B);
        storage.get("recorders").forEach(r -> r.get("report").get("cameras").forEach(c ->
                assertThat(c.get("cameraId").asText()).isEqualTo(CAM_B)));
        HttpResponse<String> keep = HTTP.send(HttpRequest.newBuilder(URI.create(guarded + "/api/recordings/" + idA + "/keep"))
                .header("Authorization", lena).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"keep\":true}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(keep.statusCode()).as(keep.body()).isEqualTo(403);
        assertThat(json(recorderA + "/api/recordings/" + idA).get("kept").asBoolean()).isFalse();
    }

    private static String basic(String user, String password) {
        return "Basic " + java.util.Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private static HttpResponse<byte[]> get(String url, String authorization) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", authorization).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    @Order(6)
    void aRecorderThatStopsAnsweringIsLeftOutAndNamedAndOneWhoseEntryGoesIsGone() throws Exception {
        List<String> ofA = ids(json(recorderA + "/api/recordings"));
        recorderBProcess.stop();
        HttpResponse<byte[]> partial = get(dashboard + "/api/recordings");
        assertThat(partial.statusCode()).isEqualTo(200);
        assertThat(partial.headers().firstValue("X-CCTV-Recorders-Unavailable")).contains("rec-b");
        assertThat(ids(Events.mapper().readTree(partial.body()))).isEqualTo(ofA);

        announced.remove("rec-b");
        members.delete("rec-b");
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            HttpResponse<byte[]> listing = get(dashboard + "/api/recordings");
            assertThat(listing.headers().firstValue("X-CCTV-Recorders-Unavailable")).isEmpty();
            assertThat(ids(Events.mapper().readTree(listing.body()))).isEqualTo(ofA);
        });
    }

    private static void announce(String id, String url) throws Exception {
        announced.put(id, url);
        write(id, url);
    }

    private static void write(String id, String url) throws Exception {
        members.put(id, ("{\"id\":\"" + id + "\",\"url\":\"" + url + "\",\"since\":\"" + Instant.now() + "\"}")
                .getBytes(StandardCharsets.UTF_8));
    }

    private static ServiceProcess camera(int port, String id) {
        return ServiceProcess.start("camera-" + id, Repo.ROOT.resolve("camera-client/target/camera-client.jar"),
                List.of("-Xmx128m"), List.of("--server", "127.0.0.1:" + port, "--id", id, "--name", id,
                        "--source", "test", "--codec", "jpeg", "--fps", "5", "--size", "640x360"),
                Map.of("CCTV_TOKEN", CameraToken.derive(SECRET, id)), Repo.LOGS);
    }

    private static long finished(String recorder, String cam) throws Exception {
        long n = 0;
        for (JsonNode r : json(recorder + "/api/recordings?camera=" + cam)) {
            if (!r.get("open").asBoolean()) {
                n++;
            }
        }
        return n;
    }

    private static List<String> ids(JsonNode list) {
        List<String> ids = new ArrayList<>();
        list.forEach(r -> ids.add(r.get("id").asText()));
        return ids;
    }

    private static List<Long> counters(Path file) throws Exception {
        List<Long> out = new ArrayList<>();
        try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(file.toFile()); Java2DFrameConverter c = new Java2DFrameConverter()) {
            g.start();
            Frame f;
            while ((f = g.grabImage()) != null) {
                OptionalLong n = TestPatternSource.readCounter(c.convert(f));
                assertThat(n).as("counter of a frame of %s", file).isPresent();
                out.add(n.getAsLong());
            }
        }
        return out;
    }

    private static HttpResponse<byte[]> get(String url) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static JsonNode json(String url) throws IOException, InterruptedException {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("GET " + url + ": " + r.body()).isEqualTo(200);
        return Events.mapper().readTree(r.body());
    }
}
