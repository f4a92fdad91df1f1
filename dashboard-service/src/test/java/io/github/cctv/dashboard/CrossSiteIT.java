package io.github.cctv.dashboard;

import io.github.cctv.protocol.event.RecordingCommand;
import io.github.cctv.testing.NatsServerResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Requests another page makes a signed-in browser send (forms, {@code fetch}, WebSocket), played with the headers
 * a browser puts on them: refused before they act; and the headers every answer carries.
 */
@QuarkusTest
@TestProfile(AuthProfile.class)
@QuarkusTestResource(value = NatsServerResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = FakeRecorder.class, restrictToAnnotatedClass = false)
class CrossSiteIT {

    private static final HttpClient CLIENT = HttpClient.newHttpClient();
    private static final String CAMERA = "xs-cam";

    @TestHTTPResource("/")
    URI root;

    private RecorderReplies recorder;
    private List<RecordingCommand> received;
    private String cookie;

    @BeforeEach
    void recorderAndSession() throws Exception {
        recorder = new RecorderReplies(CAMERA);
        received = recorder.received;
        HttpResponse<String> login = send(HttpRequest.newBuilder(root.resolve("/api/login"))
                .header("X-Forwarded-For", "203.0.113.7").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"admin\",\"password\":\""
                        + AuthProfile.PASSWORD + "\"}")));
        assertThat(login.statusCode()).isEqualTo(200);
        cookie = login.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("cctv_session="))
                .findFirst().orElseThrow().split(";", 2)[0];
    }

    @AfterEach
    void closeRecorder() {
        recorder.close();
    }

    @Test
    void aRecordingCommandWithoutJsonContentTypeIsRefusedAndNeverSent() throws Exception {
        // what `fetch(url, {method: 'POST', mode: 'no-cors', body: new Blob([json])})` sends: no Content-Type
        HttpResponse<String> typeless = post(null, null, "{\"action\":\"start\"}");
        assertThat(typeless.statusCode()).isEqualTo(415);
        assertThat(typeless.body()).contains("application/json");
        HttpResponse<String> plain = post(null, "text/plain", "{\"action\":\"start\"}");
        assertThat(plain.statusCode()).isEqualTo(415);
        HttpResponse<String> form = post(null, "application/x-www-form-urlencoded", "action=start");
        assertThat(form.statusCode()).isEqualTo(415);
        // the same command as JSON works, and is the only one the recorder ever saw
        assertThat(post(own(), "application/json", "{\"action\":\"start\"}").statusCode()).isEqualTo(200);
        assertThat(received).extracting(RecordingCommand::action).containsExactly("start");
    }

    @Test
    void pagesOfOtherOriginsCannotSendCommandsEvenFromTheSameSite() throws Exception {
        String sameSiteOtherPort = root.getScheme() + "://" + root.getHost() + ":" + (root.getPort() + 1);
        for (String origin : new String[]{"http://evil.example", sameSiteOtherPort, "null",
                "https://" + root.getHost() + ":" + root.getPort()}) {
            HttpResponse<String> refused = post(origin, "application/json", "{\"action\":\"start\"}");
            assertThat(refused.statusCode()).as(origin).isEqualTo(403);
            assertThat(refused.headers().firstValue("Content-Type")).as(origin).contains("application/json");
        }
        // no Origin, but the browser's other signs of where a request comes from
        assertThat(send(withCookie("/api/cameras/" + CAMERA + "/recording").header("Sec-Fetch-Site", "same-site")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"action\":\"start\"}"))).statusCode()).isEqualTo(403);
        assertThat(send(withCookie("/api/cameras/" + CAMERA + "/recording").header("Referer", sameSiteOtherPort + "/a")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"action\":\"start\"}"))).statusCode()).isEqualTo(403);
        assertThat(send(withCookie("/api/logout").header("Origin", "http://evil.example")
                .POST(HttpRequest.BodyPublishers.noBody())).statusCode()).isEqualTo(403);
        assertThat(received).isEmpty();
        // still signed in: the refused sign-out did nothing
        assertThat(send(withCookie("/api/session").GET()).statusCode()).isEqualTo(200);

        // the dashboard's own pages, and scripts that name no origin at all, are served
        assertThat(post(own(), "application/json", "{\"action\":\"start\"}").statusCode()).isEqualTo(200);
        assertThat(send(withCookie("/api/cameras/" + CAMERA + "/recording").header("Sec-Fetch-Site", "same-origin")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"action\":\"stop\"}"))).statusCode()).isEqualTo(200);
        assertThat(send(HttpRequest.newBuilder(root.resolve("/api/cameras/" + CAMERA + "/recording"))
                .header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString(
                        ("admin:" + AuthProfile.PASSWORD).getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                .header("X-Forwarded-For", "203.0.113.8").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"action\":\"stop\"}"))).statusCode()).isEqualTo(200);
        assertThat(received).extracting(RecordingCommand::action).containsExactly("start", "stop", "stop");
    }

    @Test
    void forgettingACameraIsRefusedFromOtherOriginsAndNeverAskedOfIngest() throws Exception {
        try (IngestReplies ingest = new IngestReplies(CAMERA)) {
            String sameSiteOtherPort = root.getScheme() + "://" + root.getHost() + ":" + (root.getPort() + 1);
            for (String origin : new String[]{"http://evil.example", sameSiteOtherPort, "null"}) {
                HttpResponse<String> refused = send(withCookie("/api/cameras/" + CAMERA).header("Origin", origin).DELETE());
                assertThat(refused.statusCode()).as(origin).isEqualTo(403);
            }
            assertThat(send(withCookie("/api/cameras/" + CAMERA).header("Sec-Fetch-Site", "cross-site").DELETE())
                    .statusCode()).isEqualTo(403);
            assertThat(ingest.received).isEmpty();
            // the dashboard's own page gets ingest's answer (no such camera here)
            assertThat(send(withCookie("/api/cameras/" + CAMERA).header("Origin", own()).DELETE()).statusCode())
                    .isEqualTo(404);
            assertThat(ingest.received).hasSize(1);
        }
    }

    @Test
    void theLiveWebSocketOpensOnlyForTheDashboardsOwnPagesAndForScripts() throws Exception {
        URI live = root.resolve("/ws/live");
        for (String origin : new String[]{"http://evil.example", root.getScheme() + "://" + root.getHost() + ":"
                + (root.getPort() + 1)}) {
            assertThatThrownBy(() -> LiveClient.open(live, "Cookie", cookie, "Origin", origin))
                    .as(origin).isInstanceOf(ExecutionException.class).cause()
                    .isInstanceOf(WebSocketHandshakeException.class)
                    .satisfies(e -> assertThat(((WebSocketHandshakeException) e).getResponse().statusCode())
                            .isEqualTo(403));
        }
        try (LiveClient page = LiveClient.open(live, "Cookie", cookie, "Origin", own())) {
            await().until(() -> !page.textsOfType("hello").isEmpty());
        }
        try (LiveClient script = LiveClient.open(live, "Cookie", cookie)) {
            await().until(() -> !script.textsOfType("hello").isEmpty());
        }
    }

    @Test
    void everyAnswerCarriesTheSecurityHeadersAndNothingIsCachedPublicly() throws Exception {
        String[][] cases = {
                {"/", "no-store"}, {"/index.html", "no-store"}, {"/recordings.html", "no-store"},
                {"/login.html", "no-store"}, {"/api/cameras", "no-store"}, {"/api/session", "no-store"},
                {"/api/recordings", "no-store"}, {"/api/recordings/r1/file", "no-store"}, {"/q/health", "no-store"},
                {"/q/metrics", "no-store"}, {"/api/nope", "no-store"}, {"/js/live.js", "private, no-cache"},
                {"/js/login.js", "private, no-cache"}, {"/css/app.css", "private, no-cache"}};
        for (String[] c : cases) {
            for (boolean signedIn : new boolean[]{true, false}) {
                HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(root.toString().replaceAll("/$", "") + c[0]))
                        .header("X-Forwarded-For", "203.0.113.9").GET();
                if (signedIn) {
                    b.header("Cookie", cookie);
                }
                HttpResponse<String> r = send(b);
                String what = c[0] + (signedIn ? " signed in" : " signed out") + " (" + r.statusCode() + ")";
                assertThat(r.headers().firstValue("Content-Security-Policy")).as(what).hasValueSatisfying(csp ->
                        assertThat(csp).contains("script-src 'self'", "frame-ancestors 'none'", "connect-src 'self'",
                                "object-src 'none'").doesNotContain("unsafe-inline", "unsafe-eval"));
                assertThat(r.headers().firstValue("X-Frame-Options")).as(what).contains("DENY");
                assertThat(r.headers().firstValue("X-Content-Type-Options")).as(what).contains("nosniff");
                assertThat(r.headers().firstValue("Referrer-Policy")).as(what).contains("same-origin");
                assertThat(r.headers().allValues("Cache-Control")).as(what)
                        .containsExactly(r.statusCode() == 200 ? c[1] : "no-store");
            }
        }
        // the 303 to the sign-in page and the 415 are answers too
        HttpResponse<String> redirect = send(HttpRequest.newBuilder(root.resolve("/index.html")).GET());
        assertThat(redirect.statusCode()).isEqualTo(303);
        assertThat(redirect.headers().firstValue("Content-Security-Policy")).isPresent();
        assertThat(post(null, null, "{}").headers().firstValue("X-Frame-Options")).contains("DENY");
    }

    @Test
    void thePagesHaveNoInlineScript() throws Exception {
        for (String page : new String[]{"/index.html", "/recordings.html", "/login.html"}) {
            String html = send(withCookie(page).GET()).body();
            assertThat(html).as(page).contains("<script type=\"module\" src=\"js/");
            assertThat(html.replaceAll("<script[^>]*src=\"[^\"]+\"[^>]*></script>", "")).as(page)
                    .doesNotContain("<script").doesNotContainPattern("\\son[a-z]+=").doesNotContain("javascript:");
        }
    }

    private String own() {
        return root.getScheme() + "://" + root.getHost() + ":" + root.getPort();
    }

    private HttpRequest.Builder withCookie(String path) {
        return HttpRequest.newBuilder(URI.create(root.toString().replaceAll("/$", "") + path))
                .header("X-Forwarded-For", "203.0.113.7").header("Cookie", cookie);
    }

    private HttpResponse<String> post(String origin, String contentType, String body) throws Exception {
        HttpRequest.Builder b = withCookie("/api/cameras/" + CAMERA + "/recording")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (origin != null) {
            b.header("Origin", origin);
        }
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        return send(b);
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
