package io.github.cctv.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.cctv.protocol.Subjects;
import io.github.cctv.protocol.event.Events;
import io.github.cctv.testing.NatsServerResource;
import io.nats.client.Subscription;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Users and roles, enforced by the server over real HTTP and the real live WebSocket, with users, sessions and audit
 * events on a real NATS: a viewer cannot record or fetch a recording, a user without a camera neither sees nor
 * watches it, passwords are kept as bcrypt hashes only, and recording commands are audited with the user's name.
 */
@QuarkusTest
@TestProfile(AuthProfile.class)
@QuarkusTestResource(value = NatsServerResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = FakeRecorder.class, restrictToAnnotatedClass = false)
class UsersIT {

    private static final HttpClient CLIENT = HttpClient.newHttpClient();
    private static final AtomicInteger ADDRESSES = new AtomicInteger(10);

    @TestHTTPResource("/")
    URI root;

    @TestHTTPResource("/ws/live")
    URI live;

    @Test
    void aNewUsersPasswordIsStoredAsABcryptHashAndNeverAsTyped() throws Exception {
        String password = "plain-text-never-stored-1";
        addUser("hashed", "viewer", password, true, List.of());
        byte[] stored = NatsFixtures.nats().keyValue(Subjects.USERS_BUCKET).get("hashed").getValue();
        String text = new String(stored, StandardCharsets.UTF_8);
        assertThat(text).doesNotContain(password);
        assertThat(Events.mapper().readTree(stored).path("passwordHash").asText()).matches("\\$2[aby]?\\$10\\$.{53}");
        // the API never shows a hash either
        HttpResponse<String> list = get("/api/users", admin());
        assertThat(list.statusCode()).isEqualTo(200);
        assertThat(list.body()).contains("\"hashed\"").doesNotContain("$2").doesNotContain("passwordHash");
        // and the typed password works
        assertThat(get("/api/me", basic("hashed", password)).body()).contains("\"role\":\"viewer\"");
        assertThat(get("/api/me", basic("hashed", "wrong-password")).statusCode()).isEqualTo(401);
    }

    @Test
    void aViewerIsRefusedRecordingControlRecordingFilesAndUserManagement() throws Exception {
        addUser("vic", "viewer", "vic-password-1", true, List.of());
        String[] vic = basic("vic", "vic-password-1");
        NatsFixtures.putStatus(NatsFixtures.online("cam1", "Front"));
        try (RecorderReplies recorder = new RecorderReplies("cam1")) {
            HttpResponse<String> start = post("/api/cameras/cam1/recording", "{\"action\":\"start\"}", vic);
            assertThat(start.statusCode()).isEqualTo(403);
            assertThat(start.body()).contains("\"error\":\"Forbidden\"");
            assertThat(recorder.received).isEmpty();
        }
        int before = FakeRecorder.REQUESTS.size();
        HttpResponse<String> file = get("/api/recordings/r1/file", vic);
        assertThat(file.statusCode()).isEqualTo(403);
        assertThat(file.body()).contains("\"error\":\"Forbidden\"");
        assertThat(get("/api/recordings", vic).statusCode()).isEqualTo(403);
        assertThat(get("/recordings.html", vic).statusCode()).isEqualTo(403);
        assertThat(FakeRecorder.REQUESTS.size()).as("nothing reached the recorder").isEqualTo(before);
        assertThat(get("/api/users", vic).statusCode()).isEqualTo(403);
        assertThat(get("/users.html", vic).statusCode()).isEqualTo(403);
        assertThat(post("/api/users", "{\"name\":\"mine\",\"role\":\"admin\",\"password\":\"12345678\"}", vic)
                .statusCode()).isEqualTo(403);
        // nor may a viewer arrange the camera groups, only see them
        assertThat(put("/api/groups/shop", "{\"name\":\"Shop\",\"cameras\":[\"cam1\"]}", vic).statusCode()).isEqualTo(403);
        assertThat(get("/api/groups", vic).statusCode()).isEqualTo(200);
        // what a viewer may do: watch
        assertThat(get("/api/cameras", vic).statusCode()).isEqualTo(200);
        assertThat(get("/api/me", vic).body()).contains("\"name\":\"vic\"", "\"role\":\"viewer\"");
    }

    @Test
    void aUserWithoutACameraNeitherSeesNorWatchesItAndGets403ForItsRecordings() throws Exception {
        NatsFixtures.putStatus(NatsFixtures.online("mine-1", "Mine"));
        NatsFixtures.putStatus(NatsFixtures.online("theirs-1", "Theirs"));
        addUser("olga", "operator", "olga-password-1", false, List.of("mine-1"));
        String[] olga = basic("olga", "olga-password-1");
        await().atMost(Duration.ofSeconds(10)).until(() -> get("/api/cameras", admin()).body().contains("theirs-1"));

        HttpResponse<String> cameras = get("/api/cameras", olga);
        assertThat(cameras.statusCode()).isEqualTo(200);
        assertThat(cameras.body()).contains("mine-1").doesNotContain("theirs-1");
        assertThat(get("/api/cameras/theirs-1", olga).statusCode()).isEqualTo(403);
        assertThat(get("/api/cameras/theirs-1/snapshot.jpg", olga).statusCode()).isEqualTo(403);
        assertThat(post("/api/cameras/theirs-1/recording", "{\"action\":\"start\"}", olga).statusCode()).isEqualTo(403);
        assertThat(get("/api/cameras/mine-1", olga).statusCode()).isEqualTo(200);
        assertThat(get("/api/events?camera=theirs-1", olga).statusCode()).isEqualTo(403);
        // the recordings proxy: another camera's recording (r1 is cam1's) and listings
        assertThat(get("/api/recordings/r1/file", olga).statusCode()).isEqualTo(403);
        assertThat(get("/api/recordings?camera=cam1", olga).statusCode()).isEqualTo(403);
        HttpResponse<String> all = get("/api/recordings", olga);
        assertThat(all.statusCode()).isEqualTo(200);
        assertThat(all.body()).isEqualTo("[]");
        assertThat(get("/api/recordings", admin()).body()).contains("\"cam1\"");
        assertThat(put("/api/recordings/r1/keep", "{\"keep\":true}", olga).statusCode()).isEqualTo(403);

        // the live WebSocket, opened with a session of olga's
        String cookie = signIn("olga", "olga-password-1");
        try (LiveClient client = LiveClient.open(live, "Cookie", cookie)) {
            await().atMost(Duration.ofSeconds(10)).until(() -> !client.textsOfType("cameras").isEmpty());
            String listed = client.textsOfType("cameras").get(0).toString();
            assertThat(listed).contains("mine-1").doesNotContain("theirs-1");
            client.send("{\"type\":\"subscribe\",\"cameras\":{\"theirs-1\":0}}");
            await().atMost(Duration.ofSeconds(10)).until(() -> !client.textsOfType("error").isEmpty());
            assertThat(client.textsOfType("error").get(0).path("message").asText())
                    .contains("theirs-1").contains("not among the cameras you may watch");
            assertThat(client.textsOfType("subscribed")).isEmpty();
            // a status change of the other camera never reaches this page; one of its own does
            NatsFixtures.putStatus(NatsFixtures.online("theirs-1", "Theirs again"));
            NatsFixtures.putStatus(NatsFixtures.online("mine-1", "Mine again"));
            await().atMost(Duration.ofSeconds(10)).until(() -> client.textsOfType("camera").stream()
                    .anyMatch(t -> t.toString().contains("Mine again")));
            assertThat(client.textsOfType("camera")).noneMatch(t -> t.toString().contains("theirs-1"));
            client.send("{\"type\":\"subscribe\",\"cameras\":{\"mine-1\":0}}");
            await().atMost(Duration.ofSeconds(10)).until(() -> !client.textsOfType("subscribed").isEmpty());
        }
    }

    @Test
    void aLimitedUsersRecordingIsAskedOfTheRecorderOnceNotForEveryRangeOfIt() throws Exception {
        addUser("fred", "operator", "fred-password-1", false, List.of("cam1"));
        String[] fred = basic("fred", "fred-password-1");
        int from = FakeRecorder.REQUESTS.size();
        for (int i = 0; i < 3; i++) {
            assertThat(get("/api/recordings/r1/file", fred).statusCode()).as("r1 (cam1's) for fred, %d", i).isEqualTo(200);
        }
        List<String> asked = FakeRecorder.REQUESTS.subList(from, FakeRecorder.REQUESTS.size());
        assertThat(asked).as("requests the recorder got")
                .filteredOn(r -> r.startsWith("GET /api/recordings/r1/file ")).hasSize(3);
        // once at the most: an earlier request of r1 (another test's) may have asked already
        assertThat(asked).as("questions of r1's camera")
                .filteredOn(r -> r.startsWith("GET /api/recordings/r1 ")).hasSizeLessThanOrEqualTo(1);
    }

    @Test
    void aRecordingCommandIsAuditedWithTheUsersNameAndTheRecordingSaysWhoAsked() throws Exception {
        addUser("rita", "operator", "rita-password-1", true, List.of());
        NatsFixtures.putStatus(NatsFixtures.online("audited-1", "Audited"));
        List<JsonNode> events = new java.util.concurrent.CopyOnWriteArrayList<>();
        Subscription sub = NatsFixtures.nats().subscribe(Subjects.audit("recording"));
        NatsFixtures.nats().flush(Duration.ofSeconds(2));
        try (RecorderReplies recorder = new RecorderReplies("audited-1")) {
            HttpResponse<String> start = post("/api/cameras/audited-1/recording",
                    "{\"action\":\"start\",\"by\":\"someone else\"}", basic("rita", "rita-password-1"));
            assertThat(start.statusCode()).as(start.body()).isEqualTo(200);
            assertThat(recorder.received).hasSize(1);
            assertThat(recorder.received.get(0).by()).isEqualTo("rita");
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                io.nats.client.Message m = sub.nextMessage(Duration.ofMillis(200));
                if (m != null) {
                    events.add(Events.mapper().readTree(m.getData()));
                }
                return events.stream().anyMatch(e -> e.path("cameraId").asText().equals("audited-1"));
            });
        } finally {
            sub.unsubscribe();
        }
        JsonNode e = events.stream().filter(x -> x.path("cameraId").asText().equals("audited-1")).findFirst().orElseThrow();
        assertThat(e.path("type").asText()).isEqualTo("recording");
        assertThat(e.path("user").asText()).isEqualTo("rita");
        assertThat(e.path("action").asText()).isEqualTo("start");
        assertThat(e.path("time").asText()).isNotEmpty();
        // kept in the audit stream, too
        assertThat(NatsFixtures.nats().jetStreamManagement().getStreamInfo(Subjects.AUDIT_STREAM).getStreamState()
                .getMsgCount()).isPositive();
    }

    @Test
    void aFailedSignInIsAuditedWithoutTheTypedNameOrPassword() throws Exception {
        Subscription sub = NatsFixtures.nats().subscribe(Subjects.audit("sign-in"));
        NatsFixtures.nats().flush(Duration.ofSeconds(2));
        String typed = "hunter2-typed-in-the-name-box";
        try {
            HttpResponse<String> r = send(HttpRequest.newBuilder(root.resolve("/api/login"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                            "{\"username\":\"" + typed + "\",\"password\":\"secret-typed\"}")), address());
            assertThat(r.statusCode()).isEqualTo(401);
            List<String> seen = new ArrayList<>();
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                io.nats.client.Message m = sub.nextMessage(Duration.ofMillis(200));
                if (m != null) {
                    seen.add(new String(m.getData(), StandardCharsets.UTF_8));
                }
                return seen.stream().anyMatch(s -> s.contains("\"failed\"") && s.contains("unknown user"));
            });
            assertThat(seen).noneMatch(s -> s.contains(typed) || s.contains("secret-typed"));
        } finally {
            sub.unsubscribe();
        }
    }

    private void addUser(String name, String role, String password, boolean all, List<String> cameras) throws Exception {
        String body = "{\"name\":\"" + name + "\",\"role\":\"" + role + "\",\"password\":\"" + password
                + "\",\"allCameras\":" + all + ",\"cameras\":" + Events.mapper().writeValueAsString(cameras) + "}";
        HttpResponse<String> r = post("/api/users", body, admin());
        assertThat(r.statusCode()).as(r.body()).isIn(201, 409);
        if (r.statusCode() == 409) { // a rerun on the same NATS: make it as this test wants it
            String change = "{\"role\":\"" + role + "\",\"password\":\"" + password + "\",\"enabled\":true,"
                    + "\"allCameras\":" + all + ",\"cameras\":" + Events.mapper().writeValueAsString(cameras) + "}";
            assertThat(put("/api/users/" + name, change, admin()).statusCode()).isEqualTo(200);
        }
    }

    private String signIn(String user, String password) throws Exception {
        HttpResponse<String> r = send(HttpRequest.newBuilder(root.resolve("/api/login"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                        "{\"username\":\"" + user + "\",\"password\":\"" + password + "\"}")), address());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return r.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("cctv_session="))
                .findFirst().orElseThrow().split(";", 2)[0];
    }

    private static String[] admin() {
        return basic(AuthProfile.USER, AuthProfile.PASSWORD);
    }

    private static String[] basic(String user, String password) {
        return new String[]{"Authorization", "Basic " + Base64.getEncoder()
                .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8))};
    }

    private static String address() {
        return "10.14." + (ADDRESSES.get() / 250) + "." + (ADDRESSES.getAndIncrement() % 250 + 1);
    }

    private HttpResponse<String> get(String path, String... headers) throws Exception {
        return send(HttpRequest.newBuilder(root.resolve(path)).headers(headers).GET(), address());
    }

    private HttpResponse<String> post(String path, String json, String... headers) throws Exception {
        return send(HttpRequest.newBuilder(root.resolve(path)).headers(headers).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)), address());
    }

    private HttpResponse<String> put(String path, String json, String... headers) throws Exception {
        return send(HttpRequest.newBuilder(root.resolve(path)).headers(headers).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json)), address());
    }

    private static HttpResponse<String> send(HttpRequest.Builder b, String address) throws Exception {
        return CLIENT.send(b.header("X-Forwarded-For", address).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
