package io.github.cctv.system;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.cctv.protocol.event.Events;
import io.github.cctv.testing.NatsTestCluster;
import io.github.cctv.testing.NatsTestServer;
import io.github.cctv.testing.ServiceProcess;
import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.api.ConsumerInfo;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Many small cameras on the cluster: per step (100, 200, 400 cameras by default) a fresh three-node NATS cluster
 * (three nats-server processes), two ingests, two recorders (each its own folder, every camera on the always-record
 * list, cameras shared between the two by lease) and two camera-client processes, each {@code --simulate N/2} at
 * 320x180, 5 fps, H.264 pre-encoded by camera-client, one into each ingest. State (registry, events, recording state)
 * in 3 copies, the frame window in 1 ({@code cctv.nats.frames-replicas} default).
 *
 * <p>Per step it reports frames/s in (ingest's {@code cctv.ingest.frames}) against frames/s recorded (recorders'
 * {@code cctv.recorder.frames.written}) over the measured window; frames lost (what the cameras said they sent minus
 * what the recorders wrote, once the cameras stopped and the recorders drained; frames the recorders skipped);
 * CPU per process from
 * {@code /proc/<pid>/stat} deltas and RSS from {@code /proc/<pid>/status}, before the cameras (idle) and while
 * streaming; client subscriptions per service (every node's {@code /connz?subs=1}); subscriptions each node holds
 * ({@code /subsz}); JetStream consumers per stream, durable and ephemeral (KV watchers are ephemeral consumers on
 * the {@code KV_*} streams).
 *
 * <p>Not part of {@code verify}; run it on purpose (it prints Markdown, it asserts nothing):
 * {@code nice -n 10 ./mvnw -B -pl system-tests -am verify -Dtest=ScaleBench -Dsurefire.failIfNoSpecifiedTests=false -DskipITs}.
 * Settings: {@code -Dbench.cameras=100,200,400} (even numbers), {@code -Dbench.warmup=10},
 * {@code -Dbench.seconds=20}.
 */
class ScaleBench {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final int FPS = 5;
    private static final int INGESTS = 2;
    private static final int RECORDERS = 2;
    private static final Pattern PROM = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[^}]*})?\\s+(\\S+)", Pattern.MULTILINE);
    private static final Pattern DONE = Pattern.compile("done: (\\d+) frames sent, (\\d+) dropped");

    private final List<String> rows = new ArrayList<>();
    private final List<String> counts = new ArrayList<>();
    private final List<String> memory = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    @Test
    void manySmallCamerasThroughTwoIngestsAndTwoRecorders() throws Exception {
        int warmup = Integer.getInteger("bench.warmup", 10);
        int seconds = Integer.getInteger("bench.seconds", 20);
        String machine = "nproc " + Runtime.getRuntime().availableProcessors() + ", load average at start "
                + loadAverage();
        for (String c : System.getProperty("bench.cameras", "100,200,400").split(",")) {
            try {
                step(Integer.parseInt(c.trim()), warmup, seconds);
            } catch (IllegalStateException e) {
                // a service that did not start (e.g. its free port taken meanwhile): the step once more
                notes.add(c.trim() + " cameras: the step ran twice, the first start failed: " + e.getMessage().lines().findFirst().orElse(""));
                step(Integer.parseInt(c.trim()), warmup, seconds);
            }
        }
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%nScale on a 3-node NATS cluster: 2 ingests, 2 recorders, cameras at 320x180 "
                + "%d fps H.264 (simulated), %d s warm-up, %d s measured; %s%n%n", FPS, warmup, seconds, machine));
        out.append("| cameras | frames/s in (target) | frames/s recorded | frames sent / recorded / lost | ingest CPU % (each) "
                + "| recorder CPU % (each) | NATS CPU % (each node) | server CPU % per camera | cameras' CPU % | other CPU % "
                + "| load average (1 min) |\n|---|---|---|---|---|---|---|---|---|---|---|\n");
        rows.forEach(r -> out.append(r).append('\n'));
        out.append("\n| cameras | RSS MB idle → streaming: ingests | recorders | NATS nodes | server MB per camera (streaming − idle) "
                + "| disk MB per camera-hour |\n|---|---|---|---|---|---|\n");
        memory.forEach(r -> out.append(r).append('\n'));
        out.append("\n| cameras | client subscriptions: ingest each | recorder each | /subsz per node "
                + "| consumers durable / ephemeral per stream | client connections |\n|---|---|---|---|---|---|\n");
        counts.forEach(r -> out.append(r).append('\n'));
        out.append('\n');
        notes.forEach(n -> out.append("- ").append(n).append('\n'));
        System.out.println(out);
        Path report = Repo.LOGS.resolve("scale-bench-" + Instant.now().getEpochSecond() + ".md");
        Files.createDirectories(Repo.LOGS);
        Files.writeString(report, out.toString());
        System.out.println("report: " + report);
    }

    private void step(int cameras, int warmup, int seconds) throws Exception {
        List<ServiceProcess> services = new ArrayList<>();
        List<Path> dirs = new ArrayList<>();
        NatsTestCluster cluster = NatsTestCluster.start();
        try {
            int per = cameras / INGESTS;
            List<String> ids = new ArrayList<>();
            for (int i = 1; i <= INGESTS; i++) {
                for (int c = 1; c <= per; c++) {
                    ids.add(simulatedId("s" + i, c, per));
                }
            }
            List<ServiceProcess> ingests = new ArrayList<>();
            List<String> ingestUrls = new ArrayList<>();
            List<Integer> cameraPorts = new ArrayList<>();
            for (int i = 1; i <= INGESTS; i++) {
                int cameraPort = NatsTestServer.freePort();
                int http = NatsTestServer.freePort();
                Map<String, String> env = natsEnv(cluster, "ingest-" + i);
                // every camera of an ingest comes from one address (one camera-client): all may connect at once
                env.putAll(Map.of("CCTV_INGEST_PORT", String.valueOf(cameraPort), "CCTV_INGEST_TLS_ENABLED", "false",
                        "CCTV_INGEST_ALLOW_UNAUTHENTICATED", "true", "CCTV_INGEST_CONNECTION_RATE_BURST", String.valueOf(per)));
                ServiceProcess p = ServiceProcess.startQuarkus(Repo.ROOT, "ingest-service", "scale-ingest-" + i, http, env,
                        Repo.LOGS).awaitHealthy("http://127.0.0.1:" + http + "/q/health/ready", Duration.ofSeconds(120));
                services.add(p);
                ingests.add(p);
                ingestUrls.add("http://127.0.0.1:" + http);
                cameraPorts.add(cameraPort);
            }
            List<ServiceProcess> recorders = new ArrayList<>();
            List<String> recorderUrls = new ArrayList<>();
            for (int i = 1; i <= RECORDERS; i++) {
                int http = NatsTestServer.freePort();
                Path root = Files.createTempDirectory("cctv-scale-recorder-" + i + "-");
                dirs.add(root);
                Map<String, String> env = natsEnv(cluster, "recorder-" + i);
                env.putAll(Map.of("CCTV_RECORDER_ROOT", root.toString(), "CCTV_RECORDER_ALWAYS_RECORD", String.join(",", ids),
                        "CCTV_RECORDER_RETENTION_MIN_FREE_BYTES", "0"));
                ServiceProcess p = ServiceProcess.startQuarkus(Repo.ROOT, "recorder-service", "scale-recorder-" + i, http, env,
                        Repo.LOGS).awaitHealthy("http://127.0.0.1:" + http + "/q/health/ready", Duration.ofSeconds(120));
                services.add(p);
                recorders.add(p);
                recorderUrls.add("http://127.0.0.1:" + http);
            }
            Thread.sleep(5000); // recorders settle their shares of the always-record cameras
            long[] natsPids = new long[NatsTestCluster.SIZE];
            for (int n = 0; n < NatsTestCluster.SIZE; n++) {
                natsPids[n] = cluster.pid(n);
            }
            double idleIngestMb = rssMb(ingests);
            double idleRecorderMb = rssMb(recorders);
            double idleNatsMb = rssMbOf(natsPids);

            int frames = FPS * (warmup + seconds + 20);
            List<ServiceProcess> cams = new ArrayList<>();
            for (int i = 1; i <= INGESTS; i++) {
                ServiceProcess cam = ServiceProcess.start("scale-cameras-" + cameras + "-" + i,
                        Repo.ROOT.resolve("camera-client/target/camera-client.jar"), List.of("-Xmx256m"),
                        List.of("--server", "127.0.0.1:" + cameraPorts.get(i - 1), "--id", "s" + i, "--simulate",
                                String.valueOf(per), "--codec", "h264", "--fps", String.valueOf(FPS), "--size", "320x180",
                                "--frames", String.valueOf(frames), "--stats-interval", "0"), Map.of(), Repo.LOGS);
                services.add(cam);
                cams.add(cam);
            }
            // every camera connected: the ingests' sessions opened add up to the cameras
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            while (sum(ingestUrls, "cctv_ingest_sessions_total") < cameras && System.nanoTime() < deadline) {
                Thread.sleep(500);
            }
            double connected = sum(ingestUrls, "cctv_ingest_sessions_total");
            Thread.sleep(warmup * 1000L);

            List<Long> pids = new ArrayList<>();
            ingests.forEach(p -> pids.add(p.pid()));
            recorders.forEach(p -> pids.add(p.pid()));
            for (long pid : natsPids) {
                pids.add(pid);
            }
            cams.forEach(p -> pids.add(p.pid()));
            double[] cpu0 = cpu(pids);
            double busy0 = machineBusySeconds();
            double in0 = sum(ingestUrls, "cctv_ingest_frames_total");
            double rec0 = sum(recorderUrls, "cctv_recorder_frames_written_total");
            long t0 = System.nanoTime();
            Thread.sleep(seconds * 1000L);
            double[] cpu1 = cpu(pids);
            double busy1 = machineBusySeconds();
            double in1 = sum(ingestUrls, "cctv_ingest_frames_total");
            double rec1 = sum(recorderUrls, "cctv_recorder_frames_written_total");
            double dt = (System.nanoTime() - t0) / 1e9;
            String load = loadAverage();

            double streamIngestMb = rssMb(ingests);
            double streamRecorderMb = rssMb(recorders);
            double streamNatsMb = rssMbOf(natsPids);
            String countRow;
            try {
                countRow = counts(cluster, cameras);
            } catch (IOException | io.nats.client.JetStreamApiException e) {
                countRow = "| " + cameras + " | not counted: " + e.getMessage() + " | | | | |";
            }

            double[] pct = new double[pids.size()];
            double ours = 0;
            for (int k = 0; k < pids.size(); k++) {
                pct[k] = (cpu1[k] - cpu0[k]) / dt * 100;
                ours += cpu1[k] - cpu0[k];
            }
            double other = ((busy1 - busy0) - ours) / dt * 100;
            double server = 0;
            for (int k = 0; k < INGESTS + RECORDERS + NatsTestCluster.SIZE; k++) {
                server += pct[k];
            }
            double camsCpu = 0;
            for (int k = INGESTS + RECORDERS + NatsTestCluster.SIZE; k < pct.length; k++) {
                camsCpu += pct[k];
            }

            // the cameras stop after their frames (a goodbye each); then the recorders drain the window
            long sent = 0;
            long dropped = 0;
            for (ServiceProcess cam : cams) {
                cam.awaitExit(Duration.ofSeconds(90));
                // the log is appended to by every run: its last done line is this run's
                Matcher m = DONE.matcher(Files.readString(cam.log()));
                long s = 0;
                long d = 0;
                while (m.find()) {
                    s = Long.parseLong(m.group(1));
                    d = Long.parseLong(m.group(2));
                }
                sent += s;
                dropped += d;
            }
            double received = sum(ingestUrls, "cctv_ingest_frames_total");
            double written = sum(recorderUrls, "cctv_recorder_frames_written_total");
            long quiet = System.nanoTime();
            long drainDeadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (written < received && System.nanoTime() < drainDeadline) {
                Thread.sleep(1000);
                double w = sum(recorderUrls, "cctv_recorder_frames_written_total");
                if (w != written) {
                    quiet = System.nanoTime();
                    written = w;
                } else if (System.nanoTime() - quiet > Duration.ofSeconds(8).toNanos()) {
                    break;
                }
            }
            double skipped = sum(recorderUrls, "cctv_recorder_frames_skipped_total");
            if (skipped > 0) {
                notes.add(cameras + " cameras: the recorders skipped " + (long) skipped + " frames (cctv.recorder.frames.skipped)");
            }
            long diskBytes = 0;
            for (Path d : dirs) {
                diskBytes += bytesUnder(d);
            }
            double videoHours = written / FPS / 3600.0;

            rows.add(String.format(Locale.ROOT, "| %d | %.0f (%d) | %.0f | %d / %.0f / %.0f (ingest received %.0f, dropped at the edge %d) "
                            + "| %s | %s | %s | %.2f | %.0f | %.0f | %s |",
                    cameras, (in1 - in0) / dt, cameras * FPS, (rec1 - rec0) / dt, sent, written, sent - written, received,
                    dropped, join(pct, 0, INGESTS), join(pct, INGESTS, RECORDERS),
                    join(pct, INGESTS + RECORDERS, NatsTestCluster.SIZE), server / cameras, camsCpu, other, load));
            memory.add(String.format(Locale.ROOT, "| %d | %.0f → %.0f | %.0f → %.0f | %.0f → %.0f | %.2f | %.1f |", cameras,
                    idleIngestMb, streamIngestMb, idleRecorderMb, streamRecorderMb, idleNatsMb, streamNatsMb,
                    (streamIngestMb + streamRecorderMb + streamNatsMb - idleIngestMb - idleRecorderMb - idleNatsMb) / cameras,
                    videoHours > 0 ? diskBytes / 1e6 / videoHours : 0));
            counts.add(countRow);
            System.out.println("step: " + rows.get(rows.size() - 1) + "\nstep: " + memory.get(memory.size() - 1)
                    + "\nstep: " + countRow);
            if (connected < cameras) {
                notes.add(cameras + " cameras: only " + (long) connected + " sessions opened within 90 s");
            }
        } finally {
            for (int i = services.size() - 1; i >= 0; i--) {
                services.get(i).stop();
            }
            cluster.close();
            for (Path d : dirs) {
                deleteTree(d);
            }
        }
    }

    /** The row of counts: what NATS holds for this many cameras. */
    private static String counts(NatsTestCluster cluster, int cameras)
            throws IOException, InterruptedException, io.nats.client.JetStreamApiException {
        Map<String, Integer> subsByClient = new TreeMap<>();
        int connections = 0;
        List<String> subsz = new ArrayList<>();
        for (int n = 0; n < NatsTestCluster.SIZE; n++) {
            String base = "http://127.0.0.1:" + cluster.monitorPort(n);
            JsonNode connz = json(base + "/connz?subs=1&limit=4096");
            for (JsonNode c : connz.path("connections")) {
                connections++;
                subsByClient.merge(c.path("name").asText("?"), c.path("subscriptions").asInt(), Integer::sum);
            }
            subsz.add(String.valueOf(json(base + "/subsz").path("num_subscriptions").asLong()));
        }
        Map<String, int[]> consumers = new TreeMap<>();
        try (Connection nc = Nats.connect(new Options.Builder().servers(cluster.url().split(","))
                .connectionTimeout(Duration.ofSeconds(10)).build())) {
            JetStreamManagement jsm = nc.jetStreamManagement(io.nats.client.JetStreamOptions.builder()
                    .requestTimeout(Duration.ofSeconds(20)).build());
            for (String stream : jsm.getStreamNames()) {
                for (ConsumerInfo ci : jsm.getConsumers(stream)) {
                    String durable = ci.getConsumerConfiguration().getDurable();
                    consumers.computeIfAbsent(stream, k -> new int[2])[durable == null || durable.isEmpty() ? 1 : 0]++;
                }
            }
        }
        StringBuilder cons = new StringBuilder();
        consumers.forEach((s, dc) -> cons.append(cons.length() == 0 ? "" : ", ").append(s).append(' ').append(dc[0])
                .append(" / ").append(dc[1]));
        return String.format(Locale.ROOT, "| %d | %s | %s | %s | %s | %d |", cameras, clientSubs(subsByClient, "cctv-ingest-"),
                clientSubs(subsByClient, "cctv-recorder-"), String.join(", ", subsz), cons, connections);
    }

    private static String clientSubs(Map<String, Integer> byClient, String prefix) {
        List<String> parts = new ArrayList<>();
        byClient.forEach((name, n) -> {
            if (name.startsWith(prefix)) {
                parts.add(String.valueOf(n));
            }
        });
        return String.join(", ", parts);
    }

    private static Map<String, String> natsEnv(NatsTestCluster cluster, String name) {
        Map<String, String> env = new HashMap<>();
        env.put("CCTV_NATS_URL", cluster.url());
        env.put("CCTV_NATS_REPLICAS", "3");
        env.put("CCTV_NATS_FRAMES_REPLICAS", "1");
        env.put("CCTV_NATS_CONNECTION_NAME", "cctv-" + name);
        return env;
    }

    /** As camera-client names simulated cameras: {@code s1-01}, or {@code s1-001} past 99. */
    private static String simulatedId(String prefix, int i, int count) {
        int digits = Math.max(2, String.valueOf(count).length());
        return prefix + "-" + String.format("%0" + digits + "d", i);
    }

    /** The sum of a Prometheus metric (every tag set) over the services' {@code /q/metrics}. */
    private static double sum(List<String> urls, String metric) throws Exception {
        double total = 0;
        for (String url : urls) {
            String body = HTTP.send(HttpRequest.newBuilder(URI.create(url + "/q/metrics")).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            Matcher m = PROM.matcher(body);
            while (m.find()) {
                if (m.group(1).equals(metric)) {
                    total += Double.parseDouble(m.group(3));
                }
            }
        }
        return total;
    }

    private static double[] cpu(List<Long> pids) {
        double[] s = new double[pids.size()];
        for (int i = 0; i < s.length; i++) {
            s[i] = ServiceProcess.cpuSeconds(pids.get(i));
        }
        return s;
    }

    /** Busy seconds of the whole machine (every core) from {@code /proc/stat}. */
    private static double machineBusySeconds() throws IOException {
        String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
        long busy = 0;
        for (int i = 1; i < f.length && i <= 8; i++) {
            if (i != 4 && i != 5) { // idle, iowait
                busy += Long.parseLong(f[i]);
            }
        }
        return busy / 100.0;
    }

    private static String loadAverage() throws IOException {
        String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
        return f[0] + " " + f[1] + " " + f[2];
    }

    private static double rssMb(List<ServiceProcess> ps) throws IOException {
        double mb = 0;
        for (ServiceProcess p : ps) {
            mb += rssMbOf(new long[] {p.pid()});
        }
        return mb;
    }

    private static double rssMbOf(long[] pids) throws IOException {
        double mb = 0;
        for (long pid : pids) {
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    mb += Long.parseLong(line.replaceAll("\\D", "")) / 1024.0;
                }
            }
        }
        return mb;
    }

    private static String join(double[] v, int from, int n) {
        List<String> parts = new ArrayList<>();
        for (int i = from; i < from + n; i++) {
            parts.add(String.format(Locale.ROOT, "%.0f", v[i]));
        }
        return String.join(", ", parts);
    }

    private static long bytesUnder(Path d) throws IOException {
        try (var paths = Files.walk(d)) {
            return paths.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }

    private static void deleteTree(Path d) {
        try (var paths = Files.walk(d)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // temporary
        }
    }

    private static JsonNode json(String url) throws IOException, InterruptedException {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
        return Events.mapper().readTree(r.body());
    }
}
