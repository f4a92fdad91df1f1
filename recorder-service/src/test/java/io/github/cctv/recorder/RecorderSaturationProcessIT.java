package io.github.cctv.recorder;

import io.github.cctv.recorder.domain.recording.Frame;
import io.github.cctv.recorder.domain.store.Recording;
import io.github.cctv.recorder.domain.store.RecordingId;
import io.github.cctv.recorder.domain.store.RecordingIndex;
import io.github.cctv.recorder.domain.store.RecordingLayout;
import io.github.cctv.recorder.media.FfmpegSegmentProbe;
import io.github.cctv.recorder.media.MkvCopyWriter;
import io.github.cctv.testing.NatsTestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The packaged recorder under viewers that go away: 210 MJPEG playbacks of a ten-minute recording, each closed by its
 * client right after the first answer, must not keep the JSON API or the health check from answering within a
 * second; playbacks beyond the limit are refused with 503 and Retry-After, and those that started end with their
 * clients. An MP4 export whose client leaves stops and leaves no file. Runs after {@code package}.
 */
class RecorderSaturationProcessIT {

    private static final String CAM = "busy-cam";
    private static final Instant START = Instant.parse("2026-11-25T12:00:00Z");
    private static final Path ROOT = Path.of("target", "saturation-it-recordings").toAbsolutePath();

    static NatsTestServer nats;
    static Process recorder;
    static int port;
    static String longId;
    static String exportId;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    @BeforeAll
    static void start() throws Exception {
        if (Files.exists(ROOT)) {
            try (Stream<Path> s = Files.walk(ROOT)) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        RecordingIndex index = new RecordingIndex(new RecordingLayout(ROOT, ZoneId.of("UTC")), new FfmpegSegmentProbe());
        longId = write(index, START, 120, 5000); // ten minutes, a frame every 5 s
        exportId = write(index, START.plusSeconds(3600), 3000, 40); // two minutes at 25 fps, to re-encode
        nats = NatsTestServer.start();
        Path jar = Path.of("target", "quarkus-app", "quarkus-run.jar");
        assertThat(jar).as("run `package` first").exists();
        port = NatsTestServer.freePort();
        recorder = new ProcessBuilder(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dcctv.nats.url=" + nats.url(),
                "-Dcctv.recorder.root=" + ROOT,
                "-Dquarkus.http.port=" + port,
                "-jar", jar.toString()))
                .redirectErrorStream(true)
                .redirectOutput(Path.of("target", "saturation-it.log").toFile())
                .start();
        HttpClient client = HttpClient.newHttpClient();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).until(() -> {
            assertThat(recorder.isAlive()).as("recorder process alive, see target/saturation-it.log").isTrue();
            try {
                return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health/ready"))
                        .build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
            } catch (IOException e) {
                return false;
            }
        });
    }

    /** A JPEG segment of {@code frames} frames {@code stepMs} apart, with its sidecar, as the recorder leaves one. */
    private static String write(RecordingIndex index, Instant start, int frames, long stepMs) throws Exception {
        RecordingId id = index.layout().newSegment(CAM, start);
        Path file = index.layout().videoOf(id, "mkv");
        List<byte[]> pictures = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            pictures.add(TestFrames.jpeg(i));
        }
        try (MkvCopyWriter w = new MkvCopyWriter(file, TestFrames.WIDTH, TestFrames.HEIGHT)) {
            for (int i = 0; i < frames; i++) {
                w.write(new Frame(CAM, i + 1, i, 0, 0, TestFrames.WIDTH, TestFrames.HEIGHT, "jpeg",
                        pictures.get(i % pictures.size()), 0, () -> { }), i * stepMs);
            }
        }
        index.save(new Recording(id.value(), CAM, start, start.plusMillis((frames - 1) * stepMs), frames,
                Files.size(file), index.layout().relative(file), false, frames));
        return id.value();
    }

    @AfterAll
    static void stop() throws Exception {
        if (recorder != null && recorder.isAlive()) {
            recorder.destroy();
            recorder.waitFor();
        }
        if (nats != null) {
            nats.close();
        }
    }

    private int status(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(1)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private double metric(String name) throws Exception {
        String text = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/metrics"))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).body();
        return text.lines().filter(l -> l.startsWith(name + " ") || l.startsWith(name + "{")).findFirst()
                .map(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).orElseThrow();
    }

    /** Sends a GET on a raw socket and reads the answer's head: its status line and headers. */
    private static String head(Socket s, String path) throws IOException {
        s.setSoTimeout(10_000);
        OutputStream out = s.getOutputStream();
        out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        InputStream in = s.getInputStream();
        StringBuilder b = new StringBuilder();
        while (!b.toString().endsWith("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) {
                break;
            }
            b.append((char) c);
        }
        return b.toString();
    }

    @Test
    void abandonedPlaybacksHoldNeitherTheApiNorHealthAndEndWithTheirClients() throws Exception {
        Map<String, Integer> answers = new TreeMap<>();
        boolean retryAfter = true;
        List<Socket> viewers = new ArrayList<>();
        try {
            for (int i = 0; i < 210; i++) {
                Socket s = new Socket("127.0.0.1", port);
                viewers.add(s);
                String head = head(s, "/api/recordings/" + longId + "/play");
                String status = head.length() < 12 ? "none" : head.substring(9, 12);
                answers.merge(status, 1, Integer::sum);
                if (status.equals("503")) {
                    retryAfter &= head.toLowerCase().contains("retry-after: 5");
                }
            }
            assertThat(answers).as("16 playbacks at once, the rest refused").containsEntry("200", 16)
                    .containsEntry("503", 194);
            assertThat(retryAfter).as("every 503 says when to try again").isTrue();
            // saturated: the API and the health check still answer within a second
            for (int i = 0; i < 10; i++) {
                assertThat(status("/api/recordings?camera=" + CAM)).isEqualTo(200);
                assertThat(status("/q/health/ready")).isEqualTo(200);
            }
            assertThat(metric("cctv_recorder_playbacks_active")).isEqualTo(16);
        } finally {
            for (Socket s : viewers) {
                s.close(); // as 210 browser tabs that went away
            }
        }
        for (int i = 0; i < 10; i++) {
            assertThat(status("/api/recordings?camera=" + CAM)).isEqualTo(200);
            assertThat(status("/q/health/ready")).isEqualTo(200);
        }
        // every playback ended with its client, in the middle of a 5 s pause between two frames
        await().atMost(Duration.ofSeconds(3)).until(() -> metric("cctv_recorder_playbacks_active") == 0);
        try (Socket s = new Socket("127.0.0.1", port)) {
            assertThat(head(s, "/api/recordings/" + longId + "/play")).startsWith("HTTP/1.1 200");
        }
    }

    @Test
    void anExportWhoseClientLeavesStopsAndLeavesNoFile() throws Exception {
        Path exports = ROOT.resolve(".exports");
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.getOutputStream().write(("GET /api/recordings/" + exportId + "/export.mp4 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            // the export is being made: its file grows in the export folder
            await().atMost(Duration.ofSeconds(20)).until(() -> exportFiles(exports) > 0);
            assertThat(metric("cctv_recorder_exports_active")).isEqualTo(1);
        } // the client leaves before the answer
        await().atMost(Duration.ofSeconds(5)).until(() -> exportFiles(exports) == 0);
        await().atMost(Duration.ofSeconds(5)).until(() -> metric("cctv_recorder_exports_active") == 0);
    }

    private static long exportFiles(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.count();
        }
    }
}
