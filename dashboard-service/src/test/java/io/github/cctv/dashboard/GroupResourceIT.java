package io.github.cctv.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.cctv.protocol.Subjects;
import io.github.cctv.protocol.event.Events;
import io.github.cctv.testing.NatsServerResource;
import io.nats.client.api.KeyValueEntry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code /api/groups} with sign-in on: groups are kept in the {@code cctv-layouts} bucket, bad ones are refused with a
 * message, and writes follow the rules of every other write (sign-in, JSON only, own origin only).
 */
@QuarkusTest
@TestProfile(AuthProfile.class)
@QuarkusTestResource(value = NatsServerResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = FakeRecorder.class, restrictToAnnotatedClass = false)
class GroupResourceIT {

    private static final HttpClient CLIENT = HttpClient.newHttpClient();
    private static final String OUTSIDE = "{\"name\":\"  Outside \",\"cameras\":[\"gate\",\"yard-2\"],\"columns\":2,"
            + "\"order\":\"listed\"}";

    @TestHTTPResource("/")
    URI root;

    private String cookie;

    @BeforeEach
    void signIn() throws Exception {
        HttpResponse<String> login = send(HttpRequest.newBuilder(root.resolve("/api/login"))
                .header("X-Forwarded-For", "203.0.113.41").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"admin\",\"password\":\""
                        + AuthProfile.PASSWORD + "\"}")));
        assertThat(login.statusCode()).isEqualTo(200);
        cookie = login.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("cctv_session="))
                .findFirst().orElseThrow().split(";", 2)[0];
    }

    @Test
    void aGroupIsKeptInTheLayoutsBucketListedByNameAndDeleted() throws Exception {
        HttpResponse<String> saved = send(signedIn("/api/groups/gr-outside").header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(OUTSIDE)));
        assertThat(saved.statusCode()).as(saved.body()).isEqualTo(200);
        JsonNode group = Events.mapper().readTree(saved.body());
        assertThat(group.path("id").asText()).isEqualTo("gr-outside");
        assertThat(group.path("name").asText()).as("the name is trimmed").isEqualTo("Outside");
        send(signedIn("/api/groups/gr-alpha").header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"name\":\"alpha yard\",\"cameras\":[]}")));

        // in NATS, where every dashboard reads it
        KeyValueEntry entry = NatsFixtures.nats().keyValue(Subjects.LAYOUTS_BUCKET).get("gr-outside");
        assertThat(entry).isNotNull();
        JsonNode stored = Events.mapper().readTree(entry.getValue());
        assertThat(stored.path("cameras")).extracting(JsonNode::asText).containsExactly("gate", "yard-2");
        assertThat(stored.path("columns").asInt()).isEqualTo(2);
        assertThat(stored.path("order").asText()).isEqualTo("listed");

        HttpResponse<String> list = send(signedIn("/api/groups").GET());
        assertThat(list.statusCode()).isEqualTo(200);
        JsonNode groups = Events.mapper().readTree(list.body());
        assertThat(groups).extracting(g -> g.path("id").asText()).containsSubsequence("gr-alpha", "gr-outside");
        assertThat(Events.mapper().readTree(send(signedIn("/api/groups/gr-alpha").GET()).body()).path("order").asText())
                .as("by name unless told").isEqualTo("name");

        assertThat(send(signedIn("/api/groups/gr-outside").DELETE()).statusCode()).isEqualTo(204);
        assertThat(send(signedIn("/api/groups/gr-outside").GET()).statusCode()).isEqualTo(404);
        assertThat(send(signedIn("/api/groups/gr-outside").DELETE()).statusCode()).isEqualTo(404);
        assertThat(NatsFixtures.nats().keyValue(Subjects.LAYOUTS_BUCKET).get("gr-outside")).isNull();
        send(signedIn("/api/groups/gr-alpha").DELETE());
    }

    @Test
    void badGroupsAreRefusedWithAMessageAndNothingIsStored() throws Exception {
        String[][] cases = {
                {"/api/groups/bad.id", OUTSIDE, "may only contain"},
                {"/api/groups/" + "x".repeat(65), OUTSIDE, "at most 64"},
                {"/api/groups/gr-bad", "{\"name\":\"\",\"cameras\":[]}", "needs a name"},
                {"/api/groups/gr-bad", "{\"name\":\"" + "n".repeat(101) + "\"}", "at most 100"},
                {"/api/groups/gr-bad", "{\"name\":\"a\\u0007b\"}", "control characters"},
                {"/api/groups/gr-bad", "{\"name\":\"Bad\",\"cameras\":[\"cctv.frames.>\"]}", "may only contain"},
                {"/api/groups/gr-bad", "{\"name\":\"Bad\",\"cameras\":[\"a\",\"a\"]}", "listed twice"},
                {"/api/groups/gr-bad", "{\"name\":\"Bad\",\"columns\":9}", "columns"},
                {"/api/groups/gr-bad", "{\"name\":\"Bad\",\"columns\":-1}", "columns"},
                {"/api/groups/gr-bad", "{\"name\":\"Bad\",\"order\":\"random\"}", "order"},
        };
        for (String[] c : cases) {
            HttpResponse<String> refused = send(signedIn(c[0]).header("Content-Type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofString(c[1])));
            assertThat(refused.statusCode()).as(c[0] + " " + c[1]).isEqualTo(400);
            assertThat(refused.body()).as(c[0] + " " + c[1]).contains(c[2]);
        }
        assertThat(send(signedIn("/api/groups/gr-bad").GET()).statusCode()).isEqualTo(404);
        assertThat(send(signedIn("/api/groups/bad.id").GET()).statusCode()).isEqualTo(400);
    }

    @Test
    void withoutSignInEveryCallIs401AndNothingChanges() throws Exception {
        send(signedIn("/api/groups/gr-kept").header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"name\":\"Kept\",\"cameras\":[\"a\"]}")));
        HttpRequest.Builder[] strangers = {
                anonymous("/api/groups").GET(),
                anonymous("/api/groups/gr-kept").GET(),
                anonymous("/api/groups/gr-kept").header("Content-Type", "application/json")
                        .PUT(HttpRequest.BodyPublishers.ofString("{\"name\":\"Taken\"}")),
                anonymous("/api/groups/gr-kept").DELETE(),
        };
        for (HttpRequest.Builder b : strangers) {
            assertThat(send(b).statusCode()).isEqualTo(401);
        }
        assertThat(send(signedIn("/api/groups/gr-kept").GET()).body()).contains("\"name\":\"Kept\"");
    }

    @Test
    void writesNeedJsonAndTheDashboardsOwnOrigin() throws Exception {
        String body = "{\"name\":\"Forged\",\"cameras\":[]}";
        HttpResponse<String> typeless = send(signedIn("/api/groups/gr-forged")
                .PUT(HttpRequest.BodyPublishers.ofString(body)));
        assertThat(typeless.statusCode()).isEqualTo(415);
        HttpResponse<String> form = send(signedIn("/api/groups/gr-forged")
                .header("Content-Type", "application/x-www-form-urlencoded").PUT(HttpRequest.BodyPublishers.ofString("name=x")));
        assertThat(form.statusCode()).isEqualTo(415);
        HttpResponse<String> foreign = send(signedIn("/api/groups/gr-forged").header("Origin", "http://evil.example")
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(body)));
        assertThat(foreign.statusCode()).isEqualTo(403);
        HttpResponse<String> crossSite = send(signedIn("/api/groups/gr-forged").header("Sec-Fetch-Site", "cross-site")
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(body)));
        assertThat(crossSite.statusCode()).isEqualTo(403);
        assertThat(send(signedIn("/api/groups/gr-forged").GET()).statusCode()).as("none of them was saved").isEqualTo(404);

        send(signedIn("/api/groups/gr-victim").header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"name\":\"Victim\"}")));
        assertThat(send(signedIn("/api/groups/gr-victim").header("Origin", "http://evil.example").DELETE()).statusCode())
                .isEqualTo(403);
        assertThat(send(signedIn("/api/groups/gr-victim").GET()).statusCode()).isEqualTo(200);

        HttpResponse<String> own = send(signedIn("/api/groups/gr-forged").header("Origin", own())
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(body)));
        assertThat(own.statusCode()).isEqualTo(200);
        assertThat(send(signedIn("/api/groups/gr-victim").header("Origin", own()).DELETE()).statusCode()).isEqualTo(204);
    }

    private String own() {
        return root.getScheme() + "://" + root.getHost() + ":" + root.getPort();
    }

    private HttpRequest.Builder anonymous(String path) {
        return HttpRequest.newBuilder(URI.create(root.toString().replaceAll("/$", "") + path))
                .header("X-Forwarded-For", "203.0.113.42");
    }

    private HttpRequest.Builder signedIn(String path) {
        return anonymous(path).header("Cookie", cookie);
    }

    private static HttpResponse<String> send(HttpRequest.Builder b) throws Exception {
        return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
