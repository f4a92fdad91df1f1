package io.github.cctv.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.cctv.camera.CameraSimulator;
import io.github.cctv.camera.StreamListener;
import io.github.cctv.protocol.Subjects;
import io.github.cctv.protocol.event.CameraEvent;
import io.github.cctv.protocol.event.CameraStatus;
import io.github.cctv.protocol.event.Events;
import io.github.cctv.protocol.event.RecordingCommand;
import io.github.cctv.protocol.event.RecordingReply;
import io.github.cctv.protocol.wire.Message;
import io.github.cctv.testing.NatsTestServer;
import io.github.cctv.testing.ServiceProcess;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.KeyValue;
import io.nats.client.api.KeyValueEntry;

import java.io.IOException;
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
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

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
    private final Map<String, String> startResults = new ConcurrentHashMap<>();
    private final Set<String> disconnected = ConcurrentHashMap.newKeySet();
    private final Set<String> segmentCompleted = ConcurrentHashMap.newKeySet();
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
        Path recordings = bench.logDir.resolve("recordings");
        Files.createDirectories(recordings);
        int port = NatsTestServer.freePort();
        String api = "http://127.0.0.1:" + port;
        ExecutorService starter = Executors.newCachedThreadPool();
        Dispatcher events = nc.createDispatcher(m -> onEvent(prefix, m.getData()));
        events.subscribe(Subjects.EVENTS_ALL);
        try (ServiceProcess recorder = ServiceProcess.startQuarkus(bench.root, "recorder-service", port,
                Map.of("CCTV_NATS_URL", nats.url(), "CCTV_RECORDER_ROOT", recordings.toString()), bench.logDir)
                .awaitHealthy(api + "/q/health/ready", Duration.ofSeconds(90))) {
            KeyValue registry = nc.keyValue(Subjects.CAMERAS_BUCKET);
            CameraSimulator sim = bench.simulator(prefix, n, ingestPort, id -> {
                AtomicLong count = sent.computeIfAbsent(id, k -> new AtomicLong());
                return new StreamListener() {
                    @Override
                    public void onConnected(Message.Accept accept) {
                        starter.submit(() -> startRecording(registry, id));
                    }

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
                double a = recorder.cpuSeconds();
                double ingestA = bench.ingest.cpuSeconds();
                double natsA = ServiceProcess.cpuSeconds(nats.pid());
                double selfA = Benchmark.selfCpu();
                double busyA = Benchmark.machineBusySeconds();
                long ta = System.nanoTime();
                Benchmark.pause((opts.recordSeconds() - 12) * 1000L);
                steadyCpu = recorder.cpuSeconds() - a;
                steadyWall = (System.nanoTime() - ta) / 1e9;
                double ingestCpu = bench.ingest.cpuSeconds() - ingestA;
                double natsCpu = ServiceProcess.cpuSeconds(nats.pid()) - natsA;
                double selfCpu = Benchmark.selfCpu() - selfA;
                double others = Benchmark.machineBusySeconds() - busyA - steadyCpu - ingestCpu - natsCpu - selfCpu;
                steadyBreakdown = String.format("while streaming (%.0f s): recorder %.0f %%, ingest %.0f %%, NATS %.0f %%, "
                                + "load generator %.0f %%, other processes %.0f %% of one core", steadyWall,
                        100 * steadyCpu / steadyWall, 100 * ingestCpu / steadyWall, 100 * natsCpu / steadyWall,
                        100 * selfCpu / steadyWall, 100 * Math.max(0, others) / steadyWall);
                behind = Benchmark.metric(http, api + "/q/metrics", null, "cctv_recorder_frames_behind", "");
            }
            boolean done = sim.awaitDone(Duration.ofSeconds(opts.recordSeconds() + 120L));
            if (!done) {
                failures.add("the cameras did not finish their " + frameLimit + " frames in time");
                sim.stop();
            }
            double camerasDone = (System.nanoTime() - t0) / 1e9;
            List<JsonNode> segments = awaitClosedSegments(api, prefix, sim.ids(), Duration.ofSeconds(120));
            double wall = (System.nanoTime() - t0) / 1e9;
            double cpu = recorder.cpuSeconds() - cpu0;

            long sentFrames = sent.values().stream().mapToLong(AtomicLong::get).sum();
            if (sentFrames < frameLimit * n) {
                failures.add("the cameras sent " + sentFrames + " of " + frameLimit * n + " frames (is ingest healthy? see its log)");
            }
            long written = segments.stream().mapToLong(s -> s.path("frames").asLong()).sum();
            long bytes = segments.stream().mapToLong(s -> s.path("bytes").asLong()).sum();
            long camerasShort = sim.ids().stream().filter(id -> framesOf(segments, id) < sent.getOrDefault(id, new AtomicLong()).get()).count();
            double cameraSeconds = written / opts.fps();
            Export export = export(api, segments);

            bench.line("");
            bench.line("### Every camera recorded (" + n + " cameras, " + opts.width() + "x" + opts.height() + ", "
                    + Benchmark.fmt(opts.fps()) + " fps, " + frameLimit + " frames = " + opts.recordSeconds()
                    + " s per camera, format copy)");
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
                    camerasDone, wall, segments.size(), summary(startResults.values()), behind, export.detail()));
            bench.line("- CPU " + steadyBreakdown + ".");
            bench.line("- " + probe(recordings, segments));
            failures.forEach(f -> bench.line("- Problem: " + f));
        } finally {
            events.unsubscribe(Subjects.EVENTS_ALL);
            nc.closeDispatcher(events);
            starter.shutdownNow();
        }
    }

    /** Starts recording {@code id} as soon as the registry knows it online (the recorder refuses unknown cameras). */
    private void startRecording(KeyValue registry, String id) {
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (System.nanoTime() < deadline) {
                KeyValueEntry e = registry.get(id);
                if (e != null && e.getValue() != null && Events.read(e.getValue(), CameraStatus.class).online()) {
                    break;
                }
                Benchmark.pause(10);
            }
            RecordingReply reply = null;
            for (int attempt = 0; attempt < 20; attempt++) {
                io.nats.client.Message m = nc.request(Subjects.recordingControl(id),
                        Events.write(new RecordingCommand(RecordingCommand.START, "benchmark")), Duration.ofSeconds(5));
                reply = m == null ? null : Events.read(m.getData(), RecordingReply.class);
                if (reply != null && (RecordingReply.STARTED.equals(reply.result())
                        || RecordingReply.ALREADY_RECORDING.equals(reply.result()))) {
                    break;
                }
                Benchmark.pause(100);
            }
            startResults.merge(id, reply == null ? "no reply" : reply.result(), (a, b) -> a + "+" + b);
        } catch (Exception e) {
            startResults.merge(id, "failed: " + e, (a, b) -> a + "+" + b);
        }
    }

    private void onEvent(String prefix, byte[] json) {
        CameraEvent event;
        try {
            event = Events.eventFromJson(json);
        } catch (IllegalArgumentException e) {
            return;
        }
        if (!event.cameraId().startsWith(prefix)) {
            return;
        }
        if (event instanceof CameraEvent.CameraDisconnected) {
            disconnected.add(event.cameraId());
        } else if (event instanceof CameraEvent.SegmentCompleted) {
            segmentCompleted.add(event.cameraId());
        } else if (event instanceof CameraEvent.RecordingFailed f) {
            failures.add("recording failed for " + f.cameraId() + ": " + f.message());
        }
    }

    /** Waits until every camera has disconnected and has a completed segment, and none is open; returns them all. */
    private List<JsonNode> awaitClosedSegments(String api, String prefix, List<String> ids, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<JsonNode> segments = List.of();
        while (System.nanoTime() < deadline) {
            segments = recordings(api, prefix);
            boolean allClosed = disconnected.containsAll(ids) && segmentCompleted.containsAll(ids)
                    && segments.stream().noneMatch(s -> s.path("open").asBoolean());
            if (allClosed) {
                return segments;
            }
            Benchmark.pause(500);
        }
        failures.add("not every segment closed within " + timeout.toSeconds() + " s (disconnected "
                + disconnected.size() + ", with a completed segment " + segmentCompleted.size() + " of " + ids.size() + ")");
        return segments;
    }

    private List<JsonNode> recordings(String api, String prefix) throws IOException, InterruptedException {
        HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(api + "/api/recordings?limit=10000"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofByteArray());
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode s : Events.mapper().readTree(r.body())) {
            if (s.path("cameraId").asText().startsWith(prefix)) {
                out.add(s);
            }
        }
        return out;
    }

    private static long framesOf(List<JsonNode> segments, String id) {
        return segments.stream().filter(s -> id.equals(s.path("cameraId").asText())).mapToLong(s -> s.path("frames").asLong()).sum();
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
            String frames = ffprobeFrames(mp4);
            return new Export(String.format("%.1f", videoSeconds / elapsed),
                    String.format("MP4 export of %s: %.1f s of video in %.2f s, %.1f MB, %s frames by ffprobe",
                            id, videoSeconds, elapsed, Files.size(mp4) / 1e6, frames));
        } catch (Exception e) {
            return new Export("failed", "MP4 export of " + id + " failed: " + e);
        }
    }

    /** Cross-checks the index with a real demuxer: packets in each camera's first file. */
    private String probe(Path root, List<JsonNode> segments) {
        long mismatches = 0;
        long checked = 0;
        for (JsonNode s : segments) {
            Path file = root.resolve(s.path("path").asText()); // .mkv (JPEG) or .mp4 (H.264)
            String counted = ffprobeFrames(file);
            if (counted.startsWith("?")) {
                return "ffprobe check skipped: " + counted;
            }
            checked++;
            if (!counted.equals(String.valueOf(s.path("frames").asLong()))) {
                mismatches++;
                bench.line("- ffprobe counts " + counted + " packets in " + file.getFileName() + ", the index says " + s.path("frames").asLong());
            }
        }
        long onDisk;
        try (Stream<Path> files = Files.walk(root)) {
            onDisk = files.filter(p -> p.toString().endsWith(".mkv") || p.toString().endsWith(".mp4"))
                    .mapToLong(p -> p.toFile().length()).sum();
        } catch (IOException e) {
            onDisk = -1;
        }
        return String.format("ffprobe packet count matches the index in %d of %d files; %.1f MB of .mkv/.mp4 on disk",
                checked - mismatches, checked, onDisk / 1e6);
    }

    private static String ffprobeFrames(Path file) {
        try {
            Process p = new ProcessBuilder("ffprobe", "-v", "error", "-count_packets", "-select_streams", "v:0",
                    "-show_entries", "stream=nb_read_packets", "-of", "csv=p=0", file.toString())
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).trim();
            return p.waitFor() == 0 ? out : "?(" + out + ")";
        } catch (IOException e) {
            return "?(no ffprobe)";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "?(interrupted)";
        }
    }

    private static String summary(java.util.Collection<String> results) {
        Map<String, Long> counts = new java.util.TreeMap<>();
        results.forEach(r -> counts.merge(r, 1L, Long::sum));
        return counts.toString();
    }
}
