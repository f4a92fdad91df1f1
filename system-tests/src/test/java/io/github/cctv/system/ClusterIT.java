package io.github.cctv.system;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.cctv.dashboard.domain.live.Frame;
import io.github.cctv.dashboard.domain.live.LiveFrameCodec;
import io.github.cctv.protocol.event.Events;
import io.github.cctv.testing.NatsTestCluster;
import io.github.cctv.testing.NatsTestServer;
import io.github.cctv.testing.ServiceProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The system on a real three-node NATS cluster on this machine (three nats-server processes), with the services as
 * packaged apps: two ingests, the recorder, two dashboards, eight cameras spread across the ingests; every service
 * given the three nodes and three replicas of everything (the frame window too, so that recording rides the loss of
 * the node that led it). While recording, one NATS node (the one that leads most of the recorder's consumers, the
 * worst to lose) and one dashboard are killed with SIGKILL: the cameras stay online (no camera reconnects), a viewer on the other dashboard keeps
 * getting every camera's frames, and every camera's recording goes on. Then the node comes back.
 *
 * <p>Each loss is one step: a kill, then the same checks ({@link #theSystemRidesIt}). Losing an ingest (its cameras
 * reconnect to the other and are back within seconds) and a recorder (another takes its cameras) are steps to add
 * once ingests claim camera ids cluster-wide and recorders share cameras by ownership; until then one recorder runs
 * ({@link #RECORDERS}): two on one NATS would both record every camera.
 */
class ClusterIT {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    /** Cameras per ingest: 8 in all. */
    private static final int CAMERAS_PER_INGEST = 4;
    private static final int INGESTS = 2;
    /** One recorder until recorders share cameras by ownership; then 2. */
    private static final int RECORDERS = 1;
    private static final int DASHBOARDS = 2;
    private static final Pattern NUM_CONNECTIONS = Pattern.compile("\"num_connections\"\\s*:\\s*(\\d+)");

    private static NatsTestCluster cluster;
    private static final List<ServiceProcess> services = new ArrayList<>();
    private static final List<ServiceProcess> ingests = new ArrayList<>();
    private static final List<ServiceProcess> recorders = new ArrayList<>();
    private static final List<String> recorderUrls = new ArrayList<>();
    private static final List<ServiceProcess> dashboards = new ArrayList<>();
    private static final List<String> dashboardUrls = new ArrayList<>();
    private static final List<String> cameraIds = new ArrayList<>();
    private static final List<Path> dirs = new ArrayList<>();

    @BeforeAll
    static void startTheCluster() throws Exception {
        cluster = NatsTestCluster.start();
        for (int i = 1; i <= INGESTS; i++) {
            for (int c = 1; c <= CAMERAS_PER_INGEST; c++) {
                cameraIds.add(String.format("cl%d-%02d", i, c));
            }
        }
        List<Integer> cameraPorts = new ArrayList<>();
        // both ingests up before any camera: each sweeps the registry at start
        for (int i = 1; i <= INGESTS; i++) {
            int cameraPort = NatsTestServer.freePort();
            int http = NatsTestServer.freePort();
            Map<String, String> env = natsEnv("ingest-" + i);
            env.putAll(Map.of("CCTV_INGEST_PORT", String.valueOf(cameraPort), "CCTV_INGEST_TLS_ENABLED", "false",
                    "CCTV_INGEST_ALLOW_UNAUTHENTICATED", "true"));
            ServiceProcess p = ServiceProcess.startQuarkus(Repo.ROOT, "ingest-service", "cluster-ingest-" + i, http, env,
                            Repo.LOGS)
                    .awaitHealthy("http://127.0.0.1:" + http + "/q/health/ready", Duration.ofSeconds(90));
            services.add(p);
            ingests.add(p);
            cameraPorts.add(cameraPort);
        }
        for (int i = 1; i <= RECORDERS; i++) {
            int http = NatsTestServer.freePort();
            Path root = Files.createTempDirectory("cctv-cluster-recorder-" + i + "-");
            dirs.add(root);
            Map<String, String> env = natsEnv("recorder-" + i);
            env.putAll(Map.of("CCTV_RECORDER_ROOT", root.toString(), "CCTV_RECORDER_SEGMENT_LENGTH", "4s",
                    "CCTV_RECORDER_ALWAYS_RECORD", String.join(",", cameraIds),
                    "CCTV_RECORDER_RETENTION_MIN_FREE_BYTES", "0"));
            ServiceProcess p = ServiceProcess.startQuarkus(Repo.ROOT, "recorder-service", "cluster-recorder-" + i, http, env,
                            Repo.LOGS)
                    .awaitHealthy("http://127.0.0.1:" + http + "/q/health/ready", Duration.ofSeconds(90));
            services.add(p);
            recorders.add(p);
            recorderUrls.add("http://127.0.0.1:" + http);
        }
        for (int i = 1; i <= DASHBOARDS; i++) {
            int http = NatsTestServer.freePort();
            Map<String, String> env = natsEnv("dashboard-" + i);
            env.putAll(Map.of("CCTV_DASHBOARD_RECORDER_URL", recorderUrls.get(0), "CCTV_DASHBOARD_AUTH_ENABLED", "false"));
            ServiceProcess p = ServiceProcess.startQuarkus(Repo.ROOT, "dashboard-service", "cluster-dashboard-" + i, http, env,
                            Repo.LOGS)
                    .awaitHealthy("http://127.0.0.1:" + http + "/q/health/ready", Duration.ofSeconds(90));
            services.add(p);
            dashboards.add(p);
            dashboardUrls.add("http://127.0.0.1:" + http);
        }
        for (int i = 1; i <= INGESTS; i++) {
            // one process streams the ingest's cameras: cl<i>-01 … cl<i>-04
            services.add(ServiceProcess.start("cluster-cameras-" + i, Repo.ROOT.resolve("camera-client/target/camera-client.jar"),
                    List.of("-Xmx192m"), List.of("--server", "127.0.0.1:" + cameraPorts.get(i - 1), "--id", "cl" + i,
                            "--simulate", String.valueOf(CAMERAS_PER_INGEST), "--codec", "jpeg", "--fps", "5",
                            "--size", "320x180", "--stats-interval", "0"), Map.of(), Repo.LOGS));
        }
    }

    /** A service's NATS settings: every node, three replicas of everything, quick reconnects. */
    private static Map<String, String> natsEnv(String name) {
        Map<String, String> env = new HashMap<>();
        env.put("CCTV_NATS_URL", cluster.url());
        env.put("CCTV_NATS_REPLICAS", "3");
        env.put("CCTV_NATS_FRAMES_REPLICAS", "3");
        env.put("CCTV_NATS_RECONNECT_WAIT", "250ms");
        env.put("CCTV_NATS_CONNECTION_NAME", "cctv-" + name);
        return env;
    }

    @AfterAll
    static void stopAll() {
        for (int i = services.size() - 1; i >= 0; i--) {
            services.get(i).stop();
        }
        if (cluster != null) {
            cluster.close();
        }
        for (Path d : dirs) {
            try (var paths = Files.walk(d)) {
                paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException ignored) {
                // temporary
            }
        }
    }

    @Test
    void camerasViewersAndRecordingsRideTheLossOfANatsNodeAndOfADashboard() throws Exception {
        String survivor = dashboardUrls.get(DASHBOARDS - 1);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                assertThat(online(survivor).keySet()).as("cameras online").containsAll(cameraIds));
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            for (String cam : cameraIds) {
                assertThat(recordedFrames(cam)).as("frames of " + cam + " recorded").isPositive();
            }
        });
        Map<String, String> since = online(survivor);
        try (Viewer viewer = Viewer.open(survivor, cameraIds)) {
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                for (String cam : cameraIds) {
                    assertThat(viewer.frames(cam)).as("live frames of " + cam).isGreaterThan(5);
                }
            });

            int node = nodeLeadingMostRecorderConsumers();
            theSystemRidesIt("NATS node " + cluster.serverName(node), () -> cluster.kill(node), viewer, since, survivor);
            theSystemRidesIt("dashboard 1", () -> dashboards.get(0).kill(), viewer, since, survivor);
            // next: an ingest (its cameras back through the other within seconds), a recorder (another takes its cameras)

            cluster.restart(node);
            theSystemRidesIt("nothing more (the node is back)", () -> { }, viewer, since, survivor);
            assertThat(viewer.closed()).as("the viewer's socket stayed open").isFalse();
        }
    }

    /**
     * Does {@code loss}, then checks that within seconds every camera is still online on its first connection, the
     * viewer gets frames of every camera, and every camera's recording holds frames captured after the loss.
     */
    private static void theSystemRidesIt(String what, Runnable loss, Viewer viewer, Map<String, String> since,
                                         String dashboard) throws Exception {
        Map<String, Long> seen = new LinkedHashMap<>();
        for (String cam : cameraIds) {
            seen.put(cam, viewer.frames(cam));
        }
        Instant lost = Instant.now();
        loss.run();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            for (String cam : cameraIds) {
                assertThat(viewer.frames(cam)).as("live frames of %s after losing %s", cam, what)
                        .isGreaterThan(seen.get(cam) + 10);
            }
        });
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            for (String cam : cameraIds) {
                assertThat(newestRecordedEnd(cam)).as("recording of %s after losing %s", cam, what)
                        .isAfter(lost.plusSeconds(2));
            }
        });
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                assertThat(online(dashboard)).as("cameras online on their first connection after losing " + what)
                        .containsAllEntriesOf(since));
    }

    /**
     * The node that leads most of the recorder's consumers on the frame stream: its loss takes every pull request
     * of those cameras with it. With a tie, the one with the most client connections.
     */
    private static int nodeLeadingMostRecorderConsumers() throws Exception {
        Map<String, Integer> led = new HashMap<>();
        try (io.nats.client.Connection nc = io.nats.client.Nats.connect(new io.nats.client.Options.Builder()
                .servers(cluster.url().split(",")).build())) {
            io.nats.client.JetStreamManagement jsm = nc.jetStreamManagement();
            for (String consumer : jsm.getConsumerNames(io.github.cctv.protocol.Subjects.FRAMES_STREAM)) {
                String leader = jsm.getConsumerInfo(io.github.cctv.protocol.Subjects.FRAMES_STREAM, consumer)
                        .getClusterInfo().getLeader();
                led.merge(leader, 1, Integer::sum);
            }
        }
        int best = busiestNode();
        for (int i = 0; i < NatsTestCluster.SIZE; i++) {
            if (led.getOrDefault(cluster.serverName(i), 0) > led.getOrDefault(cluster.serverName(best), 0)) {
                best = i;
            }
        }
        return best;
    }

    /** The node with the most client connections: the one whose loss moves the most services. */
    private static int busiestNode() throws Exception {
        int best = 0;
        int most = -1;
        for (int i = 0; i < NatsTestCluster.SIZE; i++) {
            String connz = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + cluster.monitorPort(i) + "/connz"))
                    .build(), HttpResponse.BodyHandlers.ofString()).body();
            Matcher m = NUM_CONNECTIONS.matcher(connz);
            int n = m.find() ? Integer.parseInt(m.group(1)) : 0;
            if (n > most) {
                most = n;
                best = i;
            }
        }
        return best;
    }

    /** Camera id to connected-since of every camera the dashboard shows online. */
    private static Map<String, String> online(String dashboard) throws Exception {
        Map<String, String> online = new HashMap<>();
        for (JsonNode c : json(dashboard + "/api/cameras")) {
            JsonNode status = c.path("status");
            if (status.path("online").asBoolean()) {
                online.put(c.path("cameraId").asText(), status.path("connectedSince").asText());
            }
        }
        return online;
    }

    /** Frames in every recording of {@code cam} on every recorder. */
    private static long recordedFrames(String cam) throws Exception {
        long n = 0;
        for (String r : recorderUrls) {
            for (JsonNode rec : json(r + "/api/recordings?camera=" + cam + "&limit=1000")) {
                n += rec.path("frames").asLong();
            }
        }
        return n;
    }

    /** The latest end of a recording of {@code cam} on any recorder (for an open segment, its last flush). */
    private static Instant newestRecordedEnd(String cam) throws Exception {
        Instant newest = Instant.EPOCH;
        for (String r : recorderUrls) {
            for (JsonNode rec : json(r + "/api/recordings?camera=" + cam + "&limit=5")) {
                if (rec.path("frames").asLong() > 0 && rec.hasNonNull("end")) {
                    Instant end = Instant.parse(rec.get("end").asText());
                    newest = end.isAfter(newest) ? end : newest;
                }
            }
        }
        return newest;
    }

    private static JsonNode json(String url) throws IOException, InterruptedException {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("GET " + url + ": " + r.body()).isEqualTo(200);
        return Events.mapper().readTree(r.body());
    }

    /** A browser stand-in on a dashboard's live WebSocket, counting each camera's frames. */
    private static final class Viewer implements WebSocket.Listener, AutoCloseable {
        private final Map<String, AtomicLong> frames = new ConcurrentHashMap<>();
        private final ByteArrayOutputStream binary = new ByteArrayOutputStream();
        private final AtomicBoolean closed = new AtomicBoolean();
        private WebSocket socket;

        static Viewer open(String dashboard, List<String> cameras) throws Exception {
            Viewer v = new Viewer();
            v.socket = HttpClient.newHttpClient().newWebSocketBuilder().header("Origin", dashboard)
                    .buildAsync(URI.create(dashboard.replaceFirst("^http", "ws") + "/ws/live"), v).get(10, TimeUnit.SECONDS);
            StringBuilder subscribe = new StringBuilder("{\"type\":\"subscribe\",\"cameras\":{");
            for (int i = 0; i < cameras.size(); i++) {
                subscribe.append(i == 0 ? "" : ",").append('"').append(cameras.get(i)).append("\":0");
            }
            v.socket.sendText(subscribe.append("}}").toString(), true).join();
            return v;
        }

        long frames(String camera) {
            AtomicLong n = frames.get(camera);
            return n == null ? 0 : n.get();
        }

        boolean closed() {
            return closed.get() || socket.isInputClosed();
        }

        @Override
        public void onOpen(WebSocket webSocket) {
            webSocket.request(1);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            byte[] chunk = new byte[data.remaining()];
            data.get(chunk);
            binary.writeBytes(chunk);
            if (last) {
                Frame f = LiveFrameCodec.decode(binary.toByteArray());
                binary.reset();
                frames.computeIfAbsent(f.cameraId(), k -> new AtomicLong()).incrementAndGet();
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.set(true);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.set(true);
        }

        @Override
        public void close() {
            socket.abort();
        }
    }
}
