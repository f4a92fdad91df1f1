package io.github.cctv.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.cctv.testing.CameraProcess;
import io.github.cctv.testing.CounterStrip;
import io.github.cctv.testing.NatsTestServer;
import io.github.cctv.testing.ServiceProcess;
import io.github.cctv.testing.VideoTools;
import io.nats.client.Connection;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Cameras at the edge as a site runs them: per camera count, camera-client processes (the packaged jar)
 * stream into the real ingest, NATS and recorder, and every camera is recorded. The cameras are either
 * one camera-client simulating N of them ({@code --simulate N}, pre-encoded in {@code --codec}), or N real
 * cameras, each bridged by its own camera-client: ffmpeg serving multipart MJPEG over HTTP, or GStreamer's
 * RTSP server serving H.264. The real cameras play a clip encoded once, with frame counters burned in
 * ({@link CounterStrip}), by stream copy, so they cost little; each camera sends the clip's frames once, from
 * its first to its last, and camera-client stops with a goodbye after that many frames. Frames lost = the
 * frames the cameras sent (the clip's frame count, checked with ffprobe) minus the packets ffprobe counts
 * in the camera's recordings.
 */
final class EdgeStage {

    /** Where the cameras come from. */
    enum Kind {
        SIMULATE("sim"), MJPEG("mjpeg"), RTSP("rtsp");

        final String tag;

        Kind(String tag) {
            this.tag = tag;
        }

        static Kind of(String name) {
            return switch (name) {
                case "mjpeg" -> MJPEG;
                case "rtsp" -> RTSP;
                default -> throw new IllegalArgumentException("--bridge takes mjpeg or rtsp, not " + name);
            };
        }
    }

    /** Seconds of clip beyond warm-up and measurement, plus one per camera: camera-client JVMs start one after another. */
    private static final int LEAD_SECONDS = 10;

    private final Benchmark bench;
    private final NatsTestServer nats;
    private final Connection nc;
    private final int ingestPort;
    private final Benchmark.Settings opts;
    private final Kind kind;
    private final Path camerasDir;

    EdgeStage(Benchmark bench, NatsTestServer nats, Connection nc, int ingestPort) {
        this.bench = bench;
        this.nats = nats;
        this.nc = nc;
        this.ingestPort = ingestPort;
        this.opts = bench.opts;
        this.kind = opts.edge();
        this.camerasDir = bench.logDir.resolve("cameras");
    }

    void run() throws Exception {
        int fps = fps();
        long frames = framesPerCamera();
        Path jar = bench.root.resolve("camera-client/target/camera-client.jar");
        Clip clip = kind == Kind.SIMULATE ? null : Clip.make(kind, bench.root.resolve(".run/bench-clips"), opts.width(),
                opts.height(), fps, frames);
        bench.line("");
        bench.line("### " + title() + " → ingest → NATS → recorder, every camera recorded (" + opts.width() + "x"
                + opts.height() + ", " + fps + " fps, " + frames + " frames per camera, " + opts.seconds() + " s measured per row)");
        bench.line("");
        if (clip != null) {
            bench.line("Source clip: " + clip.describe(fps) + ".");
            bench.line("");
        }
        bench.line("| cameras | frames sent by the cameras | frames recorded (ffprobe) | frames lost | dropped at the edge "
                + "| camera link Mbit/s per camera | edge CPU, core per camera | server CPU, core per camera (ingest + recorder + NATS) "
                + "| disk GB per camera-hour | capture → NATS p50 / p99 ms | cameras (sources) CPU % | other processes CPU % |");
        bench.line("|---|---|---|---|---|---|---|---|---|---|---|---|");
        List<String> notes = new ArrayList<>();
        List<String> everyCamera = new ArrayList<>();
        for (int n : opts.cameras()) {
            everyCamera.addAll(ids(n));
        }
        try (RecorderService recorder = new RecorderService(bench, nats, nc, everyCamera);
             FrameProbe probe = new FrameProbe(nc, opts.probeCameras() <= 0)) {
            for (int n : opts.cameras()) {
                row(n, frames, clip, jar, recorder, probe, notes);
            }
        }
        bench.line("");
        notes.forEach(bench::line);
    }

    /** The cameras of the row with {@code n} cameras (camera-client's names for {@code --simulate n}). */
    private List<String> ids(int n) {
        List<String> ids = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            ids.add(String.format("%s-%02d", kind.tag + n, i));
        }
        return ids;
    }

    private String title() {
        return switch (kind) {
            case SIMULATE -> "One camera-client simulating the cameras (" + opts.codec().wireName() + ", pre-encoded)";
            case MJPEG -> "HTTP MJPEG cameras (ffmpeg), each bridged by a camera-client";
            case RTSP -> "RTSP H.264 cameras (GStreamer, RTSP/TCP), each bridged by a camera-client";
        };
    }

    private void row(int n, long frames, Clip clip, Path jar, RecorderService recorder, FrameProbe probe,
                     List<String> notes) throws Exception {
        String prefix = kind.tag + n;
        String match = prefix + "-";
        List<String> ids = ids(n);
        List<String> probed = opts.probeCameras() <= 0 ? ids : ids.subList(0, Math.min(n, opts.probeCameras()));
        probe.follow(probed);
        List<ServiceProcess> edge = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        String load = loadAverage();
        try (Sources sources = Sources.start(kind, clip, n, camerasDir.resolve(prefix))) {
            long t0 = System.nanoTime();
            if (kind == Kind.SIMULATE) {
                edge.add(cameraClient(jar, prefix, List.of("--id", prefix, "--simulate", String.valueOf(n),
                        "--size", opts.width() + "x" + opts.height(), "--fps", Benchmark.fmt(opts.fps()),
                        "--codec", opts.codec().wireName(), "--quality", String.valueOf(opts.quality()))));
            } else {
                for (int i = 0; i < n; i++) {
                    edge.add(cameraClient(jar, ids.get(i), List.of("--id", ids.get(i), "--source", sources.urls().get(i))));
                }
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while (probe.camerasSeen(ids) < n && System.nanoTime() < deadline) {
                Benchmark.pause(100);
            }
            double allStreaming = (System.nanoTime() - t0) / 1e9;
            if (probe.camerasSeen(ids) < n) {
                problems.add(probe.camerasSeen(ids) + " of " + n + " cameras reached NATS within 120 s");
            }
            Benchmark.pause(opts.warmup() * 1000L);
            Map<String, List<Long>> groups = new LinkedHashMap<>();
            groups.put("recorder", List.of(recorder.process().pid()));
            groups.put("edge", edge.stream().map(ServiceProcess::pid).toList());
            groups.put("cameras", sources.pids());
            long bytes0 = probe.bytes(match);
            CpuWindow window = bench.cpuWindow(groups);
            probe.startMeasuring();
            Benchmark.pause(opts.seconds() * 1000L);
            probe.stopMeasuring();
            CpuWindow.Used used = window.end();
            long linkBytes = probe.bytes(match) - bytes0;
            if (Double.isNaN(used.seconds("edge"))) {
                problems.add("a camera-client had exited before the end of the measured window");
            }
            // each camera-client stops by itself after the clip's frames; one that lost some never gets there and is
            // stopped (goodbye) once no frame of the row has arrived for 5 s after the clips' end
            long stopped = awaitQuiet(edge, probe, match, t0 + Duration.ofMillis(frames * 1000 / Math.max(1, fps())).toNanos());
            List<JsonNode> segments = recorder.awaitClosedSegments(match, ids, Duration.ofSeconds(60));
            long sent = 0;
            long dropped = 0;
            for (ServiceProcess p : edge) {
                Optional<CameraClientLog.Done> done = CameraClientLog.done(Files.readAllLines(p.log()));
                if (done.isEmpty()) {
                    problems.add(p.log().getFileName() + ": neither a closing 'done:' line nor a stats line");
                } else {
                    sent += done.get().sent();
                    dropped += done.get().dropped();
                    if (done.get().reconnects() > 0) {
                        problems.add(p.log().getFileName() + ": " + done.get().reconnects() + " reconnects");
                    }
                }
            }
            RecorderService.Probe files = recorder.probe(segments);
            long recorded = files.skipped() == null ? files.packets() : RecorderService.sum(segments, "frames");
            long indexed = RecorderService.sum(segments, "frames");
            double cameraSeconds = recorded / opts.fps();
            double server = used.cores("ingest") + used.cores("recorder") + used.cores("NATS");
            long source = frames * n;
            String where = kind == Kind.SIMULATE ? "" : "; " + whereLost(recorder, segments, ids, frames, prefix);
            bench.line(String.format(Locale.ROOT,
                    "| %d | %d | %d | %d (%.2f %%) | %d | %.2f | %.3f | %.3f | %.2f | %.1f / %.1f | %.1f | %.1f |",
                    n, source, recorded, source - recorded, 100.0 * (source - recorded) / source, dropped,
                    linkBytes * 8 / 1e6 / used.wall() / probed.size(), used.cores("edge") / n, server / n,
                    RecorderService.sum(segments, "bytes") / cameraSeconds * 3600 / 1e9,
                    probe.latency().percentileMillis(50), probe.latency().percentileMillis(99),
                    100 * used.cores("cameras"), 100 * used.others() / used.wall()));
            notes.add(String.format(Locale.ROOT, "- %d (load average %s at the start): every camera streaming %.1f s after the first camera-client started; "
                            + "%d camera-clients stopped after their frames stopped coming; camera-clients reported %d frames sent, %d dropped; %d segments, %d frames in the index; "
                            + "every camera in the recorder's always-record list; the benchmark's NATS subscriber on %s; %s%s; CPU %s",
                    n, load, allStreaming, stopped, sent, dropped, segments.size(), indexed,
                    probed.size() == n ? "every camera's frames" : probed.size() + " of the " + n + " cameras' frames (latency "
                            + "and camera link from those; the others counted from the registry)",
                    files.summary(), where, used.breakdown("ingest", "recorder", "NATS", "edge", "cameras")));
            files.mismatchLines().forEach(l -> notes.add("  - " + l));
            recorder.failures(match).forEach(f -> notes.add("  - Problem: " + f));
            problems.forEach(p -> notes.add("  - Problem: " + p));
        } finally {
            edge.forEach(ServiceProcess::close);
        }
    }

    /** Waits for the edge processes to exit; those still running once the row has been quiet are stopped; how many. */
    private static long awaitQuiet(List<ServiceProcess> edge, FrameProbe probe, String match, long clipsEnd) {
        long last = -1;
        long quietSince = System.nanoTime();
        long giveUp = clipsEnd + Duration.ofSeconds(120).toNanos();
        while (edge.stream().anyMatch(ServiceProcess::isAlive)) {
            long now = System.nanoTime();
            long count = probe.frames(match);
            if (count != last) {
                last = count;
                quietSince = now;
            }
            if (now > giveUp || (now > clipsEnd && now - quietSince > Duration.ofSeconds(5).toNanos())) {
                break;
            }
            Benchmark.pause(250);
        }
        long stopped = edge.stream().filter(ServiceProcess::isAlive).count();
        edge.stream().filter(ServiceProcess::isAlive).forEach(ServiceProcess::stop);
        return stopped;
    }

    /** Frames each camera sends: warm-up, measured window, and the lead for camera-clients that start late. */
    private long framesPerCamera() {
        return (long) fps() * (opts.warmup() + opts.seconds() + LEAD_SECONDS + opts.maxCameras());
    }

    /** The 1-minute load average: how busy the machine was with other work when a row started. */
    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException e) {
            return "?";
        }
    }

    private int fps() {
        return (int) Math.round(opts.fps());
    }

    /** Where the frames went missing, by the counters of each camera's first and last recorded picture. */
    private String whereLost(RecorderService recorder, List<JsonNode> segments, List<String> ids, long frames, String prefix)
            throws IOException, InterruptedException {
        long start = 0;
        long end = 0;
        long middle = 0;
        long unread = 0;
        long firstMax = 0;
        for (String id : ids) {
            List<Path> files = segments.stream().filter(s -> id.equals(s.path("cameraId").asText()))
                    .sorted(java.util.Comparator.comparing(s -> s.path("start").asText()))
                    .map(recorder::file).toList();
            Counters.Span span = Counters.of(files, camerasDir.resolve(prefix).resolve("counters-" + id));
            long recorded = files.stream().mapToLong(f -> {
                String c = RecorderService.ffprobeFrames(f);
                return c.startsWith("?") ? 0 : Long.parseLong(c);
            }).sum();
            Counters.Missing m = span.missing(frames, recorded);
            if (m == null) {
                unread++;
                continue;
            }
            start += m.start();
            end += m.end();
            middle += m.middle();
            firstMax = Math.max(firstMax, span.first());
        }
        return String.format(Locale.ROOT, "by the burned-in counters: %d frames missing before each camera's first "
                        + "recorded one (first recorded counter at most %d), %d after its last, %d in between%s",
                start, firstMax, end, middle, unread > 0 ? " (" + unread + " cameras' counters unreadable)" : "");
    }

    private ServiceProcess cameraClient(Path jar, String name, List<String> cameraArgs) {
        List<String> args = new ArrayList<>(List.of("--server", "127.0.0.1:" + ingestPort, "--frames",
                String.valueOf(framesPerCamera()),
                "--stats-interval", "1"));
        args.addAll(cameraArgs);
        return ServiceProcess.start("camera-" + name, jar, List.of("-Xmx256m"), args, Map.of(), bench.logDir);
    }

    /** The clip every real camera plays: made once with ffmpeg, kept under {@code .run/bench-clips/} for later runs. */
    record Clip(Path file, long frames, long bytes) {

        static Clip make(Kind kind, Path dir, int width, int height, int fps, long frames) throws Exception {
            VideoTools.requireFfmpeg();
            Files.createDirectories(dir);
            String ext = kind == Kind.MJPEG ? "mkv" : "mp4";
            Path file = dir.resolve(String.format("%s-%dx%d-%d-%d.%s", kind.tag, width, height, fps, frames, ext));
            if (!Files.exists(file) || !String.valueOf(frames).equals(RecorderService.ffprobeFrames(file))) {
                List<String> cmd = new ArrayList<>(List.of("ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "error", "-y",
                        "-f", "lavfi", "-i", String.format(Locale.ROOT, "testsrc2=size=%dx%d:rate=%d", width, height, fps),
                        "-filter_complex", CounterStrip.ffmpegFilter(width, height), "-map", "[camera]",
                        "-frames:v", String.valueOf(frames)));
                if (kind == Kind.MJPEG) {
                    // about 60 KB per 720p frame, 14 Mbit/s at 30 fps: a typical HTTP MJPEG camera
                    cmd.addAll(List.of("-c:v", "mjpeg", "-q:v", "3"));
                } else {
                    // an IP camera's usual main stream: 2 Mbit/s, an IDR each second with SPS/PPS, no B-frames
                    cmd.addAll(List.of("-c:v", "libx264", "-preset", "veryfast", "-b:v", "2M", "-maxrate", "2M",
                            "-bufsize", "2M", "-g", String.valueOf(fps), "-bf", "0", "-x264-params", "repeat-headers=1",
                            "-pix_fmt", "yuv420p", "-movflags", "+faststart"));
                }
                Path tmp = dir.resolve("making-" + file.getFileName());
                cmd.add(tmp.toString());
                Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
                String out = new String(p.getInputStream().readAllBytes());
                if (p.waitFor() != 0) {
                    throw new IllegalStateException("ffmpeg could not make the clip: " + out);
                }
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
                String counted = RecorderService.ffprobeFrames(file);
                if (!String.valueOf(frames).equals(counted)) {
                    throw new IllegalStateException("the clip " + file + " has " + counted + " frames, not " + frames);
                }
            }
            return new Clip(file, frames, Files.size(file));
        }

        String describe(int fps) {
            double seconds = (double) frames / fps;
            return String.format(Locale.ROOT, "`%s`, %d frames, %.2f Mbit/s = %.2f GB per camera-hour",
                    file.getFileName(), frames, bytes * 8 / 1e6 / seconds, bytes / seconds * 3600 / 1e9);
        }
    }

    /** The camera programs of one row and the URLs camera-client opens. */
    record Sources(List<String> urls, List<CameraProcess> processes) implements AutoCloseable {

        static Sources start(Kind kind, Clip clip, int n, Path dir) throws IOException {
            List<String> urls = new ArrayList<>();
            List<CameraProcess> processes = new ArrayList<>();
            Sources sources = new Sources(urls, processes);
            try {
                if (kind == Kind.MJPEG) {
                    for (int i = 1; i <= n; i++) {
                        int port = NatsTestServer.freePort();
                        // one client, once; -re plays the clip at its own rate, copied packet by packet
                        CameraProcess p = CameraProcess.start("mjpeg-camera", List.of("ffmpeg", "-hide_banner", "-nostdin",
                                "-loglevel", "error", "-re", "-i", clip.file().toString(), "-c", "copy", "-f", "mpjpeg",
                                "-listen", "1", "-content_type", "multipart/x-mixed-replace;boundary=ffmpeg",
                                "http://127.0.0.1:" + port + "/"), dir.resolve(String.format("mjpeg-camera-%02d.log", i)));
                        processes.add(p);
                        p.await(() -> VideoTools.listening(port), Duration.ofSeconds(20), "listening on port " + port);
                        urls.add("http://127.0.0.1:" + port + "/");
                    }
                } else if (kind == Kind.RTSP) {
                    VideoTools.requireGstreamerRtspServer();
                    Path script = dir.resolve("rtsp_file_cameras.py");
                    try (InputStream in = EdgeStage.class.getResourceAsStream("rtsp_file_cameras.py")) {
                        Files.createDirectories(dir);
                        Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
                    }
                    int port = NatsTestServer.freePort();
                    Path log = dir.resolve("rtsp-cameras.log");
                    CameraProcess p = CameraProcess.start("rtsp-cameras", List.of(VideoTools.SYSTEM_PYTHON, "-u",
                            script.toString(), "--port", String.valueOf(port), "--file", clip.file().toString(),
                            "--cameras", String.valueOf(n)), log);
                    processes.add(p);
                    p.await(() -> readyMounts(log) == n, Duration.ofSeconds(30), "serving " + n + " cameras");
                    for (int i = 1; i <= n; i++) {
                        urls.add(String.format("rtsp://127.0.0.1:%d/cam%02d", port, i));
                    }
                }
                return sources;
            } catch (RuntimeException | IOException e) {
                sources.close();
                throw e;
            }
        }

        private static long readyMounts(Path log) {
            try {
                return Files.readAllLines(log).stream().filter(l -> l.startsWith("READY ")).count();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        List<Long> pids() {
            return processes.stream().map(CameraProcess::pid).toList();
        }

        @Override
        public void close() {
            processes.forEach(CameraProcess::close);
        }
    }
}
