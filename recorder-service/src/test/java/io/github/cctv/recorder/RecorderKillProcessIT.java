package io.github.cctv.recorder;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.cctv.protocol.event.Events;
import io.github.cctv.protocol.event.RecordingReply;
import io.github.cctv.testing.NatsTestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The packaged recorder, as a real process, killed with SIGKILL mid-recording: the file it leaves plays, and once
 * restarted it continues the recording with no frame missing and none twice; for a JPEG camera (Matroska) and for an
 * H.264 camera (fragmented MP4, killed in the middle of a fragment). Runs after {@code package}.
 */
class RecorderKillProcessIT {

    private static final String CAM = "kill-cam";

    /** Under target/ so that a failed run leaves its files to look at. */
    final Path root = Path.of("target", "kill-it-recordings").toAbsolutePath();

    NatsTestServer nats;
    NatsFixture fixture;
    Process recorder;
    int port;
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void setUp() throws Exception {
        if (Files.exists(root)) {
            try (var s = Files.walk(root)) {
                s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        Files.createDirectories(root);
        nats = NatsTestServer.start();
        fixture = new NatsFixture(nats.url()).withFrameStream();
        fixture.register(CAM);
    }

    @AfterEach
    void tearDown() throws Exception {
        if (recorder != null && recorder.isAlive()) {
            recorder.toHandle().destroyForcibly();
            recorder.waitFor();
        }
        fixture.close();
        nats.close();
    }

    private void startRecorder(String logName) throws IOException {
        Path jar = Path.of("target", "quarkus-app", "quarkus-run.jar");
        assertThat(jar).as("run `package` first").exists();
        port = NatsTestServer.freePort();
        ProcessBuilder pb = new ProcessBuilder(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dcctv.nats.url=" + nats.url(),
                "-Dcctv.recorder.root=" + root,
                "-Dquarkus.http.port=" + port,
                "-Dcctv.recorder.flush-interval=300ms",
                "-Dcctv.recorder.ack-wait=2s",
                "-jar", jar.toString()))
                .redirectErrorStream(true)
                .redirectOutput(Path.of("target", logName).toFile());
        recorder = pb.start();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).until(() -> {
            assertThat(recorder.isAlive()).as("recorder process alive, see target/" + logName).isTrue();
            try {
                return get("/q/health/ready").statusCode() == 200;
            } catch (IOException e) {
                return false;
            }
        });
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private long framesRecorded() throws Exception {
        long sum = 0;
        for (JsonNode r : Events.mapper().readTree(get("/api/recordings?camera=" + CAM).body())) {
            sum += r.get("frames").asLong();
        }
        return sum;
    }

    private List<Path> segments() throws IOException {
        return segments(".mkv");
    }

    private List<Path> segments(String ext) throws IOException {
        try (var s = Files.walk(root)) {
            return s.filter(p -> p.toString().endsWith(ext)).sorted().toList();
        }
    }

    /** The camera's segment files as the API lists them, oldest first. */
    private List<Path> segmentsByStart() throws Exception {
        List<Path> out = new ArrayList<>();
        for (JsonNode r : Events.mapper().readTree(get("/api/recordings?camera=" + CAM).body())) {
            out.add(0, root.resolve(r.get("path").asText()));
        }
        return out;
    }

    private static String ffprobe(Path file, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("ffprobe", "-v", "error"));
        cmd.addAll(List.of(args));
        cmd.add(file.toString());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as("ffprobe exit, output: " + out).isZero();
        return out.trim();
    }

    @Test
    void killedRecorderLeavesAPlayableFileAndContinuesWithNoMissingFrame() throws Exception {
        startRecorder("kill-first-run.log");
        assertThat(fixture.control(CAM, "start").result()).isEqualTo(RecordingReply.STARTED);
        long t0 = NatsFixture.nowUs();
        fixture.frames(CAM, 0, 50, t0, 40);
        await().atMost(Duration.ofSeconds(30)).until(() -> framesRecorded() == 50);
        fixture.frames(CAM, 50, 80, t0, 40);
        recorder.toHandle().destroyForcibly(); // SIGKILL: no shutdown hook, no trailer
        recorder.waitFor();

        List<Path> left = segments();
        assertThat(left).hasSize(1);
        List<TestFrames.Decoded> survived = TestFrames.decode(left.get(0));
        assertThat(survived.size()).isGreaterThanOrEqualTo(50);
        assertThat(TestFrames.counters(survived)).isEqualTo(IntStream.range(0, survived.size()).boxed().toList());

        startRecorder("kill-second-run.log");
        // the crashed segment was cut back to its last flush: ffprobe reads it without a single error
        assertThat(ffprobe(left.get(0), "-count_frames", "-select_streams", "v:0",
                "-show_entries", "stream=nb_read_frames", "-of", "csv=p=0")).matches("\\d+");
        fixture.frames(CAM, 80, 100, t0, 40);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(framesRecorded()).isEqualTo(100));
        assertThat(fixture.control(CAM, "stop").result()).isEqualTo(RecordingReply.STOPPED);

        // in start order: two segments begun within one second are named X and X-1, which sort the other way
        List<Path> all = segmentsByStart();
        assertThat(all).hasSizeGreaterThanOrEqualTo(2);
        List<Integer> counters = new ArrayList<>();
        for (Path p : all) {
            assertThat(ffprobe(p, "-show_entries", "format=format_name", "-of", "csv=p=0")).contains("matroska");
            counters.addAll(TestFrames.counters(TestFrames.decode(p)));
        }
        assertThat(counters).isEqualTo(IntStream.range(0, 100).boxed().toList());
    }

    @Test
    void killedMidFragmentTheH264RecorderLeavesAPlayableMp4AndContinuesOnAKeyframeWithNoFrameMissingOrTwice()
            throws Exception {
        int w = TestFrames.WIDTH;
        int h = TestFrames.HEIGHT;
        List<H264TestStream.AccessUnit> units = H264TestStream.units(w, h, 10, 150); // a keyframe every 10 frames
        startRecorder("kill-h264-first-run.log");
        assertThat(fixture.control(CAM, "start").result()).isEqualTo(RecordingReply.STARTED);
        long t0 = NatsFixture.nowUs();
        for (int i = 0; i < 50; i++) {
            fixture.h264(CAM, units.get(i), t0 + i * 33_333L, w, h);
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> framesRecorded() == 50);
        for (int i = 50; i < 85; i++) {
            fixture.h264(CAM, units.get(i), t0 + i * 33_333L, w, h);
        }
        recorder.toHandle().destroyForcibly(); // SIGKILL while those frames go into a fragment not yet ended
        recorder.waitFor();

        List<Path> left = segments(".mp4");
        assertThat(left).hasSize(1);
        List<TestFrames.Decoded> survived = TestFrames.decode(left.get(0));
        assertThat(survived.size()).as("every flushed frame plays").isGreaterThanOrEqualTo(50);
        assertThat(TestFrames.counters(survived)).isEqualTo(IntStream.range(0, survived.size()).boxed().toList());

        startRecorder("kill-h264-second-run.log");
        // cut back to right before its last keyframe: ffprobe decodes it without an error, the next segment starts there
        assertThat(MediaProbe.decodeErrors(left.get(0))).isEmpty();
        int kept = TestFrames.decode(left.get(0)).size();
        assertThat(kept % 10).as("ends right before a keyframe").isZero();
        assertThat(kept).isGreaterThanOrEqualTo(40);
        for (int i = 85; i < 150; i++) {
            fixture.h264(CAM, units.get(i), t0 + i * 33_333L, w, h);
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(framesRecorded()).isEqualTo(150));
        assertThat(fixture.control(CAM, "stop").result()).isEqualTo(RecordingReply.STOPPED);

        List<Path> all = segmentsByStart();
        assertThat(all).hasSizeGreaterThanOrEqualTo(2).allSatisfy(p -> assertThat(p.toString()).endsWith(".mp4"));
        List<Integer> counters = new ArrayList<>();
        for (Path p : all) {
            assertThat(MediaProbe.ffprobe(p).codec()).isEqualTo("h264");
            assertThat(MediaProbe.decodeErrors(p)).isEmpty();
            List<MediaProbe.Packet> packets = MediaProbe.packets(p);
            assertThat(packets.get(0).key()).as(p.getFileName() + " starts on a keyframe").isTrue();
            counters.addAll(TestFrames.counters(TestFrames.decode(p)));
        }
        assertThat(counters).isEqualTo(IntStream.range(0, 150).boxed().toList());
        assertThat(segments(".json.tmp")).isEmpty();
    }
}
