package io.github.cctv.recorder;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.cctv.protocol.event.Events;
import io.github.cctv.recorder.domain.store.Recording;
import io.github.cctv.recorder.domain.store.RecordingId;
import io.github.cctv.recorder.domain.store.RecordingIndex;
import io.github.cctv.testing.NatsServerResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
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
import java.util.Comparator;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

/**
 * The review API over recordings made by the recorder from NATS: timeline, where a moment is, thumbnails made once,
 * the JPEG player's frames, a Matroska download with its duration, keep, delete, storage and its metrics.
 */
@QuarkusTest
@QuarkusTestResource(value = NatsServerResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = RecordingsRootResource.class, restrictToAnnotatedClass = false)
class ReviewApiIT {

    private static final String H264_CAM = "review-h264";
    private static final String JPEG_CAM = "review-jpeg";
    private static List<Recording> h264;
    private static Instant h264Start;

    @Inject
    RecordingIndex index;

    @TestHTTPResource("/")
    URL base;

    final HttpClient http = HttpClient.newHttpClient();

    /** 180 H.264 frames 1/30 s apart: two segments of 3 s (the test segment length), the second on a keyframe. */
    private void recordH264Once() throws Exception {
        if (h264 != null) {
            return;
        }
        List<H264TestStream.AccessUnit> units = H264TestStream.units(TestFrames.WIDTH, TestFrames.HEIGHT, 30, 180);
        try (NatsFixture nats = new NatsFixture(NatsServerResource.server().url()).withFrameStream()) {
            nats.register(H264_CAM);
            nats.control(H264_CAM, "start");
            long t0 = NatsFixture.nowUs() + 100_000;
            for (int i = 0; i < 180; i++) {
                long us = t0 + i * 33_334L;
                nats.h264(H264_CAM, units.get(i), us, us, TestFrames.WIDTH, TestFrames.HEIGHT);
            }
            await().atMost(Duration.ofSeconds(20)).until(() ->
                    index.list(H264_CAM, null, null, 10).stream().mapToLong(Recording::frames).sum() == 180);
            nats.control(H264_CAM, "stop");
            h264Start = Instant.ofEpochSecond(0, t0 * 1000);
        }
        List<Recording> list = new ArrayList<>(index.list(H264_CAM, null, null, 10));
        list.sort(Comparator.comparing(Recording::start));
        h264 = list;
    }

    /** 50 JPEG frames 40 ms apart (2 s) into one Matroska segment of {@code cam}. */
    private Recording recordJpeg(String cam) throws Exception {
        try (NatsFixture nats = new NatsFixture(NatsServerResource.server().url()).withFrameStream()) {
            nats.register(cam);
            nats.control(cam, "start");
            nats.framesReceivedAsCaptured(cam, 0, 50, NatsFixture.nowUs(), 40);
            await().atMost(Duration.ofSeconds(20)).until(() ->
                    index.list(cam, null, null, 10).stream().mapToLong(Recording::frames).sum() == 50);
            nats.control(cam, "stop");
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> !index.list(cam, null, null, 10).get(0).open());
        return index.list(cam, null, null, 10).get(0);
    }

    private HttpResponse<byte[]> send(String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path.substring(1)))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private JsonNode json(String method, String path, String body, int status) throws Exception {
        HttpResponse<byte[]> r = send(method, path, body);
        String text = new String(r.body(), StandardCharsets.UTF_8);
        assertThat(r.statusCode()).as(method + " " + path + ": " + text).isEqualTo(status);
        return text.isEmpty() ? null : Events.mapper().readTree(text);
    }

    @Test
    void theTimelineShowsOneSpanOverTwoSegmentsAndTheGapsAroundIt() throws Exception {
        recordH264Once();
        Instant from = h264Start.minusSeconds(60);
        Instant to = h264Start.plusSeconds(60);
        JsonNode t = json("GET", "/api/timeline?camera=" + H264_CAM + "&from=" + from + "&to=" + to, null, 200);
        JsonNode line = t.get("cameras").get(0);
        assertThat(line.get("cameraId").asText()).isEqualTo(H264_CAM);
        assertThat(line.get("segments")).hasSize(2);
        assertThat(line.get("segments").get(0).get("format").asText()).isEqualTo("mp4");
        assertThat(line.get("spans")).as("a roll-over is no gap").hasSize(1);
        Instant spanStart = Instant.parse(line.get("spans").get(0).get("start").asText());
        Instant spanEnd = Instant.parse(line.get("spans").get(0).get("end").asText());
        assertThat(spanStart).isEqualTo(h264Start);
        assertThat(Duration.between(spanStart, spanEnd).toMillis()).isBetween(5900L, 6000L);
        assertThat(Instant.parse(line.get("gaps").get(0).get("start").asText())).isEqualTo(from);
        assertThat(Instant.parse(line.get("gaps").get(0).get("end").asText())).isEqualTo(h264Start);

        // every camera of a day, in the recorder's zone (UTC here)
        String day = h264Start.toString().substring(0, 10);
        JsonNode all = json("GET", "/api/timeline?day=" + day + "&zone=UTC", null, 200);
        assertThat(all.findValuesAsText("cameraId")).contains(H264_CAM);
        assertThat(Instant.parse(all.get("from").asText())).isEqualTo(Instant.parse(day + "T00:00:00Z"));

        json("GET", "/api/timeline?camera=" + H264_CAM, null, 400);
        json("GET", "/api/timeline?camera=a.b&day=" + day, null, 400);
        json("GET", "/api/timeline?day=" + day + "&zone=Mars/Base", null, 400);
        json("GET", "/api/timeline?from=" + to + "&to=" + from, null, 400);
    }

    @Test
    void aMomentIsFoundInItsSegmentWithTheOffsetAndTheNextSegment() throws Exception {
        recordH264Once();
        JsonNode first = json("GET", "/api/timeline/at?camera=" + H264_CAM + "&t=" + h264Start.plusMillis(1500), null, 200);
        assertThat(first.get("recording").get("id").asText()).isEqualTo(h264.get(0).id());
        assertThat(first.get("offsetSeconds").asDouble()).isCloseTo(1.5, within(0.001));
        assertThat(first.get("next").get("id").asText()).isEqualTo(h264.get(1).id());

        Instant inSecond = h264.get(1).start().plusMillis(500);
        JsonNode second = json("GET", "/api/timeline/at?camera=" + H264_CAM + "&t=" + inSecond, null, 200);
        assertThat(second.get("recording").get("id").asText()).isEqualTo(h264.get(1).id());
        assertThat(second.get("offsetSeconds").asDouble()).isCloseTo(0.5, within(0.001));
        assertThat(second.get("next").isNull()).isTrue();

        JsonNode before = json("GET", "/api/timeline/at?camera=" + H264_CAM + "&t=" + h264Start.minusSeconds(30), null, 200);
        assertThat(before.get("inGap").asBoolean()).isTrue();
        assertThat(before.get("recording").get("id").asText()).isEqualTo(h264.get(0).id());

        json("GET", "/api/timeline/at?camera=" + H264_CAM + "&t=" + h264Start.plusSeconds(3600), null, 404);
        json("GET", "/api/timeline/at?camera=" + H264_CAM + "&t=soon", null, 400);
    }

    @Test
    void aThumbnailIsOneDecodedKeyframeMadeOnceAndCachedOnDisk() throws Exception {
        recordH264Once();
        Recording second = h264.get(1);
        HttpResponse<byte[]> r = send("GET", "/api/recordings/" + second.id() + "/thumbnail.jpg", null);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("image/jpeg");
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(r.body()));
        assertThat(img.getWidth()).isEqualTo(192);
        assertThat(img.getHeight()).isEqualTo(192 * TestFrames.HEIGHT / TestFrames.WIDTH);
        Path cached = index.layout().thumbnailOf(RecordingId.parse(second.id()));
        assertThat(cached).isRegularFile();
        var made = Files.getLastModifiedTime(cached);
        assertThat(send("GET", "/api/recordings/" + second.id() + "/thumbnail.jpg", null).body()).isEqualTo(r.body());
        assertThat(Files.getLastModifiedTime(cached)).as("not made again").isEqualTo(made);
    }

    @Test
    void aMatroskaRecordingIsDownloadedWithItsDurationAndSteppedFrameByFrame() throws Exception {
        Recording r = recordJpeg(JPEG_CAM);
        Path raw = index.layout().videoOf(r);
        HttpResponse<byte[]> file = send("GET", "/api/recordings/" + r.id() + "/file", null);
        assertThat(file.statusCode()).isEqualTo(200);
        Path downloaded = Files.createTempFile("download-", ".mkv");
        Files.write(downloaded, file.body());
        MediaProbe.Probe probe = MediaProbe.ffprobe(downloaded);
        assertThat(probe.durationSeconds()).as("the download reports its duration").isCloseTo(2.0, within(0.1));
        assertThat(probe.decodedFrames()).isEqualTo(50);
        assertThat(TestFrames.counters(TestFrames.decode(downloaded)))
                .isEqualTo(TestFrames.counters(TestFrames.decode(raw)));
        // ranges on the finished copy
        HttpResponse<byte[]> part = http.send(HttpRequest.newBuilder(URI.create(base + "api/recordings/" + r.id() + "/file"))
                .header("Range", "bytes=0-99").build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(part.statusCode()).isEqualTo(206);
        assertThat(part.body()).hasSize(100);

        for (double offset : new double[]{0, 0.5, 1.02, 1.96, 5}) {
            HttpResponse<byte[]> f = send("GET", "/api/recordings/" + r.id() + "/frame.jpg?offset=" + offset, null);
            assertThat(f.statusCode()).isEqualTo(200);
            int expected = (int) Math.min(49, Math.floor(offset / 0.040 + 1e-9));
            assertThat(TestFrames.counterOf(ImageIO.read(new ByteArrayInputStream(f.body())))).as("frame at %s s", offset)
                    .isEqualTo(expected);
            assertThat(Double.parseDouble(f.headers().firstValue("X-Frame-Offset").orElseThrow()))
                    .isCloseTo(expected * 0.040, within(0.002));
            if (expected < 49) {
                assertThat(Double.parseDouble(f.headers().firstValue("X-Next-Offset").orElseThrow()))
                        .isCloseTo((expected + 1) * 0.040, within(0.002));
            } else {
                assertThat(f.headers().firstValue("X-Next-Offset")).isEmpty();
            }
        }
        recordH264Once();
        assertThat(send("GET", "/api/recordings/" + h264.get(0).id() + "/frame.jpg", null).statusCode()).isEqualTo(409);
    }

    @Test
    void aKeptRecordingCannotBeDeletedUntilReleasedThenItsFileAndIndexEntryGo() throws Exception {
        Recording r = recordJpeg("review-del");
        Path video = index.layout().videoOf(r);
        Path sidecar = index.layout().sidecarOf(RecordingId.parse(r.id()));
        send("GET", "/api/recordings/" + r.id() + "/thumbnail.jpg", null);
        Path thumb = index.layout().thumbnailOf(RecordingId.parse(r.id()));
        assertThat(thumb).isRegularFile();

        assertThat(json("PUT", "/api/recordings/" + r.id() + "/keep", "{\"keep\":true}", 200).get("kept").asBoolean()).isTrue();
        assertThat(Files.readString(sidecar)).contains("\"kept\":true");
        assertThat(json("DELETE", "/api/recordings/" + r.id(), null, 409).get("message").asText()).contains("kept");
        json("PUT", "/api/recordings/" + r.id() + "/keep", "{}", 400);
        json("PUT", "/api/recordings/" + r.id() + "/keep", "{\"keep\":false}", 200);

        json("DELETE", "/api/recordings/" + r.id(), null, 204);
        assertThat(video).doesNotExist();
        assertThat(sidecar).doesNotExist();
        assertThat(thumb).doesNotExist();
        assertThat(index.get(r.id())).isEmpty();
        json("GET", "/api/recordings/" + r.id(), null, 404);
        json("DELETE", "/api/recordings/" + r.id(), null, 404);
        json("DELETE", "/api/recordings/..%2F..", null, 400);
    }

    @Test
    void aRangeDeletesTheSegmentsWhollyInsideItAndSaysWhichItLeft() throws Exception {
        Recording r = recordJpeg("review-range");
        Instant end = r.end();
        JsonNode partly = json("DELETE", "/api/recordings?camera=review-range&from=" + r.start().plusMillis(500)
                + "&to=" + end.plusSeconds(1), null, 200);
        assertThat(partly.get("deleted")).isEmpty();
        assertThat(partly.get("skipped").get(0).get("reason").asText()).contains("partly");
        JsonNode whole = json("DELETE", "/api/recordings?camera=review-range&from=" + r.start().minusSeconds(1)
                + "&to=" + end.plusSeconds(1), null, 200);
        assertThat(whole.get("deleted").get(0).asText()).isEqualTo(r.id());
        assertThat(index.layout().videoOf(r)).doesNotExist();
        json("DELETE", "/api/recordings?camera=review-range", null, 400);
    }

    @Test
    void storageIsReportedPerCameraAndInTheMetrics() throws Exception {
        recordH264Once();
        JsonNode s = json("GET", "/api/storage", null, 200);
        assertThat(s.get("usableBytes").asLong()).isPositive();
        assertThat(s.get("totalBytes").asLong()).isGreaterThanOrEqualTo(s.get("usableBytes").asLong());
        long h264Bytes = h264.stream().mapToLong(Recording::bytes).sum();
        JsonNode cam = null;
        for (JsonNode c : s.get("cameras")) {
            if (c.get("cameraId").asText().equals(H264_CAM)) {
                cam = c;
            }
        }
        assertThat(cam).isNotNull();
        assertThat(cam.get("bytes").asLong()).isEqualTo(h264Bytes);
        assertThat(cam.get("recordings").asInt()).isEqualTo(2);
        assertThat(s.get("bytesPerDay").asLong()).isPositive();
        assertThat(s.get("daysUntilFull").asDouble()).isPositive();
        assertThat(s.get("retention").get("maxAgeSeconds").asLong()).isEqualTo(Duration.ofDays(30).toSeconds());

        String metrics = new String(send("GET", "/q/metrics", null).body(), StandardCharsets.UTF_8);
        assertThat(metrics).contains("cctv_recorder_storage_free_bytes ", "cctv_recorder_storage_days_until_full ",
                "cctv_recorder_storage_warning ", "cctv_recorder_storage_camera_bytes{camera=\"" + H264_CAM + "\"}");
    }
}
