package io.github.cctv.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.cctv.protocol.Subjects;
import io.github.cctv.protocol.event.CameraEvent;
import io.github.cctv.protocol.event.CameraStatus;
import io.github.cctv.protocol.event.Events;
import io.github.cctv.protocol.event.RecordingCommand;
import io.github.cctv.protocol.event.RecordingReply;
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
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * recorder-service run as a process for a benchmark stage, and what the stage asks of it: start recording
 * every camera of a prefix as soon as it connects (through the control subject, pre-roll covering the frames
 * before), wait until each camera's recording is closed, list the recordings, and check them with ffprobe.
 */
final class RecorderService implements AutoCloseable {

    private final Connection nc;
    private final ServiceProcess process;
    private final Path recordings;
    private final String api;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final ExecutorService starter = Executors.newCachedThreadPool();
    private final Dispatcher events;
    private final KeyValue registry;
    private final List<String> recordedPrefixes = new CopyOnWriteArrayList<>();
    private final Map<String, String> startResults = new ConcurrentHashMap<>();
    private final Set<String> disconnected = ConcurrentHashMap.newKeySet();
    private final Set<String> segmentCompleted = ConcurrentHashMap.newKeySet();
    private final List<String> failures = Collections.synchronizedList(new ArrayList<>());

    /** Starts recorder-service on {@code nats}, recordings in {@code logDir/recordings}, and waits until it is ready. */
    RecorderService(Benchmark bench, NatsTestServer nats, Connection nc) throws IOException {
        this(bench, nats, nc, List.of());
    }

    /**
     * The same, with {@code alwaysRecord} cameras recorded from the recorder's start, as a site that records every
     * camera configures it: no command, so every frame from the moment a camera connects is recorded.
     */
    RecorderService(Benchmark bench, NatsTestServer nats, Connection nc, List<String> alwaysRecord) throws IOException {
        this.nc = nc;
        this.recordings = bench.logDir.resolve("recordings");
        Files.createDirectories(recordings);
        int port = NatsTestServer.freePort();
        this.api = "http://127.0.0.1:" + port;
        this.events = nc.createDispatcher(m -> onEvent(m.getData()));
        events.subscribe(Subjects.EVENTS_ALL);
        this.registry = nc.keyValue(Subjects.CAMERAS_BUCKET);
        this.process = ServiceProcess.startQuarkus(bench.root, "recorder-service", port,
                Map.of("CCTV_NATS_URL", nats.url(), "CCTV_RECORDER_ROOT", recordings.toString(),
                        "CCTV_RECORDER_ALWAYS_RECORD", String.join(",", alwaysRecord)), bench.logDir)
                .awaitHealthy(api + "/q/health/ready", Duration.ofSeconds(90));
    }

    String api() {
        return api;
    }

    Path root() {
        return recordings;
    }

    ServiceProcess process() {
        return process;
    }

    /** From now on every camera whose id starts with {@code prefix} is recorded from the moment it connects. */
    void recordOnConnect(String prefix) {
        recordedPrefixes.add(prefix);
    }

    /** What problems the recorder reported (recording failures) or the waits ran into, for cameras of {@code prefix}. */
    List<String> failures(String prefix) {
        synchronized (failures) {
            return failures.stream().filter(f -> f.startsWith(prefix)).toList();
        }
    }

    /** How the start commands of {@code prefix}'s cameras were answered, as {@code {started=16}}. */
    String startSummary(String prefix) {
        Map<String, Long> counts = new TreeMap<>();
        startResults.forEach((id, r) -> {
            if (id.startsWith(prefix)) {
                counts.merge(r, 1L, Long::sum);
            }
        });
        return counts.toString();
    }

    private void onEvent(byte[] json) {
        CameraEvent event;
        try {
            event = Events.eventFromJson(json);
        } catch (IllegalArgumentException e) {
            return;
        }
        String id = event.cameraId();
        if (event instanceof CameraEvent.CameraConnected) {
            if (recordedPrefixes.stream().anyMatch(id::startsWith)) {
                starter.submit(() -> startRecording(id));
            }
        } else if (event instanceof CameraEvent.CameraDisconnected) {
            disconnected.add(id);
        } else if (event instanceof CameraEvent.SegmentCompleted) {
            segmentCompleted.add(id);
        } else if (event instanceof CameraEvent.RecordingFailed f) {
            failures.add(id + ": recording failed: " + f.message());
        }
    }

    /** Starts recording {@code id} as soon as the registry knows it online (the recorder refuses unknown cameras). */
    private void startRecording(String id) {
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

    /**
     * Waits until every camera of {@code ids} has disconnected and has a completed segment, and none of
     * {@code prefix}'s segments is open; returns them all (what there is, with a failure noted, on time-out).
     */
    List<JsonNode> awaitClosedSegments(String prefix, List<String> ids, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<JsonNode> segments = List.of();
        while (System.nanoTime() < deadline) {
            segments = segments(prefix);
            boolean allClosed = disconnected.containsAll(ids) && segmentCompleted.containsAll(ids)
                    && segments.stream().noneMatch(s -> s.path("open").asBoolean());
            if (allClosed) {
                return segments;
            }
            Benchmark.pause(500);
        }
        long gone = ids.stream().filter(disconnected::contains).count();
        long completed = ids.stream().filter(segmentCompleted::contains).count();
        failures.add(prefix + ": not every segment closed within " + timeout.toSeconds() + " s (disconnected "
                + gone + ", with a completed segment " + completed + " of " + ids.size() + ")");
        return segments;
    }

    /** The recordings of cameras whose id starts with {@code prefix}, from {@code GET /api/recordings}. */
    List<JsonNode> segments(String prefix) throws IOException, InterruptedException {
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

    /** Frames in the index of {@code id}'s segments. */
    static long framesOf(List<JsonNode> segments, String id) {
        return segments.stream().filter(s -> id.equals(s.path("cameraId").asText())).mapToLong(s -> s.path("frames").asLong()).sum();
    }

    /** Sum of a numeric field over segments. */
    static long sum(List<JsonNode> segments, String field) {
        return segments.stream().mapToLong(s -> s.path(field).asLong()).sum();
    }

    /** The file of a segment on disk. */
    Path file(JsonNode segment) {
        return recordings.resolve(segment.path("path").asText()); // .mkv (JPEG) or .mp4 (H.264)
    }

    /** What a real demuxer finds in the segments: packets per file, compared with the index. */
    record Probe(long packets, long files, long mismatches, List<String> mismatchLines, String skipped) {
        String summary() {
            return skipped != null ? "ffprobe check skipped: " + skipped
                    : String.format("ffprobe packet count matches the index in %d of %d files", files - mismatches, files);
        }
    }

    Probe probe(List<JsonNode> segments) {
        long packets = 0;
        long mismatches = 0;
        List<String> lines = new ArrayList<>();
        for (JsonNode s : segments) {
            Path file = file(s);
            String counted = ffprobeFrames(file);
            if (counted.startsWith("?")) {
                return new Probe(0, 0, 0, List.of(), counted);
            }
            packets += Long.parseLong(counted);
            if (!counted.equals(String.valueOf(s.path("frames").asLong()))) {
                mismatches++;
                lines.add("ffprobe counts " + counted + " packets in " + file.getFileName() + ", the index says " + s.path("frames").asLong());
            }
        }
        return new Probe(packets, segments.size(), mismatches, lines, null);
    }

    /** Bytes of recordings on disk under the recordings folder. */
    long bytesOnDisk() {
        try (Stream<Path> files = Files.walk(recordings)) {
            return files.filter(p -> p.toString().endsWith(".mkv") || p.toString().endsWith(".mp4"))
                    .mapToLong(p -> p.toFile().length()).sum();
        } catch (IOException e) {
            return -1;
        }
    }

    /** Video packets in {@code file} by {@code ffprobe -count_packets}, or {@code ?(why)}. */
    static String ffprobeFrames(Path file) {
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

    @Override
    public void close() {
        try {
            events.unsubscribe(Subjects.EVENTS_ALL);
            nc.closeDispatcher(events);
        } finally {
            starter.shutdownNow();
            process.close();
        }
    }
}
