package io.github.cctv.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.cctv.camera.CameraSimulator;
import io.github.cctv.camera.StreamListener;
import io.github.cctv.testing.NatsTestServer;
import io.github.cctv.testing.ServiceProcess;
import io.nats.client.Connection;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Every camera of the largest count recorded: recorder-service runs as a process, the simulated cameras
 * send a fixed number of frames each and say goodbye, and each camera's recording is started through the
 * control subject as soon as the camera is in the registry (pre-roll covers the frames sent before).
 * When every camera has gone and its segment is closed, the frames the recorder wrote are compared with
 * the frames the cameras sent; also measured: recorder CPU, disk bytes per camera-hour and the speed of
 * an MP4 export.
 */
final class RecorderStage {

    private final Benchmark bench;
    private final NatsTestServer nats;
    private final Connection nc;
    private final int ingestPort;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final Map<String, AtomicLong> sent = new ConcurrentHashMap<>();
    private final List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());

    RecorderStage(Benchmark bench, NatsTestServer nats, Connection nc, int ingestPort) {
        this.bench = bench;
        this.nats = nats;
        this.nc = nc;
        this.ingestPort = ingestPort;
    }

    void run() throws Exception {
        Benchmark.Settings opts = bench.opts;
        int n = opts.maxCameras();
        String prefix = "rec" + n;
        long frameLimit = Math.round(opts.recordSeconds() * opts.fps());
        try (RecorderService recorderService = new RecorderService(bench, nats, nc)) {
            ServiceProcess recorder = recorderService.process();
            String api = recorderService.api();
            recorderService.recordOnConnect(prefix);
            CameraSimulator sim = bench.simulator(prefix, n, ingestPort, id -> {
                AtomicLong count = sent.computeIfAbsent(id, k -> new AtomicLong());
                return new StreamListener() {
                    @Override
                    public void onFrameSent(long seq, long captureMicros, byte[] jpeg) {
                        count.incrementAndGet();
                    }
                };
            }, frameLimit);
            double cpu0 = recorder.cpuSeconds();
            long t0 = System.nanoTime();
            sim.start();
            // steady state: every camera recording, the pre-roll caught up, cameras still streaming
            double steadyCpu = Double.NaN;
            double steadyWall = Double.NaN;
            double behind = Double.NaN;
            String steadyBreakdown = "no steady-state window (--record-seconds under 15)";
            if (opts.recordSeconds() >= 15) {
                Benchmark.pause(10_000);
                CpuWindow window = bench.cpuWindow(Map.of("recorder", List.of(recorder.pid())));
                Benchmark.pause((opts.recordSeconds() - 12) * 1000L);
                CpuWindow.Used used = window.end();
                steadyCpu = used.seconds("recorder");
                steadyWall = used.wall();
                steadyBreakdown = "while streaming " + used.breakdown("recorder", "ingest", "NATS");
                behind = Benchmark.metric(http, api + "/q/metrics", null, "cctv_recorder_frames_behind", "");
            }
            boolean done = sim.awaitDone(Duration.ofSeconds(opts.recordSeconds() + 120L));
            if (!done) {
                failures.add("the cameras did not finish their " + frameLimit + " frames in time");
                sim.stop();
            }
            double camerasDone = (System.nanoTime() - t0) / 1e9;
            List<JsonNode> segments = recorderService.awaitClosedSegments(prefix, sim.ids(), Duration.ofSeconds(120));
            double wall = (System.nanoTime() - t0) / 1e9;
            double cpu = recorder.cpuSeconds() - cpu0;

            long sentFrames = sent.values().stream().mapToLong(AtomicLong::get).sum();
            if (sentFrames < frameLimit * n) {
                failures.add("the cameras sent " + sentFrames + " of " + frameLimit * n + " frames (is ingest healthy? see its log)");
            }
            long written = RecorderService.sum(segments, "frames");
            long bytes = RecorderService.sum(segments, "bytes");
            long camerasShort = sim.ids().stream()
                    .filter(id -> RecorderService.framesOf(segments, id) < sent.getOrDefault(id, new AtomicLong()).get()).count();
            double cameraSeconds = written / opts.fps();
            Export export = export(api, segments);

            bench.line("");
            bench.line("### Every camera recorded (" + n + " cameras, " + opts.width() + "x" + opts.height() + ", "
                    + Benchmark.fmt(opts.fps()) + " fps, " + opts.codec().wireName() + ", " + frameLimit + " frames = "
                    + opts.recordSeconds() + " s per camera, format copy)");
            bench.line("");
            bench.line("| cameras | frames sent | frames written | frames lost | recorder CPU % of a core per camera, while streaming | recorder CPU % per camera, whole run | disk GB per camera-hour | MP4 export speed × real time |");
            bench.line("|---|---|---|---|---|---|---|---|");
            bench.line(String.format("| %d | %d | %d | %d (%d cameras short) | %.2f | %.2f | %.1f | %s |",
                    n, sentFrames, written, sentFrames - written, camerasShort,
                    100 * steadyCpu / steadyWall / n, 100 * cpu / cameraSeconds,
                    bytes / cameraSeconds * 3600 / 1e9, export.speed()));
            bench.line("");
            bench.line(String.format("- Cameras done after %.1f s, every segment closed after %.1f s; %d segments; "
                            + "recording starts: %s; frames not yet written at the end of the streaming window: %.0f; %s",
                    camerasDone, wall, segments.size(), recorderService.startSummary(prefix), behind, export.detail()));
            bench.line("- CPU " + steadyBreakdown + ".");
            RecorderService.Probe probe = recorderService.probe(segments);
            probe.mismatchLines().forEach(l -> bench.line("- " + l));
            bench.line(String.format("- %s; %.1f MB of .mkv/.mp4 on disk", probe.summary(), recorderService.bytesOnDisk() / 1e6));
            recorderService.failures(prefix).forEach(f -> bench.line("- Problem: " + f));
            failures.forEach(f -> bench.line("- Problem: " + f));
        }
    }

    private record Export(String speed, String detail) {
    }

    /** Times the MP4 export of the longest recording. */
    private Export export(String api, List<JsonNode> segments) {
        JsonNode longest = segments.stream().max((a, b) -> Long.compare(a.path("frames").asLong(), b.path("frames").asLong())).orElse(null);
        if (longest == null) {
            return new Export("–", "no recording to export");
        }
        String id = longest.path("id").asText();
        double videoSeconds = longest.path("frames").asLong() / bench.opts.fps();
        try {
            Path mp4 = bench.logDir.resolve(id + ".mp4");
            long t0 = System.nanoTime();
            HttpResponse<Path> r = http.send(HttpRequest.newBuilder(URI.create(api + "/api/recordings/" + id + "/export.mp4"))
                    .timeout(Duration.ofMinutes(10)).build(), HttpResponse.BodyHandlers.ofFile(mp4));
            double elapsed = (System.nanoTime() - t0) / 1e9;
            if (r.statusCode() != 200) {
                return new Export("failed", "MP4 export of " + id + " answered " + r.statusCode());
            }
            String frames = RecorderService.ffprobeFrames(mp4);
            return new Export(String.format("%.1f", videoSeconds / elapsed),
                    String.format("MP4 export of %s: %.1f s of video in %.2f s, %.1f MB, %s frames by ffprobe",
                            id, videoSeconds, elapsed, Files.size(mp4) / 1e6, frames));
        } catch (Exception e) {
            return new Export("failed", "MP4 export of " + id + " failed: " + e);
        }
    }
}
