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

import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** Every error answer carries the system's one error body, so the dashboard can show its message. */
@QuarkusTest
@QuarkusTestResource(value = NatsServerResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = RecordingsRootResource.class, restrictToAnnotatedClass = false)
class ErrorAnswersIT {

    @TestHTTPResource("/")
    URL base;

    @Inject
    RecordingIndex index;

    final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> get(String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path.substring(1)));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void assertErrorBody(HttpResponse<String> r, int status, String error, String mentions) throws Exception {
        assertThat(r.statusCode()).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
        JsonNode body = Events.mapper().readTree(r.body());
        assertThat(body.path("status").asInt()).isEqualTo(status);
        assertThat(body.path("error").asText()).isEqualTo(error);
        assertThat(body.path("message").asText()).contains(mentions);
    }

    @Test
    void badRequestsNotFoundAndUnsatisfiableRangesSayWhatIsWrong() throws Exception {
        assertErrorBody(get("/api/recordings/not-a-recording"), 400, "Bad Request", "recording id");
        assertErrorBody(get("/api/recordings?limit=0"), 400, "Bad Request", "limit");
        assertErrorBody(get("/api/recordings/errcam_2001-01-01_00-00-00"), 404, "Not Found", "no recording");

        String id = "errcam_2001-01-02_00-00-00";
        Path video = index.layout().videoOf(RecordingId.parse(id), "mkv");
        Files.createDirectories(video.getParent());
        Files.write(video, new byte[100]);
        index.save(new Recording(id, "errcam", Instant.parse("2001-01-02T00:00:00Z"), Instant.parse("2001-01-02T00:00:01Z"),
                1, 100, index.layout().relative(video), false, 0));
        try {
            HttpResponse<String> r = get("/api/recordings/" + id + "/file", "Range", "bytes=100-");
            assertErrorBody(r, 416, "Range Not Satisfiable", "100 bytes");
            assertThat(r.headers().firstValue("Content-Range")).contains("bytes */100");
            assertErrorBody(get("/api/recordings/" + id + "/export.mp4?from=2&to=1"), 400, "Bad Request", "from");
        } finally {
            index.delete(index.get(id).orElseThrow());
        }
    }
}
