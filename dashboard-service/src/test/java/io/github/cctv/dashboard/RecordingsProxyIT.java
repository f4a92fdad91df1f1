package io.github.cctv.dashboard;

import io.github.cctv.testing.NatsServerResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@QuarkusTest
@QuarkusTestResource(value = NatsServerResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = FakeRecorder.class, restrictToAnnotatedClass = false)
class RecordingsProxyIT {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

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

    private static HttpResponse<byte[]> send(String method, URI uri, String contentType, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).method(method,
                body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void sendsTheRecorderTheServiceTokenAndNeverTheBrowsersCredentials() throws Exception {
        FakeRecorder.CREDENTIALS.clear();
        FakeRecorder.UNAUTHORIZED.clear();
        URI base = recordings.resolve("/");
        var list = HTTP.send(HttpRequest.newBuilder(URI.create(recordings + "?camera=cam1"))
                .header("Authorization", "Bearer not-the-service-token").header("Cookie", "cctv_session=browser").build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(list.statusCode()).as(list.body()).isEqualTo(200);
        assertThat(Http.get(URI.create(recordings + "/r1/file"), "Range", "bytes=0-9").statusCode()).isEqualTo(206);
        var keep = HTTP.send(HttpRequest.newBuilder(base.resolve("/api/recordings/r1/keep"))
                .header("Content-Type", "application/json").header("Authorization", "Bearer not-the-service-token")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"keep\":true}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(keep.statusCode()).as(keep.body()).isEqualTo(200);
        assertThat(FakeRecorder.UNAUTHORIZED).as("requests that reached the recorder without the service token").isEmpty();
        assertThat(FakeRecorder.CREDENTIALS).as("the browser's credentials that reached the recorder").isEmpty();
    }

    @Test
    void passesTheWritesOfReviewWithTheirJsonBodyAndRefusesEveryOtherWrite() throws Exception {
        URI base = recordings.resolve("/");
        var started = send("POST", base.resolve("/api/exports"), "application/json",
                "{\"cameraId\":\"cam1\",\"from\":\"2026-11-25T10:00:00Z\",\"to\":\"2026-11-25T10:10:00Z\"}");
        assertThat(started.statusCode()).isEqualTo(200);
        var echo = Http.json(started);
        assertThat(echo.path("method").asText()).isEqualTo("POST");
        assertThat(echo.path("contentType").asText()).startsWith("application/json");
        assertThat(echo.path("body").path("cameraId").asText()).isEqualTo("cam1");

        assertThat(Http.json(send("DELETE", base.resolve("/api/exports/job1"), null, null)).path("uri").asText())
                .isEqualTo("/api/exports/job1");
        assertThat(Http.json(send("PUT", base.resolve("/api/recordings/r1/keep"), "application/json", "{\"keep\":true}"))
                .path("body").path("keep").asBoolean()).isTrue();
        assertThat(Http.json(send("DELETE", base.resolve("/api/recordings/r2"), null, null)).path("method").asText())
                .isEqualTo("DELETE");
        assertThat(Http.json(send("GET", base.resolve("/api/timeline?day=2026-11-25&camera=cam1"), null, null))
                .path("uri").asText()).isEqualTo("/api/timeline?day=2026-11-25&camera=cam1");
        assertThat(Http.json(send("GET", base.resolve("/api/storage"), null, null)).path("method").asText()).isEqualTo("GET");

        assertThat(send("POST", base.resolve("/api/exports"), "text/plain", "{}").statusCode()).isEqualTo(415);
        assertThat(send("PUT", base.resolve("/api/recordings/r1/keep"), null, "{\"keep\":true}").statusCode()).isEqualTo(415);
        assertThat(send("POST", base.resolve("/api/recordings"), "application/json", "{}").statusCode()).isEqualTo(405);
        assertThat(send("PUT", base.resolve("/api/recordings/r1"), "application/json", "{}").statusCode()).isEqualTo(405);
        assertThat(send("DELETE", base.resolve("/api/storage"), null, null).statusCode()).isEqualTo(405);
        assertThat(send("POST", base.resolve("/api/exports/job1/file"), "application/json", "{}").statusCode()).isEqualTo(405);
        assertThat(FakeRecorder.REQUESTS).noneMatch(r -> r.startsWith("POST /api/recordings") || r.startsWith("PUT /api/recordings/r1 "));
    }

    @Test
    void heldPlaybacksNeverMakeAListingWaitAndPlaybacksBeyondThePoolGet503() throws Exception {
        // 70 playbacks that stay open, more than the 64 connections the dashboard keeps for streams
        List<String> heads = whileHeld(70, () -> {
            // the listing is served at once, by connections of its own
            HttpResponse<byte[]> list = HTTP.send(HttpRequest.newBuilder(URI.create(recordings + "?camera=cam1"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(list.statusCode()).isEqualTo(200);
            assertThat(Http.json(list).get(0).path("id").asText()).isEqualTo("r1");
            assertThat(FakeRecorder.HELD.get()).isEqualTo(64);
        });
        assertThat(heads.stream().filter(h -> h.startsWith("HTTP/1.1 200 "))).hasSize(64);
        assertThat(heads.stream().filter(h -> h.startsWith("HTTP/1.1 503 "))).hasSize(6).allSatisfy(h ->
                assertThat(h).containsIgnoringCase("Retry-After: 2").containsIgnoringCase("application/json"));
        // closed playbacks give their connections back: the streams work again
        assertThat(Http.get(URI.create(recordings + "/r1/file")).statusCode()).isEqualTo(200);
    }

    /** The heads of the answers to {@code n} playbacks held open while {@code meanwhile} runs; then all are closed. */
    private List<String> whileHeld(int n, ThrowingRunnable meanwhile) throws Exception {
        List<Socket> playbacks = new ArrayList<>();
        List<String> heads = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                Socket s = RawHttp.connect(recordings, 15_000);
                RawHttp.get(s, recordings, "/api/recordings/held/play");
                playbacks.add(s);
            }
            for (Socket s : playbacks) {
                heads.add(RawHttp.readHead(s));
            }
            meanwhile.run();
        } finally {
            for (Socket s : playbacks) {
                s.close();
            }
            FakeRecorder.releaseHeld();
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> FakeRecorder.HELD.get() == 0);
        return heads;
    }

    private interface ThrowingRunnable {
        void run() throws Exception;
    }

    @Test
    void answers503WithAClearMessageWhenTheRecorderIsDown() throws Exception {
        FakeRecorder.stopServer();
        try {
            var response = Http.get(URI.create(recordings + "?camera=cam1"));

            assertThat(response.statusCode()).isEqualTo(503);
            assertThat(response.headers().firstValue("Retry-After")).contains("2");
            assertThat(response.headers().firstValue("Content-Type")).contains("application/json");
            assertThat(Http.json(response).path("message").asText()).contains("recorder").contains("not answering");
        } finally {
            FakeRecorder.startServer();
        }
    }
}
