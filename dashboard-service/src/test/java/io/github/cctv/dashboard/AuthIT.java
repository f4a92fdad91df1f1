package io.github.cctv.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.cctv.dashboard.domain.auth.SessionTokens;
import io.github.cctv.protocol.Subjects;
import io.github.cctv.protocol.event.Events;
import io.github.cctv.testing.NatsServerResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Sign-in on: who gets in, with what, and who is kept out. */
@QuarkusTest
@TestProfile(AuthProfile.class)
@QuarkusTestResource(value = NatsServerResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = FakeRecorder.class, restrictToAnnotatedClass = false)
class AuthIT {

    private static final HttpClient CLIENT = HttpClient.newHttpClient(); // never follows redirects
    /** Each test is its own client address (X-Forwarded-For), so failures in one never throttle another. */
    private static final AtomicInteger ADDRESSES = new AtomicInteger(10);

    @TestHTTPResource("/")
    URI root;

    @Test
    void pagesRedirectToSignInAndEverythingElseAnswers401() throws Exception {
        String me = address();
        HttpResponse<String> page = get("/", me);
        assertThat(page.statusCode()).isEqualTo(303);
        assertThat(page.headers().firstValue("Location")).contains("/login.html?next=%2F");
        HttpResponse<String> recordings = get("/recordings.html?camera=cam1", me);
        assertThat(recordings.statusCode()).isEqualTo(303);
        assertThat(recordings.headers().firstValue("Location"))
                .contains("/login.html?next=%2Frecordings.html%3Fcamera%3Dcam1");
        assertThat(get("/index.html", me).statusCode()).isEqualTo(303);

        for (String path : new String[]{"/api/cameras", "/api/events", "/api/viewers", "/api/session",
                "/api/recordings", "/api/recordings/r1/file", "/js/live.js", "/q/metrics", "/q/openapi"}) {
            HttpResponse<String> denied = get(path, me);
            assertThat(denied.statusCode()).as(path).isEqualTo(401);
            assertThat(denied.headers().firstValue("Content-Type")).as(path).hasValueSatisfying(
                    t -> assertThat(t).startsWith("application/json"));
            assertThat(denied.body()).as(path).contains("\"error\":\"Unauthorized\"");
            assertThat(denied.headers().firstValue("WWW-Authenticate")).as(path).hasValueSatisfying(
                    h -> assertThat(h).startsWith("Basic realm="));
        }
        HttpResponse<String> post = send(HttpRequest.newBuilder(root.resolve("/api/cameras/cam1/recording"))
                .header("X-Forwarded-For", me).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"action\":\"start\"}")));
        assertThat(post.statusCode()).isEqualTo(401);
        HttpResponse<String> delete = send(HttpRequest.newBuilder(root.resolve("/api/cameras/cam1"))
                .header("X-Forwarded-For", me).DELETE());
        assertThat(delete.statusCode()).isEqualTo(401);
        // a browser is not challenged for Basic (that would open its own password dialog)
        HttpResponse<String> fromBrowser = get("/api/cameras", me, "Sec-Fetch-Mode", "cors");
        assertThat(fromBrowser.statusCode()).isEqualTo(401);
        assertThat(fromBrowser.headers().firstValue("WWW-Authenticate")).isEmpty();
    }

    @Test
    void signInPageItsAssetsAndHealthAreOpen() throws Exception {
        String me = address();
        for (String path : new String[]{"/login.html", "/css/app.css", "/js/login.js", "/q/health", "/q/health/ready",
                "/q/health/live", "/q/health/started"}) {
            assertThat(get(path, me).statusCode()).as(path).isEqualTo(200);
        }
        assertThat(get("/login.html", me).body()).contains("action=\"/api/login\"");
        // dot segments do not sneak past the gate
        assertThat(get("/q/health/../metrics", me).statusCode()).isEqualTo(401);
        assertThat(get("/css/../index.html", me).statusCode()).isEqualTo(303);
    }

    @Test
    void healthTellsStrangersOnlyUpOrDownAndSignedInCallersTheDetails() throws Exception {
        String me = address();
        for (String path : new String[]{"/q/health", "/q/health/ready", "/q/health/live", "/q/health/well",
                "/q/health/group", "/q/health/nope"}) {
            HttpResponse<String> open = get(path, me);
            assertThat(open.body()).as(path).isIn("{\"status\":\"UP\"}", "{\"status\":\"DOWN\"}");
            assertThat(open.body()).as(path).doesNotContain("nats://", "127.0.0.1", "server", "checks");
            // a broken cookie changes nothing
            assertThat(get(path, me, "Cookie", "cctv_session=garbage").body()).as(path).isEqualTo(open.body());
        }
        String cookie = cookieOf(login(me, AuthProfile.USER, AuthProfile.PASSWORD, null));
        HttpResponse<String> detailed = get("/q/health/ready", me, "Cookie", cookie);
        assertThat(detailed.statusCode()).isEqualTo(200);
        assertThat(json(detailed).path("checks").get(0).path("data").path("server").asText()).startsWith("nats://");
        assertThat(json(get("/q/health", me, "Authorization", basic(AuthProfile.USER, AuthProfile.PASSWORD)))
                .path("checks").isArray()).isTrue();
    }

    @Test
    void typedUserNamesNeverReachTheLog() throws Exception {
        String me = address();
        String typed = "my-secret-passphrase-typed-as-user";
        List<String> lines = new CopyOnWriteArrayList<>();
        java.util.logging.Handler capture = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord record) {
                lines.add(new java.util.logging.SimpleFormatter().formatMessage(record));
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        java.util.logging.Logger log = java.util.logging.Logger.getLogger("io.github.cctv.dashboard.endpoint.AuthFilter");
        log.addHandler(capture);
        try {
            assertThat(login(me, typed, "whatever", null).statusCode()).isEqualTo(401);
            assertThat(get("/api/cameras", me, "Authorization", basic(typed, "x")).statusCode()).isEqualTo(401);
            assertThat(login(me, AuthProfile.USER, "wrong", null).statusCode()).isEqualTo(401);
        } finally {
            log.removeHandler(capture);
        }
        assertThat(lines).hasSize(3).allSatisfy(l -> assertThat(l).startsWith("Failed sign-in from " + me)
                .doesNotContain(typed).doesNotContain("my-secret"));
        assertThat(lines.get(0)).contains("an unknown user name #");
        assertThat(lines.get(1)).isEqualTo(lines.get(0).replace("sign-in page", "HTTP Basic"));
        assertThat(lines.get(2)).contains("user 'admin'");
    }

    @Test
    void signInTakesOnlyJsonOrAFormAndRefusesOtherSitesPagesBeforeCountingThem() throws Exception {
        String me = address();
        String body = "{\"username\":\"admin\",\"password\":" + quote(AuthProfile.PASSWORD) + "}";
        HttpResponse<String> typeless = send(HttpRequest.newBuilder(root.resolve("/api/login"))
                .header("X-Forwarded-For", me).POST(HttpRequest.BodyPublishers.ofString(body)));
        assertThat(typeless.statusCode()).isEqualTo(415);
        assertThat(typeless.headers().firstValue("Set-Cookie")).isEmpty();
        String own = root.toString().replaceAll("/$", "");
        for (int i = 0; i < 10; i++) {
            HttpResponse<String> foreign = send(HttpRequest.newBuilder(root.resolve("/api/login"))
                    .header("X-Forwarded-For", me).header("Origin", "http://evil.example")
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("username=admin&password=guess" + i)));
            assertThat(foreign.statusCode()).isEqualTo(403);
        }
        // ten refused cross-site attempts counted for nothing: the right password still gets in at once
        HttpResponse<String> right = send(HttpRequest.newBuilder(root.resolve("/api/login"))
                .header("X-Forwarded-For", me).header("Origin", own).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
        assertThat(right.statusCode()).isEqualTo(200);
    }

    @Test
    void aBrowserThatSignedInBeforeIsNotLockedOutByFailuresFromItsAddress() throws Exception {
        String me = address();
        HttpResponse<String> first = login(me, AuthProfile.USER, AuthProfile.PASSWORD, null);
        String device = first.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("cctv_device="))
                .findFirst().orElseThrow();
        assertThat(device).contains("; Path=/api/login", "; HttpOnly", "; SameSite=Strict", "; Max-Age=7776000");
        String deviceCookie = device.split(";", 2)[0];
        // a stranger behind the same address fails over and over
        for (int i = 0; i < 8; i++) {
            login(me, AuthProfile.USER, "guess-" + i, null);
        }
        assertThat(login(me, AuthProfile.USER, AuthProfile.PASSWORD, null).statusCode()).isEqualTo(429);
        // the browser that signed in here before is counted apart: its right password still works
        HttpResponse<String> again = send(HttpRequest.newBuilder(root.resolve("/api/login"))
                .header("X-Forwarded-For", me).header("Cookie", deviceCookie).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"admin\",\"password\":"
                        + quote(AuthProfile.PASSWORD) + "}")));
        assertThat(again.statusCode()).isEqualTo(200);
        // a forged device cookie is just the address
        assertThat(send(HttpRequest.newBuilder(root.resolve("/api/login"))
                .header("X-Forwarded-For", me).header("Cookie", "cctv_device=forged.token")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"admin\",\"password\":"
                        + quote(AuthProfile.PASSWORD) + "}"))).statusCode()).isEqualTo(429);
    }

    @Test
    void wrongPasswordIs401AndTheRightOneGivesACookieThatWorks() throws Exception {
        String me = address();
        HttpResponse<String> wrong = login(me, AuthProfile.USER, "guess", null);
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(wrong.headers().firstValue("Set-Cookie")).isEmpty();
        assertThat(login(me, "root", AuthProfile.PASSWORD, null).statusCode()).isEqualTo(401);

        HttpResponse<String> right = login(me, AuthProfile.USER, AuthProfile.PASSWORD, "/recordings.html");
        assertThat(right.statusCode()).isEqualTo(200);
        JsonNode body = json(right);
        assertThat(body.path("user").asText()).isEqualTo(AuthProfile.USER);
        assertThat(body.path("next").asText()).isEqualTo("/recordings.html");
        assertThat(Instant.parse(body.path("expiresAt").asText())).isAfter(Instant.now().plus(Duration.ofHours(11)));
        String setCookie = right.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("cctv_session="))
                .findFirst().orElseThrow();
        assertThat(setCookie).startsWith("cctv_session=").contains("; Path=/", "; HttpOnly", "; SameSite=Strict",
                "; Max-Age=43200").doesNotContain("Secure");

        String cookie = cookieOf(right);
        assertThat(get("/api/cameras", me, "Cookie", cookie).statusCode()).isEqualTo(200);
        assertThat(get("/", me, "Cookie", cookie).statusCode()).isEqualTo(200);
        assertThat(get("/recordings.html", me, "Cookie", cookie).statusCode()).isEqualTo(200);
        assertThat(get("/q/metrics", me, "Cookie", cookie).body()).contains("cctv_dashboard_viewers");
        assertThat(get("/q/openapi", me, "Cookie", cookie).statusCode()).isEqualTo(200);
        JsonNode session = json(get("/api/session", me, "Cookie", cookie));
        assertThat(session.path("user").asText()).isEqualTo(AuthProfile.USER);
        assertThat(session.path("authEnabled").asBoolean()).isTrue();

        // the recorder never sees the dashboard's credentials
        FakeRecorder.CREDENTIALS.clear();
        assertThat(get("/api/recordings", me, "Cookie", cookie).statusCode()).isEqualTo(200);
        assertThat(FakeRecorder.CREDENTIALS).isEmpty();
    }

    @Test
    void cookieIsSecureAndHstsSentWhenTheBrowserCameOverHttps() throws Exception {
        String me = address();
        HttpResponse<String> right = send(HttpRequest.newBuilder(root.resolve("/api/login"))
                .header("X-Forwarded-For", me).header("X-Forwarded-Proto", "https")
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                        "{\"username\":\"admin\",\"password\":\"" + AuthProfile.PASSWORD + "\"}")));
        assertThat(right.statusCode()).isEqualTo(200);
        assertThat(right.headers().allValues("Set-Cookie")).hasSize(2).allSatisfy(c -> assertThat(c).contains("; Secure"));
        // and HSTS over HTTPS only
        assertThat(right.headers().firstValue("Strict-Transport-Security")).contains("max-age=31536000");
        assertThat(get("/login.html", me).headers().firstValue("Strict-Transport-Security")).isEmpty();
    }

    @Test
    void formPostRedirectsAndOnlyToLocalPaths() throws Exception {
        String me = address();
        HttpResponse<String> wrong = form(me, "username=admin&password=nope&next=%2Frecordings.html");
        assertThat(wrong.statusCode()).isEqualTo(303);
        assertThat(wrong.headers().firstValue("Location"))
                .contains("/login.html?error=wrong&next=%2Frecordings.html");

        String password = URLEncoder.encode(AuthProfile.PASSWORD, StandardCharsets.UTF_8);
        HttpResponse<String> right = form(me, "username=admin&password=" + password + "&next=%2Frecordings.html");
        assertThat(right.statusCode()).isEqualTo(303);
        assertThat(right.headers().firstValue("Location")).contains("/recordings.html");
        assertThat(right.headers().firstValue("Set-Cookie")).isPresent();

        for (String next : new String[]{"//evil.example/", "https://evil.example/", "/\\evil.example", "evil"}) {
            HttpResponse<String> signedIn = login(me, AuthProfile.USER, AuthProfile.PASSWORD, next);
            assertThat(json(signedIn).path("next").asText()).as(next).isEqualTo("/");
        }
    }

    @Test
    void basicAuthWorksForScripts() throws Exception {
        String me = address();
        assertThat(get("/api/cameras", me, "Authorization", basic(AuthProfile.USER, AuthProfile.PASSWORD))
                .statusCode()).isEqualTo(200);
        assertThat(get("/q/metrics", me, "Authorization", basic(AuthProfile.USER, AuthProfile.PASSWORD))
                .statusCode()).isEqualTo(200);
        assertThat(get("/api/cameras", me, "Authorization", basic(AuthProfile.USER, "nope")).statusCode())
                .isEqualTo(401);
        assertThat(get("/api/cameras", me, "Authorization", "Basic !!!not-base64").statusCode()).isEqualTo(401);
        // a wrong Basic header is not rescued by a cookie: what the client asked for is what it gets
        assertThat(get("/", me, "Authorization", basic("x", "y")).statusCode()).isEqualTo(401);
    }

    @Test
    void tamperedExpiredForeignAndUnknownCookiesAreRefused() throws Exception {
        String me = address();
        String cookie = cookieOf(login(me, AuthProfile.USER, AuthProfile.PASSWORD, null));
        String token = cookie.substring("cctv_session=".length());
        int dot = token.indexOf('.');

        SessionTokens sameKey = new SessionTokens(AuthProfile.SECRET.getBytes(StandardCharsets.UTF_8),
                Duration.ofHours(12), Clock.systemUTC());
        SessionTokens otherKey = new SessionTokens("another dashboard's secret".getBytes(StandardCharsets.UTF_8),
                Duration.ofHours(12), Clock.systemUTC());
        SessionTokens.Claims mine = sameKey.verify(token).orElseThrow();
        String otherUser = Base64.getUrlEncoder().withoutPadding().encodeToString(("s|" + mine.id() + "|root|"
                + Instant.now().plus(Duration.ofHours(1)).getEpochSecond()).getBytes(StandardCharsets.UTF_8));
        char last = token.charAt(token.length() - 1);
        String flipped = token.substring(0, token.length() - 1) + (last == 'A' ? 'B' : 'A');
        String expired = sameKey.sign(new SessionTokens.Claims(mine.id(), AuthProfile.USER, Instant.now().minusSeconds(1)));
        // signed with the right key, but no dashboard ever started this session
        String neverStarted = sameKey.issue(AuthProfile.USER).token();

        for (String bad : new String[]{flipped, otherUser + token.substring(dot), expired, neverStarted,
                otherKey.issue(AuthProfile.USER).token(), sameKey.sign(new SessionTokens.Claims(mine.id(), "root",
                mine.expiresAt())), "", "garbage", "a.b.c"}) {
            assertThat(get("/api/cameras", me, "Cookie", "cctv_session=" + bad).statusCode()).as(bad).isEqualTo(401);
            assertThat(get("/", me, "Cookie", "cctv_session=" + bad).statusCode()).as(bad).isEqualTo(303);
        }
        assertThat(get("/api/cameras", me, "Cookie", cookie).statusCode()).isEqualTo(200);
    }

    @Test
    void aSessionStartedByAnotherDashboardIsAcceptedHere() throws Exception {
        String me = address();
        // another dashboard with the same secret starts a session: it writes the shared bucket, as this one does
        SessionTokens sameKey = new SessionTokens(AuthProfile.SECRET.getBytes(StandardCharsets.UTF_8),
                Duration.ofHours(12), Clock.systemUTC());
        SessionTokens.Issued elsewhere = sameKey.issue(AuthProfile.USER);
        // the session records the user's stamp, as every dashboard writes it
        String stamp = Events.mapper().readTree(NatsFixtures.nats().keyValue(Subjects.USERS_BUCKET)
                .get(AuthProfile.USER).getValue()).path("stamp").asText();
        NatsFixtures.nats().keyValue(Subjects.SESSIONS_BUCKET).put(elsewhere.claims().id(),
                ("{\"user\":\"admin\",\"expiresAt\":\"" + elsewhere.expiresAt() + "\",\"stamp\":\"" + stamp
                        + "\"}").getBytes(StandardCharsets.UTF_8));
        await().atMost(Duration.ofSeconds(5)).until(() ->
                get("/api/cameras", me, "Cookie", "cctv_session=" + elsewhere.token()).statusCode() == 200);
        // and ended there: refused here within moments
        NatsFixtures.nats().keyValue(Subjects.SESSIONS_BUCKET).delete(elsewhere.claims().id());
        await().atMost(Duration.ofSeconds(5)).until(() ->
                get("/api/cameras", me, "Cookie", "cctv_session=" + elsewhere.token()).statusCode() == 401);
    }

    @Test
    void logoutClearsTheCookie() throws Exception {
        String me = address();
        String cookie = cookieOf(login(me, AuthProfile.USER, AuthProfile.PASSWORD, null));
        HttpResponse<String> out = send(HttpRequest.newBuilder(root.resolve("/api/logout"))
                .header("X-Forwarded-For", me).header("Cookie", cookie).POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(out.statusCode()).isEqualTo(204);
        String cleared = out.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(cleared).startsWith("cctv_session=;").contains("Max-Age=0", "Path=/");
        // what the browser sends after sign-out: the cleared cookie
        assertThat(get("/api/cameras", me, "Cookie", "cctv_session=").statusCode()).isEqualTo(401);
        // and a copy of the cookie taken before is refused too: the session itself ended
        assertThat(get("/api/cameras", me, "Cookie", cookie).statusCode()).isEqualTo(401);
        assertThat(get("/ws/live", me, "Cookie", cookie).statusCode()).isEqualTo(401);

        HttpResponse<String> formOut = send(HttpRequest.newBuilder(root.resolve("/api/logout"))
                .header("X-Forwarded-For", me).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(formOut.statusCode()).isEqualTo(303);
        assertThat(formOut.headers().firstValue("Location")).contains("/login.html");
    }

    @Test
    void throttlesAnAddressAfterRepeatedFailures() throws Exception {
        String me = address();
        for (int i = 0; i < 5; i++) {
            assertThat(login(me, AuthProfile.USER, "guess-" + i, null).statusCode()).isEqualTo(401);
        }
        // even the right password waits now
        HttpResponse<String> throttled = login(me, AuthProfile.USER, AuthProfile.PASSWORD, null);
        assertThat(throttled.statusCode()).isEqualTo(429);
        long retryAfter = Long.parseLong(throttled.headers().firstValue("Retry-After").orElseThrow());
        assertThat(retryAfter).isBetween(1L, 60L);
        assertThat(throttled.headers().firstValue("Set-Cookie")).isEmpty();
        assertThat(get("/api/cameras", me, "Authorization", basic(AuthProfile.USER, AuthProfile.PASSWORD))
                .statusCode()).isEqualTo(429);

        // other clients are not affected
        String other = address();
        assertThat(login(other, AuthProfile.USER, AuthProfile.PASSWORD, null).statusCode()).isEqualTo(200);
    }

    @Test
    void basicAuthFailuresCountTowardsTheThrottle() throws Exception {
        String me = address();
        for (int i = 0; i < 5; i++) {
            assertThat(get("/api/cameras", me, "Authorization", basic(AuthProfile.USER, "guess-" + i)).statusCode())
                    .isEqualTo(401);
        }
        assertThat(login(me, AuthProfile.USER, AuthProfile.PASSWORD, null).statusCode()).isEqualTo(429);
    }

    @Test
    void liveWebSocketIsRefusedWithoutASessionAndAcceptedWithOne() throws Exception {
        URI live = root.resolve("/ws/live");
        assertThatThrownBy(() -> LiveClient.open(live)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(WebSocketHandshakeException.class)
                .satisfies(e -> assertThat(((WebSocketHandshakeException) e).getResponse().statusCode())
                        .isEqualTo(401));
        assertThatThrownBy(() -> LiveClient.open(live, "Cookie", "cctv_session=garbage"))
                .isInstanceOf(ExecutionException.class).cause().isInstanceOf(WebSocketHandshakeException.class);

        String cookie = cookieOf(login(address(), AuthProfile.USER, AuthProfile.PASSWORD, null));
        try (LiveClient client = LiveClient.open(live, "Cookie", cookie)) {
            await().until(() -> !client.textsOfType("hello").isEmpty());
        }
        String basic = basic(AuthProfile.USER, AuthProfile.PASSWORD);
        try (LiveClient client = LiveClient.open(live, "Authorization", basic)) {
            await().until(() -> !client.textsOfType("hello").isEmpty());
        }
    }

    private static String address() {
        return "198.51.100." + ADDRESSES.incrementAndGet();
    }

    private HttpResponse<String> get(String path, String address, String... headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(root.toString().replaceAll("/$", "") + path))
                .header("X-Forwarded-For", address).GET();
        if (headers.length > 0) {
            b.headers(headers);
        }
        return send(b);
    }

    private HttpResponse<String> login(String address, String user, String password, String next)
            throws IOException, InterruptedException {
        String json = "{\"username\":" + quote(user) + ",\"password\":" + quote(password)
                + (next == null ? "" : ",\"next\":" + quote(next)) + "}";
        return send(HttpRequest.newBuilder(root.resolve("/api/login")).header("X-Forwarded-For", address)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    private HttpResponse<String> form(String address, String body) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(root.resolve("/api/login")).header("X-Forwarded-For", address)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** {@code name=value} of the session cookie a response sets. */
    private static String cookieOf(HttpResponse<String> response) {
        assertThat(response.statusCode()).isEqualTo(200);
        return response.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("cctv_session="))
                .findFirst().orElseThrow().split(";", 2)[0];
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private static JsonNode json(HttpResponse<String> response) throws IOException {
        return Events.mapper().readTree(response.body());
    }
}
