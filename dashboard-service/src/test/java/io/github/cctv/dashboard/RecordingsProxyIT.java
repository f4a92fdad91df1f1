package io.github.cctv.dashboard;

import io.github.cctv.testing.NatsServerResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

@QuarkusTest
@QuarkusTestResource(value = NatsServerResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = FakeRecorder.class, restrictToAnnotatedClass = false)
class RecordingsProxyIT {

    @TestHTTPResource("/api/recordings")
    URI recordings;

    @Test
    void passesRangeThroughAndReturnsThePartialContent() throws Exception {
        var response = Http.get(URI.create(recordings + "/r1/file"), "Range", "bytes=1000-1999");

        assertThat(response.statusCode()).isEqualTo(206);
        assertThat(response.headers().firstValue("Content-Range")).contains("bytes 1000-1999/100000");
        assertThat(response.headers().firstValue("Content-Type")).contains("video/x-matroska");
        assertThat(response.body()).isEqualTo(Arrays.copyOfRange(FakeRecorder.FILE, 1000, 2000));
        assertThat(FakeRecorder.REQUESTS).contains("GET /api/recordings/r1/file | bytes=1000-1999");
    }

    @Test
    void passesQueryAndStatusCodesThrough() throws Exception {
        var list = Http.get(URI.create(recordings + "?camera=cam1&limit=5"));
        assertThat(list.statusCode()).isEqualTo(200);
        assertThat(Http.json(list).get(0).path("query").asText()).isEqualTo("camera=cam1&limit=5");

        var whole = Http.get(URI.create(recordings + "/r1/file"));
        assertThat(whole.statusCode()).isEqualTo(200);
        assertThat(whole.body()).isEqualTo(FakeRecorder.FILE);

        var missing = Http.get(URI.create(recordings + "/nope"));
        assertThat(missing.statusCode()).isEqualTo(404);
    }

    @Test
    void answers503WithAClearMessageWhenTheRecorderIsDown() throws Exception {
        FakeRecorder.stopServer();
        try {
            var response = Http.get(URI.create(recordings + "?camera=cam1"));

            assertThat(response.statusCode()).isEqualTo(503);
            assertThat(response.headers().firstValue("Content-Type")).contains("application/json");
            assertThat(Http.json(response).path("message").asText()).contains("recorder").contains("not answering");
        } finally {
            FakeRecorder.startServer();
        }
    }
}
