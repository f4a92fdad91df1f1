package io.github.cctv.recorder;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.cctv.protocol.event.Events;
import io.github.cctv.recorder.domain.store.Recording;
import io.github.cctv.recorder.domain.store.RecordingIndex;
import io.github.cctv.testing.NatsServerResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@QuarkusTest
@QuarkusTestResource(value = NatsServerResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = RecordingsRootResource.class, restrictToAnnotatedClass = false)
class RecordingApiIT {

    private static final String CAM = "api-cam";
    private static final int FRAMES = 50;
    private static String recordingId;

    @Inject
    RecordingIndex index;

    @TestHTTPResource("/")
    URL base;

    final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void recordOnce() throws Exception {
        if (recordingId != null) {
            return;
        }
        try (NatsFixture nats = new NatsFixture(NatsServerResource.server().url()).withFrameStream()) {
            nats.register(CAM);
            nats.control(CAM, "start");
            nats.frames(CAM, 0, FRAMES, NatsFixture.nowUs(), 40); // 2 s
            await().atMost(Duration.ofSeconds(20)).until(() ->
                    index.list(CAM, null, null, 10).stream().mapToLong(Recording::frames).sum() == FRAMES);
            nats.control(CAM, "stop");
        }
        recordingId = index.list(CAM, null, null, 10).get(0).id();
    }

    private HttpResponse<byte[]> get(String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path.substring(1)));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static JsonNode json(HttpResponse<byte[]> r) throws IOException {
        return Events.mapper().readTree(r.body());
    }

    private Path file() {
        return index.layout().root().resolve(index.get(recordingId).orElseThrow().path());
    }

    @Test
    void listsAndFiltersRecordingsNewestFirst() throws Exception {
        HttpResponse<byte[]> r = get("/api/recordings?camera=" + CAM);
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode list = json(r);
        assertThat(list).hasSize(1);
        JsonNode rec = list.get(0);
        assertThat(rec.get("id").asText()).isEqualTo(recordingId);
        assertThat(rec.get("cameraId").asText()).isEqualTo(CAM);
        assertThat(rec.get("frames").asLong()).isEqualTo(FRAMES);
        assertThat(rec.get("bytes").asLong()).isEqualTo(Files.size(file()));
        assertThat(rec.get("open").asBoolean()).isFalse();
        assertThat(Instant.parse(rec.get("end").asText())).isAfter(Instant.parse(rec.get("start").asText()));
        assertThat(rec.get("path").asText()).endsWith(recordingId + ".mkv");

        assertThat(json(get("/api/recordings?camera=" + CAM + "&from=2999-01-01T00:00:00Z"))).isEmpty();
        assertThat(json(get("/api/recordings?camera=" + CAM + "&to=2000-01-01T00:00:00Z"))).isEmpty();
        assertThat(json(get("/api/recordings?limit=1"))).hasSize(1);
        assertThat(get("/api/recordings?camera=..%2Fetc").statusCode()).isEqualTo(400);
        assertThat(get("/api/recordings?from=yesterday").statusCode()).isEqualTo(400);
        assertThat(get("/api/recordings?limit=0").statusCode()).isEqualTo(400);
    }

    @Test
    void givesOneRecordingsMetadataOr404Or400() throws Exception {
        HttpResponse<byte[]> r = get("/api/recordings/" + recordingId);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(json(r).get("frames").asLong()).isEqualTo(FRAMES);
        assertThat(get("/api/recordings/" + CAM + "_2001-01-01_00-00-00").statusCode()).isEqualTo(404);
        HttpResponse<byte[]> bad = get("/api/recordings/not-a-recording");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(new String(bad.body(), StandardCharsets.UTF_8)).contains("recording id");
    }

    @Test
    void downloadsTheFileWholeAndByRange() throws Exception {
        byte[] onDisk = Files.readAllBytes(file());
        HttpResponse<byte[]> whole = get("/api/recordings/" + recordingId + "/file");
        assertThat(whole.statusCode()).isEqualTo(200);
        assertThat(whole.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("video/x-matroska"));
        assertThat(whole.headers().firstValue("Accept-Ranges")).contains("bytes");
        assertThat(whole.headers().firstValue("Content-Disposition")).hasValueSatisfying(v ->
                assertThat(v).contains("attachment").contains(recordingId + ".mkv"));
        assertThat(whole.body()).isEqualTo(onDisk);

        HttpResponse<byte[]> part = get("/api/recordings/" + recordingId + "/file", "Range", "bytes=100-1099");
        assertThat(part.statusCode()).isEqualTo(206);
        assertThat(part.headers().firstValue("Content-Range")).contains("bytes 100-1099/" + onDisk.length);
        assertThat(part.body()).isEqualTo(Arrays.copyOfRange(onDisk, 100, 1100));

        HttpResponse<byte[]> tail = get("/api/recordings/" + recordingId + "/file", "Range", "bytes=-10");
        assertThat(tail.statusCode()).isEqualTo(206);
        assertThat(tail.body()).isEqualTo(Arrays.copyOfRange(onDisk, onDisk.length - 10, onDisk.length));

        HttpResponse<byte[]> beyond = get("/api/recordings/" + recordingId + "/file", "Range", "bytes=" + onDisk.length + "-");
        assertThat(beyond.statusCode()).isEqualTo(416);
    }

    @Test
    void playsMultipartJpegsAsStoredFromAnOffset() throws Exception {
        HttpResponse<byte[]> r = get("/api/recordings/" + recordingId + "/play");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(v ->
                assertThat(v).startsWith("multipart/x-mixed-replace").contains("boundary=frame"));
        List<Integer> counters = jpegCounters(r.body());
        assertThat(counters).hasSize(FRAMES);
        for (int i = 0; i < FRAMES; i++) {
            assertThat(counters.get(i)).isEqualTo(i);
        }
        List<Integer> fromOne = jpegCounters(get("/api/recordings/" + recordingId + "/play?offset=1").body());
        assertThat(fromOne).first().isEqualTo(25);
        assertThat(fromOne).hasSize(FRAMES - 25);
        assertThat(get("/api/recordings/" + recordingId + "/play?offset=-1").statusCode()).isEqualTo(400);
    }

    /** Splits a multipart body at its Content-Length headers and decodes each JPEG. */
    private static List<Integer> jpegCounters(byte[] body) throws IOException {
        List<Integer> out = new ArrayList<>();
        String text = new String(body, StandardCharsets.ISO_8859_1);
        int at = 0;
        while ((at = text.indexOf("Content-Length: ", at)) >= 0) {
            int eol = text.indexOf("\r\n", at);
            int len = Integer.parseInt(text.substring(at + 16, eol));
            int start = text.indexOf("\r\n\r\n", at) + 4;
            assertThat(text.startsWith("--frame", text.lastIndexOf("--frame", at))).isTrue();
            out.add(TestFrames.counterOf(ImageIO.read(new ByteArrayInputStream(body, start, len))));
            at = start + len;
        }
        return out;
    }

    @Test
    void exportsDecodableH264Mp4OfTheRightDuration() throws Exception {
        HttpResponse<byte[]> r = get("/api/recordings/" + recordingId + "/export.mp4");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("video/mp4"));
        Path mp4 = Files.createTempFile("export-", ".mp4");
        Path part = Files.createTempFile("export-part-", ".mp4");
        try {
            Files.write(mp4, r.body());
            assertMp4(mp4, FRAMES, 0);
            Files.write(part, get("/api/recordings/" + recordingId + "/export.mp4?from=0.4&to=1.4").body());
            assertMp4(part, 25, 10);
        } finally {
            Files.deleteIfExists(mp4);
            Files.deleteIfExists(part);
        }
        assertThat(get("/api/recordings/" + recordingId + "/export.mp4?from=2&to=1").statusCode()).isEqualTo(400);
    }

    private static void assertMp4(Path mp4, int frames, int firstCounter) throws Exception {
        try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(mp4.toFile())) {
            g.start();
            assertThat(g.getFormat()).contains("mp4");
            assertThat(g.getVideoCodecName()).isEqualTo("h264");
            assertThat(g.getLengthInTime()).isBetween((frames - 2) * 40_000L, (frames + 2) * 40_000L);
            g.stop();
        }
        List<TestFrames.Decoded> decoded = TestFrames.decode(mp4);
        assertThat(decoded).hasSize(frames);
        assertThat(decoded.get(0).counter()).isEqualTo(firstCounter);
        assertThat(decoded.get(frames - 1).counter()).isEqualTo(firstCounter + frames - 1);
    }

    @Test
    void refusesPathTraversalAndNeverServesFilesOutsideTheRoot() throws Exception {
        List<String> attempts = List.of(
                "/api/recordings/..%2F..%2F..%2Fetc%2Fpasswd/file",
                "/api/recordings/%2Fetc%2Fpasswd/file",
                "/api/recordings/..%2F" + recordingId + "/file",
                "/api/recordings/" + CAM + "%2F..%2F..%2Fetc_2026-01-01_00-00-00/file",
                "/api/recordings/..%252F..%252Fetc%252Fpasswd/file",
                "/api/recordings/%2E%2E/file");
        for (String path : attempts) {
            HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(base + path.substring(1))).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertThat(r.statusCode()).as(path).isIn(400, 404);
            assertThat(new String(r.body(), StandardCharsets.UTF_8)).as(path).doesNotContain("root:");
        }
        // a symbolic link inside the root that points outside it is refused even when indexed
        String linkId = CAM + "_2001-01-01_00-00-00";
        Path link = index.layout().root().resolve(CAM).resolve("2001-01-01").resolve(linkId + ".mkv");
        Files.createDirectories(link.getParent());
        Files.createSymbolicLink(link, Path.of("/etc/passwd"));
        index.save(new Recording(linkId, CAM, Instant.parse("2001-01-01T00:00:00Z"), Instant.parse("2001-01-01T00:00:01Z"),
                1, 10, CAM + "/2001-01-01/" + linkId + ".mkv", false, 0));
        try {
            for (String suffix : List.of("/file", "/play", "/export.mp4")) {
                HttpResponse<byte[]> r = get("/api/recordings/" + linkId + suffix);
                assertThat(r.statusCode()).as(suffix).isEqualTo(404);
                assertThat(new String(r.body(), StandardCharsets.UTF_8)).doesNotContain("root:");
            }
        } finally {
            index.delete(index.get(linkId).orElseThrow());
        }
    }

    @Test
    void reportsStateOpenapiAndMetrics() throws Exception {
        JsonNode states = json(get("/api/recording-state"));
        assertThat(states.findValuesAsText("cameraId")).contains(CAM);
        for (JsonNode s : states) {
            if (s.get("cameraId").asText().equals(CAM)) {
                assertThat(s.get("recording").asBoolean()).isFalse();
            }
        }
        assertThat(new String(get("/q/openapi").body(), StandardCharsets.UTF_8))
                .contains("/api/recordings/{id}/file").contains("/api/recording-state");
        String metrics = new String(get("/q/metrics").body(), StandardCharsets.UTF_8);
        assertThat(metrics).contains("cctv_recorder_frames_written_total").contains("cctv_recorder_segments_total")
                .contains("cctv_recorder_active_recordings").contains("cctv_recorder_frames_behind")
                .contains("cctv_recorder_failures_total");
    }

}
