package io.github.cctv.recorder;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.cctv.protocol.event.Events;
import io.github.cctv.recorder.domain.store.Recording;
import io.github.cctv.recorder.domain.store.RecordingIndex;
import io.github.cctv.testing.HeadlessChromium;
import io.github.cctv.testing.NatsServerResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.JavascriptExecutor;

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
    private static final String H264_CAM = "api-h264";
    private static String recordingId;
    /** The H.264 camera's segments, oldest first, and the ingest time of its first frame. */
    private static List<Recording> h264Segments;
    private static Instant h264Start;

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

    /**
     * 180 H.264 frames (a keyframe every 30), 1/30 s apart, received over 6 s by the server's clock: with segments of
     * 3 s, two segments of 90 frames, each starting on a keyframe.
     */
    private void recordH264Once() throws Exception {
        if (h264Segments != null) {
            return;
        }
        List<H264TestStream.AccessUnit> units = H264TestStream.units(TestFrames.WIDTH, TestFrames.HEIGHT, 30, 180);
        try (NatsFixture nats = new NatsFixture(NatsServerResource.server().url()).withFrameStream()) {
            nats.register(H264_CAM);
            nats.control(H264_CAM, "start");
            long t0 = NatsFixture.nowUs() + 100_000;
            for (int i = 0; i < 180; i++) {
                long us = t0 + i * 33_334L; // frame 90 at 3.00006 s: the first at or past the segment length
                nats.h264(H264_CAM, units.get(i), us, us, TestFrames.WIDTH, TestFrames.HEIGHT);
            }
            await().atMost(Duration.ofSeconds(20)).until(() ->
                    index.list(H264_CAM, null, null, 10).stream().mapToLong(Recording::frames).sum() == 180);
            nats.control(H264_CAM, "stop");
            h264Start = Instant.ofEpochSecond(0, t0 * 1000);
        }
        List<Recording> list = new ArrayList<>(index.list(H264_CAM, null, null, 10));
        list.sort(java.util.Comparator.comparing(Recording::start));
        h264Segments = list;
    }

    private HttpResponse<byte[]> send(String method, String path, String contentType, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path.substring(1)))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void anH264RecordingIsAnMp4PlayedFromItsFileWithRangesAndSegmentedOnKeyframes() throws Exception {
        recordH264Once();
        assertThat(h264Segments).extracting(Recording::frames).containsExactly(90L, 90L);
        assertThat(h264Segments.get(0).start()).isEqualTo(h264Start);
        Recording first = h264Segments.get(0);
        JsonNode view = json(get("/api/recordings/" + first.id()));
        assertThat(view.get("contentType").asText()).isEqualTo("video/mp4");
        assertThat(view.get("path").asText()).endsWith(first.id() + ".mp4");

        Path file = index.layout().root().resolve(first.path());
        byte[] onDisk = Files.readAllBytes(file);
        HttpResponse<byte[]> whole = get("/api/recordings/" + first.id() + "/file");
        assertThat(whole.statusCode()).isEqualTo(200);
        assertThat(whole.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("video/mp4"));
        assertThat(whole.headers().firstValue("Content-Disposition")).hasValueSatisfying(v -> assertThat(v).contains(first.id() + ".mp4"));
        assertThat(whole.body()).isEqualTo(onDisk);
        HttpResponse<byte[]> part = get("/api/recordings/" + first.id() + "/file", "Range", "bytes=10-109");
        assertThat(part.statusCode()).isEqualTo(206);
        assertThat(part.body()).isEqualTo(Arrays.copyOfRange(onDisk, 10, 110));

        MediaProbe.Probe probe = MediaProbe.ffprobe(file);
        assertThat(probe.codec()).isEqualTo("h264");
        assertThat(probe.decodedFrames()).isEqualTo(90);
        assertThat(probe.durationSeconds()).as("a finished segment reports its duration").isCloseTo(3.0, org.assertj.core.api.Assertions.within(0.01));
        assertThat(TestFrames.counters(TestFrames.decode(file))).isEqualTo(java.util.stream.IntStream.range(0, 90).boxed().toList());
        Path second = index.layout().root().resolve(h264Segments.get(1).path());
        assertThat(MediaProbe.packets(second).get(0).key()).isTrue();
        assertThat(TestFrames.counters(TestFrames.decode(second))).isEqualTo(java.util.stream.IntStream.range(90, 180).boxed().toList());

        HttpResponse<byte[]> play = get("/api/recordings/" + first.id() + "/play");
        assertThat(play.statusCode()).isEqualTo(409);
        assertThat(new String(play.body(), StandardCharsets.UTF_8)).contains("<video>");

        // the per-recording MP4 of an H.264 recording is a stream copy: the camera's own bitstream
        Path copy = Files.createTempFile("export-copy-", ".mp4");
        try {
            Files.write(copy, get("/api/recordings/" + first.id() + "/export.mp4?from=1.01&to=1.99").body());
            assertThat(TestFrames.counters(TestFrames.decode(copy))).isEqualTo(java.util.stream.IntStream.range(30, 60).boxed().toList());
        } finally {
            Files.deleteIfExists(copy);
        }
    }

    @Test
    void chromiumPlaysAndSeeksAnH264RecordingFromItsFile() throws Exception {
        recordH264Once();
        Recording first = h264Segments.get(0);
        try (HeadlessChromium chromium = HeadlessChromium.startOrSkip(); RangeFileServer pages = new RangeFileServer()) {
            chromium.driver().manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
            JavascriptExecutor js = (JavascriptExecutor) chromium.driver();
            String src = base + "api/recordings/" + first.id() + "/file";
            chromium.driver().get(pages.page("play.html", "<!doctype html><html><body>"
                    + "<video id='v' muted playsinline preload='auto' src='" + src + "'></video></body></html>"));
            @SuppressWarnings("unchecked")
            java.util.Map<String, Object> meta = (java.util.Map<String, Object>) js.executeAsyncScript("""
                    const done = arguments[arguments.length - 1];
                    const v = document.getElementById('v');
                    const report = () => done({duration: v.duration, error: v.error ? v.error.code + ' ' + v.error.message : null,
                        seekableEnd: v.seekable.length ? v.seekable.end(v.seekable.length - 1) : -1, width: v.videoWidth});
                    if (v.readyState >= 1 || v.error) report(); else { v.onloadedmetadata = report; v.onerror = report; }
                    """);
            assertThat(meta.get("error")).isNull();
            assertThat(((Number) meta.get("duration")).doubleValue()).isCloseTo(3.0, org.assertj.core.api.Assertions.within(0.01));
            assertThat(((Number) meta.get("seekableEnd")).doubleValue()).isCloseTo(3.0, org.assertj.core.api.Assertions.within(0.01));
            assertThat(((Number) meta.get("width")).intValue()).isEqualTo(TestFrames.WIDTH);
            double at = ((Number) js.executeAsyncScript("""
                    const done = arguments[arguments.length - 1];
                    const v = document.getElementById('v');
                    v.onseeked = () => done(v.currentTime);
                    v.currentTime = 2.5;
                    """)).doubleValue();
            assertThat(at).isCloseTo(2.5, org.assertj.core.api.Assertions.within(0.05));
            js.executeScript("const v = document.getElementById('v'); v.currentTime = 0.5; v.play();");
            await().atMost(Duration.ofSeconds(20)).until(() -> ((Number) js.executeScript(
                    "return document.getElementById('v').currentTime;")).doubleValue() > 1.0);
        }
    }

    @Test
    void exportsAnyTimeRangeAcrossSegmentsAsAJobToFollowDownloadAndDelete() throws Exception {
        recordH264Once();
        Instant from = h264Start.plusMillis(1500); // between keyframes 30 (1.0 s) and 60 (2.0 s)
        Instant to = h264Start.plusMillis(4490);   // in the second segment, between frames 134 and 135
        HttpResponse<byte[]> created = send("POST", "/api/exports", "application/json",
                "{\"cameraId\":\"" + H264_CAM + "\",\"from\":\"" + from + "\",\"to\":\"" + to + "\"}");
        assertThat(created.statusCode()).isEqualTo(202);
        String id = json(created).get("id").asText();
        assertThat(created.headers().firstValue("Location")).hasValueSatisfying(v -> assertThat(v).endsWith("/api/exports/" + id));

        await().atMost(Duration.ofSeconds(20)).until(() -> json(get("/api/exports/" + id)).get("state").asText().equals("done"));
        JsonNode job = json(get("/api/exports/" + id));
        assertThat(job.get("progress").asDouble()).isEqualTo(1.0);
        assertThat(job.get("file").asText()).isEqualTo("/api/exports/" + id + "/file");
        HttpResponse<byte[]> file = get(job.get("file").asText());
        assertThat(file.statusCode()).isEqualTo(200);
        String local = "yyyy-MM-dd_HH-mm-ss";
        java.time.format.DateTimeFormatter f = java.time.format.DateTimeFormatter.ofPattern(local).withZone(java.time.ZoneOffset.UTC);
        assertThat(file.headers().firstValue("Content-Disposition")).hasValueSatisfying(v -> assertThat(v)
                .contains(H264_CAM + "_" + f.format(from) + "_" + f.format(to) + ".mp4"));
        Path mp4 = Files.createTempFile("export-job-", ".mp4");
        try {
            Files.write(mp4, file.body());
            assertThat(MediaProbe.ffprobe(mp4).codec()).isEqualTo("h264");
            // from the keyframe before `from` (frame 30) to the last frame before `to` (frame 134), across the boundary
            assertThat(TestFrames.counters(TestFrames.decode(mp4))).isEqualTo(java.util.stream.IntStream.range(30, 135).boxed().toList());
        } finally {
            Files.deleteIfExists(mp4);
        }

        Path kept = index.layout().root().resolve(".exports").resolve(id + ".mp4");
        assertThat(kept).exists();
        assertThat(send("DELETE", "/api/exports/" + id, null, null).statusCode()).isEqualTo(204);
        assertThat(kept).doesNotExist();
        assertThat(get("/api/exports/" + id).statusCode()).isEqualTo(404);
        assertThat(get("/api/exports/" + id + "/file").statusCode()).isEqualTo(404);
    }

    @Test
    void refusesExportsThatCannotBeMadeWithAReason() throws Exception {
        recordH264Once();
        String body = "{\"cameraId\":\"%s\",\"from\":\"%s\",\"to\":\"%s\"}";
        Instant a = h264Start;
        Instant b = h264Start.plusSeconds(2);
        assertThat(send("POST", "/api/exports", "application/json", body.formatted(H264_CAM, b, a)).statusCode()).isEqualTo(400);
        assertThat(send("POST", "/api/exports", "application/json", body.formatted("../x", a, b)).statusCode()).isEqualTo(400);
        assertThat(send("POST", "/api/exports", "application/json", body.formatted(H264_CAM, "yesterday", b)).statusCode()).isEqualTo(400);
        assertThat(send("POST", "/api/exports", "application/json", body.formatted(H264_CAM, a, a.plus(Duration.ofDays(2)))).statusCode())
                .as("longer than the longest range").isEqualTo(400);
        HttpResponse<byte[]> none = send("POST", "/api/exports", "application/json",
                body.formatted(H264_CAM, "2001-01-01T00:00:00Z", "2001-01-01T01:00:00Z"));
        assertThat(none.statusCode()).isEqualTo(404);
        assertThat(json(none).get("message").asText()).contains("no recording");
        assertThat(send("POST", "/api/exports", "text/plain", body.formatted(H264_CAM, a, b)).statusCode()).isEqualTo(415);
        assertThat(get("/api/exports/0123456789abcdef01234567").statusCode()).isEqualTo(404);
        assertThat(get("/api/exports/..%2F..%2Fetc/file").statusCode()).isIn(400, 404);
        assertThat(send("DELETE", "/api/exports/nope", null, null).statusCode()).isEqualTo(404);

        // a camera recorded in both formats: one MP4 cannot hold its JPEG and H.264 segments
        String mixed = "api-mixed";
        List<H264TestStream.AccessUnit> units = H264TestStream.units(TestFrames.WIDTH, TestFrames.HEIGHT, 30, 30);
        try (NatsFixture nats = new NatsFixture(NatsServerResource.server().url()).withFrameStream()) {
            nats.register(mixed);
            nats.control(mixed, "start");
            long t0 = NatsFixture.nowUs();
            nats.frames(mixed, 0, 10, t0, 40);
            for (int i = 0; i < 30; i++) {
                nats.h264(mixed, units.get(i), t0 + 400_000 + i * 33_333L, TestFrames.WIDTH, TestFrames.HEIGHT);
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> index.list(mixed, null, null, 10).stream()
                    .mapToLong(Recording::frames).sum() == 40);
            nats.control(mixed, "stop");
        }
        List<Recording> both = index.list(mixed, null, null, 10);
        assertThat(both).extracting(Recording::extension).containsExactlyInAnyOrder("mkv", "mp4");
        Instant start = both.stream().map(Recording::start).min(Instant::compareTo).orElseThrow();
        HttpResponse<byte[]> unprocessable = send("POST", "/api/exports", "application/json",
                body.formatted(mixed, start.minusSeconds(1), start.plusSeconds(60)));
        assertThat(unprocessable.statusCode()).isEqualTo(422);
        assertThat(json(unprocessable).get("message").asText()).contains("two formats");
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
        HttpResponse<byte[]> whole = get("/api/recordings/" + recordingId + "/file");
        // a finished Matroska segment goes out as its finished copy: the same frames, with its duration
        byte[] onDisk = Files.readAllBytes(index.layout().finishedCopyOf(
                io.github.cctv.recorder.domain.store.RecordingId.parse(recordingId)));
        assertThat(TestFrames.counters(TestFrames.decode(index.layout().finishedCopyOf(
                io.github.cctv.recorder.domain.store.RecordingId.parse(recordingId)))))
                .isEqualTo(TestFrames.counters(TestFrames.decode(file())));
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
