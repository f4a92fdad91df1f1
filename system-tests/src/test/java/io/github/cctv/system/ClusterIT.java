package io.github.cctv.system;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.cctv.dashboard.domain.live.Frame;
import io.github.cctv.dashboard.domain.live.LiveFrameCodec;
import io.github.cctv.camera.TestPatternSource;
import io.github.cctv.protocol.event.CameraEvent;
import io.github.cctv.protocol.event.DisconnectReason;
import io.github.cctv.protocol.event.Events;
import io.github.cctv.testing.NatsTestCluster;
import io.github.cctv.testing.NatsTestServer;
import io.github.cctv.testing.ServiceProcess;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Java2DFrameConverter;
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
import java.util.OptionalLong;
import java.util.Set;
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
 * packaged apps: two ingests, two recorders (each its own disk, sharing the cameras by ownership), two dashboards,
 * eight cameras spread across the ingests; every service given the three nodes and three replicas of everything (the
 * frame window too, so that recording rides the loss of the node that led it). While recording, one of each kind is
 * killed with SIGKILL in turn, each loss one step (a kill, then the same checks, {@link #theSystemRidesIt}):
 * <ol>
 *   <li>the NATS node that leads most of the recorders' consumers (the worst to lose): no camera reconnects; the
 *       node is then restarted;</li>
 *   <li>(with {@link #ALL_LOSSES}) the first ingest: each of its cameras gets exactly one {@code disconnected} event, reason
 *       {@code ingest-lost}, and is back online through the other ingest within seconds, the other ingest's cameras
 *       staying on their first connection;</li>
 *   <li>(with {@link #ALL_LOSSES}) a recorder: the other takes its cameras (their recordings go on within seconds);</li>
 *   <li>the first dashboard: a viewer on the other keeps getting every camera's frames throughout.</li>
 * </ol>
 * Each camera process reaches its ingest through a {@link TcpForwarder} in this test, a stand-in for the TCP load
 * balancer in front of the ingests (camera-client takes one {@code --server}): it forwards to its own ingest while
 * that one accepts connections, else to the other. At the end the cameras stop, the killed recorder is started again
 * on its disk (it cuts back the segment it was writing when killed), and across both recorders' disks every frame of
 * every camera, read back with the real decoder by the counter burned into it, is in exactly one recording, in order,
 * from its first recorded frame to its last: no duplicate, and no gap except one per camera of the killed ingest,
 * across its reconnect, and one of at most {@link #NODE_LOSS_FRAMES} frames when the NATS node its ingest was on is
 * lost (the frames ingest had on the way to that node or dropped while it reconnected). No NATS node logged a
 * permission violation.
 */
class ClusterIT {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    /** Cameras per ingest: 8 in all. */
    private static final int CAMERAS_PER_INGEST = 4;
    private static final int INGESTS = 2;
    private static final int RECORDERS = 2;
    private static final int DASHBOARDS = 2;
    /**
     * Distinct frames per simulated camera (counters 1…CYCLE, then again): 5 minutes at 5 fps, longer than the
     * cameras stream here, so that a repeat of a counter is a duplicate (and a wrap is unwrapped all the same).
     */
    private static final int CYCLE = 1500;
    /**
     * Frames a camera may lose when the NATS node its ingest is connected to dies: ingest publishes frames as core
     * messages and drops them while its connection is not up (a live view wants no stale frames), so what was on the
     * way to the dead node and what arrives before ingest is on another one is not in the window: a second at most.
     */
    private static final int NODE_LOSS_FRAMES = 5;
    /**
     * Whether an ingest and a recorder are killed too, and every frame is checked to be in exactly one recording across
     * both disks: by default, as the product requires. {@code -Dcluster.all-losses=false} leaves them out for a quicker
     * look at the NATS node's and the dashboard's losses alone.
     */
    static final boolean ALL_LOSSES = Boolean.parseBoolean(System.getProperty("cluster.all-losses", "true"));
    private static final Pattern NUM_CONNECTIONS = Pattern.compile("\"num_connections\"\\s*:\\s*(\\d+)");

    private static NatsTestCluster cluster;
    private static final List<ServiceProcess> services = new ArrayList<>();
    private static final List<ServiceProcess> cameras = new ArrayList<>();
    private static final List<ServiceProcess> ingests = new ArrayList<>();
    private static final List<ServiceProcess> recorders = new ArrayList<>();
    private static final List<Map<String, String>> recorderEnvs = new ArrayList<>();
    private static final List<Integer> recorderPorts = new ArrayList<>();
    private static final List<String> recorderUrls = new ArrayList<>();
    private static final List<Path> recorderRoots = new ArrayList<>();
    private static final Set<Integer> deadRecorders = ConcurrentHashMap.newKeySet();
    private static final List<ServiceProcess> dashboards = new ArrayList<>();
    private static final List<String> dashboardUrls = new ArrayList<>();
    private static final List<String> cameraIds = new ArrayList<>();
    private static final List<TcpForwarder> forwarders = new ArrayList<>();
    private static final List<Path> dirs = new ArrayList<>();
    /** Every {@code disconnected} event of every camera since the start, in arrival order. */
    private static final Map<String, List<CameraEvent.CameraDisconnected>> disconnects = new ConcurrentHashMap<>();
    private static io.nats.client.Connection events;

    @BeforeAll
    static void startTheCluster() throws Exception {
        cluster = NatsTestCluster.start();
        events = io.nats.client.Nats.connect(new io.nats.client.Options.Builder().servers(cluster.url().split(","))
                .reconnectWait(Duration.ofMillis(250)).maxReconnects(-1).build());
        events.createDispatcher(m -> {
            if (Events.eventFromJson(m.getData()) instanceof CameraEvent.CameraDisconnected d) {
                disconnects.computeIfAbsent(d.cameraId(), k -> new java.util.concurrent.CopyOnWriteArrayList<>()).add(d);
            }
        }).subscribe(io.github.cctv.protocol.Subjects.EVENTS_ALL);
        events.flush(Duration.ofSeconds(5));
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
                    "CCTV_INGEST_ALLOW_UNAUTHENTICATED", "true", "CCTV_INGEST_INSTANCE_ID", "ingest-" + i));
            // the default claim lease (10 s): one much shorter than a NATS node's fail-over (its buckets' new leaders,
            // a few seconds) has a survivor take the cameras of an ingest that was only moving to another node
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
                    "CCTV_RECORDER_RETENTION_MIN_FREE_BYTES", "0", "CCTV_RECORDER_INSTANCE_ID", "rec-" + i,
                    "CCTV_RECORDER_ADVERTISED_URL", "http://127.0.0.1:" + http));
            recorderEnvs.add(env);
            recorderPorts.add(http);
            recorderRoots.add(root);
            recorderUrls.add("http://127.0.0.1:" + http);
            recorders.add(startRecorder(i - 1, "cluster-recorder-" + i));
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
            // the ingest's own first, the other when it is gone: a load balancer's view of the two
            List<Integer> targets = new ArrayList<>(cameraPorts);
            java.util.Collections.rotate(targets, -(i - 1));
            TcpForwarder f = TcpForwarder.start(targets);
            forwarders.add(f);
            // one process streams the ingest's cameras: cl<i>-01 … cl<i>-04
            ServiceProcess c = ServiceProcess.start("cluster-cameras-" + i,
                    Repo.ROOT.resolve("camera-client/target/camera-client.jar"),
                    List.of("-Xmx256m"), List.of("--server", "127.0.0.1:" + f.port(), "--id", "cl" + i,
                            "--simulate", String.valueOf(CAMERAS_PER_INGEST), "--codec", "jpeg", "--fps", "5",
                            "--size", "320x180", "--cycle", String.valueOf(CYCLE), "--stats-interval", "0"),
                    Map.of(), Repo.LOGS);
            services.add(c);
            cameras.add(c);
        }
    }

    private static ServiceProcess startRecorder(int i, String name) {
        ServiceProcess p = ServiceProcess.startQuarkus(Repo.ROOT, "recorder-service", name, recorderPorts.get(i),
                        recorderEnvs.get(i), Repo.LOGS)
                .awaitHealthy(recorderUrls.get(i) + "/q/health/ready", Duration.ofSeconds(90));
        services.add(p);
        return p;
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
    static void stopAll() throws Exception {
        for (int i = services.size() - 1; i >= 0; i--) {
            services.get(i).stop();
        }
        forwarders.forEach(TcpForwarder::close);
        if (events != null) {
            events.close();
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
    void camerasViewersAndRecordingsRideTheLossOfOneOfEachKind() throws Exception {
        String survivor = dashboardUrls.get(DASHBOARDS - 1);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                assertThat(online(survivor).keySet()).as("cameras online").containsAll(cameraIds));
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            for (String cam : cameraIds) {
                assertThat(recordedFrames(cam)).as("frames of " + cam + " recorded").isPositive();
            }
        });
        Map<Integer, List<String>> shares = new HashMap<>();
        for (String cam : cameraIds) {
            List<Integer> on = new ArrayList<>();
            for (int r = 0; r < RECORDERS; r++) {
                if (json(recorderUrls.get(r) + "/api/recordings?camera=" + cam + "&limit=1000").size() > 0) {
                    on.add(r);
                }
            }
            assertThat(on).as("recorders recording " + cam).hasSize(1);
            shares.computeIfAbsent(on.get(0), k -> new ArrayList<>()).add(cam);
        }
        // the recorder with the most cameras is the one to lose
        int doomedRecorder = shares.getOrDefault(0, List.of()).size() >= shares.getOrDefault(1, List.of()).size() ? 0 : 1;
        // the ingest's and the recorder's losses unless left out (see ALL_LOSSES)
        List<String> ofIngest1 = ALL_LOSSES ? cameraIds.subList(0, CAMERAS_PER_INGEST) : List.of();
        Map<String, String> since = online(survivor);
        try (Viewer viewer = Viewer.open(survivor, cameraIds)) {
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                for (String cam : cameraIds) {
                    assertThat(viewer.frames(cam)).as("live frames of " + cam).isGreaterThan(5);
                }
            });

            int node = nodeLeadingMostRecorderConsumers();
            theSystemRidesIt("NATS node " + cluster.serverName(node), () -> cluster.kill(node), viewer, since, survivor,
                    List.of());
            cluster.restart(node);
            theSystemRidesIt("nothing more (the node is back)", () -> { }, viewer, since, survivor, List.of());

            if (ALL_LOSSES) {
                theSystemRidesIt("ingest 1", () -> ingests.get(0).kill(), viewer, since, survivor, ofIngest1);
                await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                    for (String cam : ofIngest1) {
                        assertThat(disconnects.getOrDefault(cam, List.of())).as("disconnects of " + cam).singleElement()
                                .satisfies(d -> assertThat(d.reason()).isEqualTo(DisconnectReason.INGEST_LOST));
                    }
                });

                theSystemRidesIt("recorder rec-" + (doomedRecorder + 1) + " (" + shares.get(doomedRecorder) + ")", () -> {
                    recorders.get(doomedRecorder).kill();
                    deadRecorders.add(doomedRecorder);
                }, viewer, since, survivor, List.of());
            }

            theSystemRidesIt("dashboard 1", () -> dashboards.get(0).kill(), viewer, since, survivor, List.of());
            assertThat(viewer.closed()).as("the viewer's socket stayed open").isFalse();
        }
        for (String cam : cameraIds) {
            assertThat(disconnects.getOrDefault(cam, List.of())).as("disconnects of " + cam)
                    .hasSize(ofIngest1.contains(cam) ? 1 : 0);
        }

        // the end: the cameras go, the killed recorder comes back on its disk, every segment closes
        cameras.forEach(ServiceProcess::stop);
        if (ALL_LOSSES) {
            recorders.set(doomedRecorder, startRecorder(doomedRecorder, "cluster-recorder-" + (doomedRecorder + 1) + "-again"));
            deadRecorders.remove(doomedRecorder);
        }
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            for (String cam : cameraIds) {
                for (String r : recorderUrls) {
                    for (JsonNode rec : json(r + "/api/recordings?camera=" + cam + "&limit=1000")) {
                        assertThat(rec.path("open").asBoolean()).as("%s open on %s", rec.path("id").asText(), r).isFalse();
                    }
                }
            }
        });
        if (ALL_LOSSES) {
            for (String cam : cameraIds) {
                everyFrameOnceInOrder(cam, ofIngest1.contains(cam) ? 1 : 0);
            }
        }
        for (int i = 0; i < NatsTestCluster.SIZE; i++) {
            assertThat(cluster.log(i)).as("log of NATS node " + cluster.serverName(i)).doesNotContain("Violation");
        }
    }

    /**
     * Reads back every recording of {@code cam} on both disks, in the order of their starts, and checks that the
     * counters burned into the frames go up by one from the first recorded frame to the last, but for at most
     * {@code gaps} jumps forward (a camera's reconnect) and one of at most {@link #NODE_LOSS_FRAMES} (the NATS node
     * loss): never back, never the same frame twice.
     */
    private static void everyFrameOnceInOrder(String cam, int gaps) throws Exception {
        List<JsonNode> recs = new ArrayList<>();
        List<Path> files = new ArrayList<>();
        for (int r = 0; r < RECORDERS; r++) {
            for (JsonNode rec : json(recorderUrls.get(r) + "/api/recordings?camera=" + cam + "&limit=1000")) {
                recs.add(rec);
                files.add(recorderRoots.get(r).resolve(rec.get("path").asText()));
            }
        }
        List<Integer> order = new ArrayList<>(java.util.stream.IntStream.range(0, recs.size()).boxed().toList());
        order.sort(java.util.Comparator.comparing(i -> Instant.parse(recs.get(i).get("start").asText())));
        List<Long> counters = new ArrayList<>();
        List<String> where = new ArrayList<>();
        for (int i : order) {
            List<Long> read = counters(files.get(i));
            assertThat(read).as("frames decoded from " + files.get(i)).isNotEmpty()
                    .hasSize(recs.get(i).get("frames").asInt());
            for (long c : read) {
                long u = c;
                if (!counters.isEmpty()) {
                    while (u <= counters.get(counters.size() - 1) - CYCLE / 2) {
                        u += CYCLE;
                    }
                }
                counters.add(u);
                where.add(files.get(i).getFileName().toString());
            }
        }
        List<Jump> jumps = new ArrayList<>();
        for (int i = 1; i < counters.size(); i++) {
            long step = counters.get(i) - counters.get(i - 1);
            assertThat(step).as("%s: frame %d after %d (%s, then %s): each frame once, in order", cam, counters.get(i),
                    counters.get(i - 1), where.get(i - 1), where.get(i)).isPositive();
            if (step > 1) {
                jumps.add(new Jump(step - 1, counters.get(i - 1) + " -> " + counters.get(i) + " (" + where.get(i - 1)
                        + ", " + where.get(i) + ")"));
            }
        }
        String range = String.format("%s: gaps in %d frames %d..%d", cam, counters.size(), counters.get(0),
                counters.get(counters.size() - 1));
        // a measurement: what each camera's recordings hold, and where a frame is missing
        System.out.printf("CLUSTER frames of %s: %d in %d recordings, counters %d..%d, missing %s%n", cam,
                counters.size(), recs.size(), counters.get(0), counters.get(counters.size() - 1),
                jumps.isEmpty() ? "none" : jumps.stream().map(j -> j.missing() + " at " + j.what()).toList());
        assertThat(jumps).as(range + ", one of at most %d frames allowed (the NATS node loss)", NODE_LOSS_FRAMES)
                .hasSizeLessThanOrEqualTo(gaps + 1);
        assertThat(jumps.stream().filter(j -> j.missing() > NODE_LOSS_FRAMES).map(Jump::what).toList())
                .as(range + ", longer than %d frames", NODE_LOSS_FRAMES).hasSizeLessThanOrEqualTo(gaps);
    }

    /** Frames missing between two recorded ones, and where. */
    private record Jump(long missing, String what) {
        @Override
        public String toString() {
            return what;
        }
    }

    /** The test-pattern counters of a recording's frames, decoded with FFmpeg. */
    private static List<Long> counters(Path file) throws Exception {
        List<Long> out = new ArrayList<>();
        try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(file.toFile()); Java2DFrameConverter c = new Java2DFrameConverter()) {
            g.start();
            org.bytedeco.javacv.Frame f;
            while ((f = g.grabImage()) != null) {
                OptionalLong n = TestPatternSource.readCounter(c.convert(f));
                assertThat(n).as("counter of a frame of %s", file).isPresent();
                out.add(n.getAsLong());
            }
        }
        return out;
    }

    /**
     * Does {@code loss}, then checks that within seconds the viewer gets frames of every camera, every camera's
     * recording (on the recorders alive) holds frames captured after the loss, and every camera is online: the
     * {@code reconnecting} ones on a new connection (then the one they stay on), the others on the one they had.
     */
    private static void theSystemRidesIt(String what, Runnable loss, Viewer viewer, Map<String, String> since,
                                         String dashboard, List<String> reconnecting) throws Exception {
        Map<String, Long> seen = new LinkedHashMap<>();
        for (String cam : cameraIds) {
            seen.put(cam, viewer.frames(cam));
        }
        double leasesLostBefore = leasesLost();
        Instant lost = Instant.now();
        loss.run();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            for (String cam : cameraIds) {
                assertThat(viewer.frames(cam)).as("live frames of %s after losing %s", cam, what)
                        .isGreaterThan(seen.get(cam) + 10);
            }
        });
        Duration live = Duration.between(lost, Instant.now());
        // a bound for a loaded machine: JetStream's new leaders after a node loss have taken up to half a minute here
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            for (String cam : cameraIds) {
                assertThat(newestRecordedEnd(cam)).as("recording of %s after losing %s", cam, what)
                        .isAfter(lost.plusSeconds(2));
            }
        });
        Duration recorded = Duration.between(lost, Instant.now());
        // a measurement, not a limit: how long the loss held up the live view and the recordings
        System.out.printf("CLUSTER after losing %s: live again within %.1f s, every recording past the loss + 2 s "
                + "within %.1f s, camera leases lost %.0f%n", what, live.toMillis() / 1000.0,
                recorded.toMillis() / 1000.0, leasesLost() - leasesLostBefore);
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            Map<String, String> now = online(dashboard);
            for (String cam : cameraIds) {
                assertThat(now).as("%s online after losing %s", cam, what).containsKey(cam);
                if (reconnecting.contains(cam)) {
                    assertThat(now.get(cam)).as("%s on a new connection after losing %s", cam, what)
                            .isNotEqualTo(since.get(cam));
                } else {
                    assertThat(now.get(cam)).as("%s on its first connection after losing %s", cam, what)
                            .isEqualTo(since.get(cam));
                }
            }
            for (String cam : reconnecting) {
                since.put(cam, now.get(cam));
            }
        });
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

    /** The latest end of a recording of {@code cam} on any recorder alive (for an open segment, its last flush). */
    private static Instant newestRecordedEnd(String cam) throws Exception {
        Instant newest = Instant.EPOCH;
        for (int i = 0; i < RECORDERS; i++) {
            if (deadRecorders.contains(i)) {
                continue;
            }
            String r = recorderUrls.get(i);
            for (JsonNode rec : json(r + "/api/recordings?camera=" + cam + "&limit=5")) {
                if (rec.path("frames").asLong() > 0 && rec.hasNonNull("end")) {
                    Instant end = Instant.parse(rec.get("end").asText());
                    newest = end.isAfter(newest) ? end : newest;
                }
            }
        }
        return newest;
    }

    /** Camera leases lost so far by the recorders alive ({@code cctv_recorder_leases_lost_total}). */
    private static double leasesLost() throws Exception {
        double sum = 0;
        for (int i = 0; i < RECORDERS; i++) {
            if (deadRecorders.contains(i)) {
                continue;
            }
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(recorderUrls.get(i) + "/q/metrics"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            for (String line : r.body().split("\n")) {
                if (line.startsWith("cctv_recorder_leases_lost_total")) {
                    sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                }
            }
        }
        return sum;
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
