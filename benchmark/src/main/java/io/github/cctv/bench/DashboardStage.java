package io.github.cctv.bench;

import io.github.cctv.camera.CameraSimulator;
import io.github.cctv.camera.StreamListener;
import io.github.cctv.testing.NatsTestServer;
import io.github.cctv.testing.ServiceProcess;
import io.nats.client.Connection;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * The dashboard under load: the largest camera count streams through ingest into NATS, dashboard-service
 * runs as a process, and V WebSocket viewers ({@code /ws/live}) each watch every camera at full rate. With
 * V > 1 one viewer is deliberately slow: it takes the next WebSocket message only every
 * {@link #SLOW_READ_INTERVAL_MS} ms, so TCP backpressure builds up in front of it; a row with the same V, all
 * fast, follows as the control. Measured per row: latency from capture to WebSocket receipt over the fast
 * viewers, frames per second each fast viewer got, frames the slow one got, and the dashboard's CPU.
 */
final class DashboardStage {

    /** The slow viewer reads one message, then waits this long before asking for the next. */
    static final long SLOW_READ_INTERVAL_MS = 250;

    private final Benchmark bench;
    private final NatsTestServer nats;
    private final int ingestPort;
    private final HttpClient http = HttpClient.newHttpClient();
    /** Sign-in is on by default: the viewers and the metrics scrape use HTTP Basic with a password made up here. */
    private final String password = UUID.randomUUID().toString();
    private final String authorization = "Basic " + Base64.getEncoder()
            .encodeToString(("admin:" + password).getBytes(StandardCharsets.UTF_8));
    private final ScheduledExecutorService slowReader = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "slow-viewer");
        t.setDaemon(true);
        return t;
    });

    DashboardStage(Benchmark bench, NatsTestServer nats, Connection nc, int ingestPort) {
        this.bench = bench;
        this.nats = nats;
        this.ingestPort = ingestPort;
    }

    void run() throws Exception {
        Benchmark.Settings opts = bench.opts;
        int n = opts.maxCameras();
        int port = NatsTestServer.freePort();
        bench.line("");
        bench.line("### Cameras → ingest → NATS → dashboard → WebSocket viewers (" + n + " cameras, " + opts.width() + "x"
                + opts.height() + ", " + Benchmark.fmt(opts.fps()) + " fps, every viewer watches every camera at full rate, "
                + opts.seconds() + " s measured per row)");
        bench.line("");
        bench.line("| viewers | fast viewers whose connection broke | frames/s per intact fast viewer, mean (min) | frames/s target | frames skipped for fast viewers | latency p50 ms | latency p99 ms | slow viewer frames (per s) | dashboard CPU % of a core | ingest CPU % | NATS CPU % | load generator CPU % | other processes CPU % |");
        bench.line("|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        List<String> notes = new ArrayList<>();
        try (ServiceProcess dashboard = ServiceProcess.startQuarkus(bench.root, "dashboard-service", port,
                Map.of("CCTV_NATS_URL", nats.url(), "CCTV_DASHBOARD_AUTH_USERNAME", "admin",
                        "CCTV_DASHBOARD_AUTH_PASSWORD", password), bench.logDir)
                .awaitHealthy("http://127.0.0.1:" + port + "/q/health/ready", Duration.ofSeconds(90))) {
            CameraSimulator sim = bench.simulator("dash" + n, n, ingestPort, id -> new StreamListener() {
            });
            sim.start();
            try {
                Benchmark.pause(3000); // cameras connected and in the registry
                for (int v : opts.viewers()) {
                    measure(v, v > 1, sim.ids(), dashboard, port, notes);
                    if (v > 1) {
                        // the same number of viewers, all fast: what the slow one costs the others
                        measure(v, false, sim.ids(), dashboard, port, notes);
                    }
                }
            } finally {
                sim.stop();
            }
        } finally {
            slowReader.shutdownNow();
        }
        if (!notes.isEmpty()) {
            bench.line("");
            notes.forEach(bench::line);
        }
    }

    private void measure(int v, boolean withSlow, List<String> cameras, ServiceProcess dashboard, int port, List<String> notes) throws Exception {
        Benchmark.Settings opts = bench.opts;
        String subscribe = cameras.stream().map(id -> "\"" + id + "\":0")
                .collect(Collectors.joining(",", "{\"type\":\"subscribe\",\"cameras\":{", "}}"));
        List<LiveViewer> viewers = new ArrayList<>();
        try {
            for (int i = 0; i < v; i++) {
                LiveViewer viewer = new LiveViewer(withSlow && i == 0);
                http.newWebSocketBuilder().header("Authorization", authorization).buildAsync(URI.create("ws://127.0.0.1:" + port + "/ws/live"), viewer)
                        .get(10, TimeUnit.SECONDS).sendText(subscribe, true).get(10, TimeUnit.SECONDS);
                viewers.add(viewer);
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (viewers.stream().anyMatch(w -> w.frames.get() == 0) && System.nanoTime() < deadline) {
                Benchmark.pause(100);
            }
            Benchmark.pause(3000); // warm-up: subscriptions, JIT, socket buffers of the slow viewer fill
            String metrics = "http://127.0.0.1:" + port + "/q/metrics";
            double superseded0 = Benchmark.metric(http, metrics, authorization, "cctv_dashboard_frames_dropped_total", "superseded");
            double natsDropped0 = Benchmark.metric(http, metrics, authorization, "cctv_nats_slow_consumers_total", "");
            double dashCpu0 = dashboard.cpuSeconds();
            double natsCpu0 = ServiceProcess.cpuSeconds(nats.pid());
            double selfCpu0 = Benchmark.selfCpu();
            double ingestCpu0 = bench.ingest.cpuSeconds();
            double busy0 = Benchmark.machineBusySeconds();
            long t0 = System.nanoTime();
            viewers.forEach(LiveViewer::startMeasuring);
            Benchmark.pause(opts.seconds() * 1000L);
            viewers.forEach(LiveViewer::stopMeasuring);
            double wall = (System.nanoTime() - t0) / 1e9;
            double dashCpu = dashboard.cpuSeconds() - dashCpu0;
            double natsCpu = ServiceProcess.cpuSeconds(nats.pid()) - natsCpu0;
            double selfCpu = Benchmark.selfCpu() - selfCpu0;
            double ingestCpu = bench.ingest.cpuSeconds() - ingestCpu0;
            double others = Benchmark.machineBusySeconds() - busy0 - dashCpu - natsCpu - selfCpu - ingestCpu;
            double superseded = Benchmark.metric(http, metrics, authorization, "cctv_dashboard_frames_dropped_total", "superseded") - superseded0;
            double natsDropped = Benchmark.metric(http, metrics, authorization, "cctv_nats_slow_consumers_total", "") - natsDropped0;

            List<LiveViewer> allFast = viewers.stream().filter(w -> !w.slow).toList();
            // a viewer whose connection failed during the row would count as "slow"; it is reported apart
            List<LiveViewer> fast = allFast.stream().filter(w -> w.closeReason == null).toList();
            long broken = allFast.size() - fast.size();
            Samples latency = new Samples();
            fast.forEach(w -> w.latency.copyTo(latency));
            double meanFps = fast.stream().mapToDouble(w -> w.measuredFrames() / wall).average().orElse(Double.NaN);
            double minFps = fast.stream().mapToDouble(w -> w.measuredFrames() / wall).min().orElse(Double.NaN);
            long fastFrames = fast.stream().mapToLong(LiveViewer::measuredFrames).sum();
            long fastGaps = fast.stream().mapToLong(w -> w.measuredGaps.get()).sum();
            String slow = viewers.stream().filter(w -> w.slow).findFirst()
                    .map(w -> String.format("%d (%.1f)", w.measuredFrames(), w.measuredFrames() / wall)).orElse("–");
            String label = v + (v == 1 ? "" : withSlow ? " (1 slow)" : " (all fast)");
            bench.line(String.format("| %s | %d of %d | %.1f (%.1f) | %.0f | %.1f %% | %.2f | %.2f | %s | %.0f | %.0f | %.0f | %.0f | %.0f |",
                    label, broken, allFast.size(), meanFps, minFps, cameras.size() * opts.fps(),
                    100.0 * fastGaps / Math.max(1, fastFrames + fastGaps),
                    latency.percentileMillis(50), latency.percentileMillis(99), slow,
                    100 * dashCpu / wall, 100 * ingestCpu / wall, 100 * natsCpu / wall, 100 * selfCpu / wall,
                    100 * Math.max(0, others) / wall));
            notes.add(String.format("- %s: dashboard dropped %.0f frames as superseded (slow viewer's and fast viewers'), "
                    + "%.0f as NATS slow consumer; %s", label, superseded, natsDropped, closes(viewers)));
        } finally {
            for (LiveViewer w : viewers) {
                w.close();
            }
            Benchmark.pause(1000); // the dashboard unsubscribes and settles before the next row
        }
    }

    private static String closes(List<LiveViewer> viewers) {
        Map<String, Long> reasons = viewers.stream().filter(w -> w.closeReason != null)
                .collect(Collectors.groupingBy(w -> (w.slow ? "slow" : "fast") + " viewer: " + w.closeReason,
                        java.util.TreeMap::new, Collectors.counting()));
        return reasons.isEmpty() ? "no viewer connection broke" : "connections broken: " + reasons.entrySet().stream()
                .map(e -> e.getValue() + " × " + e.getKey()).collect(Collectors.joining("; "));
    }

    /**
     * One browser page: counts complete binary frame messages, measures capture→receipt latency from the
     * frame header (camera clock, same machine), counts sequence gaps per camera (frames the dashboard
     * skipped for this viewer). Only the header bytes are copied; the JPEG is counted, not kept.
     */
    private final class LiveViewer implements WebSocket.Listener {

        /** The dashboard's binary frame header, version 2 (docs/dashboard.md): up to the capture time. */
        private static final int HEADER_MAX = 4 + 64 + 16;

        final boolean slow;
        final Samples latency = new Samples();
        final AtomicLong frames = new AtomicLong();
        final AtomicLong measuredGaps = new AtomicLong();
        private final Map<String, Long> lastSeq = new ConcurrentHashMap<>();
        private final ByteBuffer header = ByteBuffer.allocate(HEADER_MAX);
        private volatile boolean measuring;
        private volatile long framesAtStart;
        private volatile long framesAtStop = -1;
        private volatile WebSocket socket;
        volatile String closeReason;

        LiveViewer(boolean slow) {
            this.slow = slow;
        }

        void startMeasuring() {
            latency.clear();
            measuredGaps.set(0);
            framesAtStart = frames.get();
            measuring = true;
        }

        void stopMeasuring() {
            measuring = false;
            framesAtStop = frames.get();
        }

        long measuredFrames() {
            return (framesAtStop < 0 ? frames.get() : framesAtStop) - framesAtStart;
        }

        @Override
        public void onOpen(WebSocket webSocket) {
            socket = webSocket;
            // A fast viewer never holds anything back; the slow one asks for one message part at a time.
            webSocket.request(slow ? 1 : Long.MAX_VALUE);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            next(webSocket, last);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            int take = Math.min(header.remaining(), data.remaining());
            header.put(data.slice().limit(take));
            if (last) {
                long now = FrameProbe.nowMicros();
                header.flip();
                frameReceived(now);
                header.clear();
            }
            next(webSocket, last);
            return null;
        }

        private void frameReceived(long nowMicros) {
            header.get(); // version (2)
            header.get(); // flags
            header.get(); // codec
            byte[] id = new byte[header.get() & 0xff];
            header.get(id);
            long seq = header.getLong();
            long capture = header.getLong();
            String camera = new String(id, StandardCharsets.US_ASCII);
            Long previous = lastSeq.put(camera, seq);
            frames.incrementAndGet();
            if (measuring) {
                if (!slow) {
                    latency.add(nowMicros - capture);
                }
                if (previous != null && seq > previous + 1) {
                    measuredGaps.addAndGet(seq - previous - 1);
                }
            }
        }

        private void next(WebSocket webSocket, boolean endOfMessage) {
            if (!slow) {
                return;
            }
            if (endOfMessage) {
                slowReader.schedule(() -> webSocket.request(1), SLOW_READ_INTERVAL_MS, TimeUnit.MILLISECONDS);
            } else {
                webSocket.request(1);
            }
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closeReason = statusCode + " " + reason;
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            if (closeReason == null) {
                closeReason = "error: " + error + (error.getCause() == null ? "" : " caused by " + error.getCause());
            }
        }

        void close() {
            WebSocket ws = socket;
            if (ws != null) {
                ws.abort(); // the slow viewer could not read a close handshake in time
            }
        }
    }
}
