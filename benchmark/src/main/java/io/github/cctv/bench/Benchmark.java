package io.github.cctv.bench;

import io.github.cctv.camera.CameraSimulator;
import io.github.cctv.camera.StreamListener;
import io.github.cctv.protocol.wire.Codec;
import io.github.cctv.testing.NatsTestServer;
import io.github.cctv.testing.ServiceProcess;
import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.Options;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Streams N simulated cameras through the real ingest service (a separate process) into a real NATS and
 * measures what reaches a subscriber: frames per second, frames lost, capture→receive latency, and the
 * CPU that ingest, NATS and the load generator used. Then, if asked, the same with dashboard viewers and
 * with every camera recording. Prints Markdown tables; run it with {@code ./bench.sh}.
 */
public final class Benchmark {

    final Settings opts;
    final Path root = Path.of("").toAbsolutePath();
    final Path logDir;
    final List<String> report = new ArrayList<>();
    /** The ingest service process, while it runs. */
    ServiceProcess ingest;
    /** The private NATS server, while it runs. */
    NatsTestServer nats;

    private Benchmark(Settings opts) {
        this.opts = opts;
        this.logDir = root.resolve(".run/bench-" + Instant.now().toString().replace(':', '-'));
    }

    /** Command-line settings. */
    record Settings(int[] cameras, double fps, int width, int height, double quality, int seconds,
                   int[] viewers, boolean record, int recordSeconds, int warmup, Codec codec, EdgeStage.Kind edge,
                   int probeCameras) {

        static Settings parse(String[] args) {
            int[] cameras = {1, 4, 8, 16};
            double fps = 30;
            int width = 1280;
            int height = 720;
            double quality = 0.9;
            int seconds = 20;
            int[] viewers = {};
            boolean record = false;
            int recordSeconds = 30;
            int warmup = 3;
            Codec codec = Codec.JPEG;
            EdgeStage.Kind edge = null;
            int probeCameras = 0;
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                switch (a) {
                    case "--cameras" -> cameras = ints(args[++i]);
                    case "--fps" -> fps = Double.parseDouble(args[++i]);
                    case "--size" -> {
                        String[] wh = args[++i].split("x");
                        width = Integer.parseInt(wh[0]);
                        height = Integer.parseInt(wh[1]);
                    }
                    case "--quality" -> quality = Double.parseDouble(args[++i]);
                    case "--seconds" -> seconds = Integer.parseInt(args[++i]);
                    case "--viewers" -> viewers = ints(args[++i]);
                    case "--record" -> record = true;
                    case "--record-seconds" -> recordSeconds = Integer.parseInt(args[++i]);
                    case "--warmup" -> warmup = Integer.parseInt(args[++i]);
                    case "--codec" -> codec = Codec.ofName(args[++i]);
                    case "--edge" -> edge = EdgeStage.Kind.SIMULATE;
                    case "--bridge" -> edge = EdgeStage.Kind.of(args[++i]);
                    case "--probe-cameras" -> probeCameras = Integer.parseInt(args[++i]);
                    case "-h", "--help" -> {
                        System.out.println("""
                                ./bench.sh [--cameras 1,4,8,16] [--fps 30] [--size 1280x720] [--quality 0.9] [--seconds 20]
                                           [--viewers 1,4,10] [--record] [--record-seconds 30] [--warmup 3]
                                           [--codec jpeg|h264] [--edge | --bridge mjpeg|rtsp] [--probe-cameras K]
                                  --cameras   camera counts to run, one row each (ingest → NATS)
                                  --fps, --size, --quality   what every simulated camera sends (test pattern)
                                  --codec     what the simulated cameras send: jpeg (default; --quality) or h264
                                              (camera-client's defaults: libopenh264, 0.07 bit per pixel, IDR each second)
                                  --seconds   measured seconds per row (after the warm-up)
                                  --warmup    seconds streamed before each ingest row is measured (3); about 25 s
                                              measures steady state, after NATS has filled the frame stream
                                  --viewers   dashboard WebSocket viewer counts, with the largest camera count; each
                                              viewer watches every camera at full rate; with more than one viewer, one
                                              of them reads only every 250 ms, and a control row with all viewers fast
                                              follows
                                  --record    record every camera of the largest count for --record-seconds (frame
                                              limit, then goodbye) and compare frames written with frames sent;
                                              also recorder CPU, disk per camera-hour, MP4 export speed
                                  --edge      instead of the stages above: per camera count, one camera-client process
                                              --simulate N in --codec, every camera recorded; frames lost, camera link,
                                              edge and server CPU per camera, disk per camera-hour, capture → NATS latency
                                  --bridge    the same with real cameras, each bridged by its own camera-client process:
                                              mjpeg = ffmpeg serving multipart MJPEG over HTTP (-listen 1), rtsp =
                                              GStreamer's RTSP server (H.264 over RTSP/TCP); both play a clip encoded once
                                              (frame counters burned in) by stream copy, so the cameras cost little
                                  --probe-cameras   with --edge or --bridge: the benchmark's own NATS subscriber
                                              takes the frames of the first K cameras of a row only (latency, camera
                                              link), the others counted from ingest's registry entries, so that NATS
                                              serves the system's consumers and K cameras more, not every camera twice
                                              (default: every camera)
                                """);
                        System.exit(0);
                    }
                    default -> throw new IllegalArgumentException("unknown option " + a + " (try --help)");
                }
            }
            return new Settings(cameras, fps, width, height, quality, seconds, viewers, record, recordSeconds, warmup,
                    codec, edge, probeCameras);
        }

        private static int[] ints(String csv) {
            return Arrays.stream(csv.split(",")).map(String::trim).filter(s -> !s.isEmpty()).mapToInt(Integer::parseInt).toArray();
        }

        int maxCameras() {
            return Arrays.stream(cameras).max().orElse(16);
        }
    }

    public static void main(String[] args) throws Exception {
        Locale.setDefault(Locale.ROOT);
        new Benchmark(Settings.parse(args)).run();
    }

    private void run() throws Exception {
        line("Machine: " + Runtime.getRuntime().availableProcessors() + " cores, " + System.getProperty("os.name") + " "
                + System.getProperty("os.arch") + ", Java " + System.getProperty("java.version") + ", " + Instant.now());
        line("Logs: " + root.relativize(logDir));
        try (NatsTestServer nats = NatsTestServer.start()) {
            int ingestPort = NatsTestServer.freePort();
            int ingestHttp = NatsTestServer.freePort();
            try (ServiceProcess ingest = ServiceProcess.startQuarkus(root, "ingest-service", ingestHttp,
                    // the load generator's simulated cameras carry no token: authentication costs one check per connection
                    Map.of("CCTV_NATS_URL", nats.url(), "CCTV_INGEST_PORT", String.valueOf(ingestPort),
                            "CCTV_INGEST_ALLOW_UNAUTHENTICATED", "true",
                            // plain TCP on the camera port: these numbers are of ingest, not of TLS (docs/benchmarks.md)
                            "CCTV_INGEST_TLS_ENABLED", "false"), logDir)
                    .awaitHealthy("http://127.0.0.1:" + ingestHttp + "/q/health/ready", Duration.ofSeconds(90));
                 Connection nc = Nats.connect(new Options.Builder().server(nats.url()).connectionName("benchmark")
                         .maxMessagesInOutgoingQueue(100_000).build())) {
                this.ingest = ingest;
                this.nats = nats;
                if (opts.edge() != null) {
                    new EdgeStage(this, nats, nc, ingestPort).run();
                    return;
                }
                ingestStage(ingest, nc, ingestPort);
                if (opts.viewers().length > 0) {
                    new DashboardStage(this, nats, nc, ingestPort).run();
                }
                if (opts.record()) {
                    new RecorderStage(this, nats, nc, ingestPort).run();
                }
            }
        } finally {
            writeReport();
        }
    }

    private void writeReport() throws IOException {
        Path out = logDir.resolve("report.md");
        Files.createDirectories(logDir);
        Files.write(out, report);
        System.out.println("\nReport written to " + root.relativize(out));
    }

    private void ingestStage(ServiceProcess ingest, Connection nc, int ingestPort) throws Exception {
        line("");
        line("### Cameras → ingest → NATS subscriber (" + opts.width() + "x" + opts.height() + ", " + fmt(opts.fps())
                + " fps target, " + opts.codec().wireName() + ", " + opts.seconds() + " s measured per row)");
        line("");
        line("| cameras | frames/s delivered | frames/s target | frames lost | mean frame KB | latency p50 ms | latency p99 ms | ingest CPU % of a core per camera | NATS CPU % | load generator CPU % | other processes CPU % |");
        line("|---|---|---|---|---|---|---|---|---|---|---|");
        try (FrameProbe probe = new FrameProbe(nc)) {
            for (int n : opts.cameras()) {
                String prefix = "bench" + n;
                AtomicLong bytes = new AtomicLong();
                AtomicLong sent = new AtomicLong();
                StreamListener counting = new StreamListener() {
                    @Override
                    public void onFrameSent(long seq, long captureMicros, byte[] jpeg) {
                        bytes.addAndGet(jpeg.length);
                        sent.incrementAndGet();
                    }
                };
                CameraSimulator sim = simulator(prefix, n, ingestPort, id -> counting);
                sim.start();
                pause(opts.warmup() * 1000L); // warm-up: connections, JIT, and (if long enough) the stream filling up
                long frames0 = probe.frames(prefix);
                CpuWindow window = cpuWindow(Map.of());
                probe.startMeasuring();
                pause(opts.seconds() * 1000L);
                probe.stopMeasuring();
                CpuWindow.Used used = window.end();
                double wall = used.wall();
                long delivered = probe.frames(prefix) - frames0;
                sim.stop();
                pause(1000); // let the last frames arrive
                long lost = sent.get() - probe.frames(prefix);
                line(String.format("| %d | %.1f | %.0f | %d (gaps %d) | %.0f | %.2f | %.2f | %.2f | %.1f | %.1f | %.1f |",
                        n, delivered / wall, n * opts.fps(), lost, probe.gaps(prefix), bytes.get() / 1024.0 / Math.max(1, sent.get()),
                        probe.latency().percentileMillis(50), probe.latency().percentileMillis(99),
                        100 * used.cores("ingest") / n, 100 * used.cores("NATS"), 100 * used.self() / wall, 100 * used.others() / wall));
            }
            if (probe.droppedByClient() > 0) {
                line("");
                line("(the probe itself dropped " + probe.droppedByClient() + " messages as a slow consumer: lost counts include them)");
            }
        }
    }

    CameraSimulator simulator(String prefix, int n, int ingestPort, java.util.function.Function<String, StreamListener> listeners) {
        return simulator(prefix, n, ingestPort, listeners, 0);
    }

    /** Cameras {@code <prefix>-01…}, each stopping with a goodbye after {@code frameLimit} frames (0 = never). */
    CameraSimulator simulator(String prefix, int n, int ingestPort, java.util.function.Function<String, StreamListener> listeners,
                              long frameLimit) {
        return CameraSimulator.builder().server("127.0.0.1", ingestPort).idPrefix(prefix).cameras(n)
                .size(opts.width(), opts.height()).fps(opts.fps()).quality(opts.quality()).codec(opts.codec()).cycleFrames(30)
                .frameLimit(frameLimit).listeners(listeners).build();
    }

    /** A CPU window over ingest, NATS and {@code more} (name → processes), in that order. */
    CpuWindow cpuWindow(Map<String, List<Long>> more) {
        Map<String, List<Long>> groups = new java.util.LinkedHashMap<>();
        groups.put("ingest", List.of(ingest.pid()));
        groups.put("NATS", List.of(nats.pid()));
        groups.putAll(more);
        return new CpuWindow(groups);
    }

    /**
     * Sum of the Prometheus samples of {@code name} at {@code url} whose line contains {@code labelText}; NaN if
     * unreachable. {@code authorization}: an {@code Authorization} header value, or null.
     */
    static double metric(HttpClient http, String url, String authorization, String name, String labelText) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5));
            if (authorization != null) {
                request.header("Authorization", authorization);
            }
            HttpResponse<String> r = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                return Double.NaN;
            }
            String body = r.body();
            double sum = 0;
            for (String line : body.split("\n")) {
                if (line.startsWith(name) && line.contains(labelText)) {
                    sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                }
            }
            return sum;
        } catch (IOException e) {
            return Double.NaN;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Double.NaN;
        }
    }

    /** CPU time the whole machine spent busy (all cores, every process and the kernel), from {@code /proc/stat}, seconds. */
    static double machineBusySeconds() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            // cpu user nice system idle iowait irq softirq steal …: busy = all but idle and iowait
            long busy = 0;
            for (int i = 1; i <= 8 && i < f.length; i++) {
                if (i != 4 && i != 5) {
                    busy += Long.parseLong(f[i]);
                }
            }
            return busy / 100.0; // USER_HZ
        } catch (IOException e) {
            return Double.NaN;
        }
    }

    static double selfCpu() {
        return ServiceProcess.cpuSeconds(ManagementFactory.getRuntimeMXBean().getPid());
    }

    void line(String s) {
        System.out.println(s);
        report.add(s);
    }

    static String fmt(double d) {
        return d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d);
    }

    static void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
