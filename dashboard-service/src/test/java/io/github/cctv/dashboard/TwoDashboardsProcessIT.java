package io.github.cctv.dashboard;

import io.github.cctv.protocol.Subjects;
import io.github.cctv.testing.NatsTestServer;
import io.github.cctv.testing.ServiceProcess;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.Nats;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.abort;

/**
 * The packaged dashboard ({@code target/quarkus-app}) run as real processes on one NATS, as behind a load balancer:
 * a sign-out on one ends the session on the other, disabling a user on one ends that user's sessions and live pages on
 * both, a restart keeps people signed in (the secrets are files, made on the first start), and thousands of half-sent
 * requests are closed by the header timeout. Runs after
 * {@code package} (the module's {@code packaged-service} test execution).
 */
class TwoDashboardsProcessIT {

    private static final Path REPO = Path.of("").toAbsolutePath().getParent();
    private static final Path LOGS = Path.of("target", "process-logs").toAbsolutePath();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final Duration READY = Duration.ofSeconds(90);

    private static NatsTestServer nats;

    @TempDir
    Path secrets;

    private final List<ServiceProcess> started = new ArrayList<>();
    private final Map<ServiceProcess, URI> bases = new java.util.HashMap<>();

    @BeforeAll
    static void natsServer() {
        if (!Boolean.getBoolean("cctv.packaged-service")) {
            abort("runs against the packaged dashboard, in the integration-test phase (./mvnw verify)");
        }
        nats = NatsTestServer.start();
    }

    @AfterAll
    static void stopNats() {
        if (nats != null) {
            nats.close();
        }
    }

    @AfterEach
    void stopDashboards() throws Exception {
        started.forEach(ServiceProcess::close);
        // each test is a fresh system: its own password file makes its own first admin
        try (Connection c = Nats.connect(nats.url())) {
            try {
                c.keyValueManagement().delete(Subjects.USERS_BUCKET);
            } catch (JetStreamApiException e) {
                // never made
            }
        }
    }

    @Test
    void disablingAUserOnOneDashboardEndsTheirSessionAndLivePageOnBoth() throws Exception {
        URI a = start("dashboard-users-a");
        URI b = start("dashboard-users-b");
        String admin = signIn(a);
        HttpResponse<String> added = HTTP.send(HttpRequest.newBuilder(a.resolve("/api/users")).header("Cookie", admin)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                        "{\"name\":\"vera\",\"role\":\"viewer\",\"password\":\"vera-password\","
                                + "\"allCameras\":true}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(added.statusCode()).as(added.body()).isEqualTo(201);
        // the new user reaches b through the users bucket
        await().atMost(Duration.ofSeconds(10)).until(() -> HTTP.send(HttpRequest.newBuilder(b.resolve("/api/users"))
                .header("Cookie", admin).build(), HttpResponse.BodyHandlers.ofString()).body().contains("\"vera\""));
        String vera = signInOrNull(b, "vera", "vera-password");
        assertThat(vera).isNotNull();
        assertThat(get(a, "/api/cameras", vera)).isEqualTo(200);
        assertThat(get(b, "/api/cameras", vera)).isEqualTo(200);
        java.util.concurrent.CompletableFuture<Integer> closed = new java.util.concurrent.CompletableFuture<>();
        java.util.concurrent.CompletableFuture<String> hello = new java.util.concurrent.CompletableFuture<>();
        java.net.http.WebSocket live = HTTP.newWebSocketBuilder().header("Cookie", vera)
                .buildAsync(URI.create(b.toString().replace("http:", "ws:") + "ws/live"), new java.net.http.WebSocket.Listener() {
                    @Override
                    public java.util.concurrent.CompletionStage<?> onText(java.net.http.WebSocket ws, CharSequence data,
                                                                          boolean last) {
                        hello.complete(data.toString());
                        ws.request(1);
                        return null;
                    }

                    @Override
                    public java.util.concurrent.CompletionStage<?> onClose(java.net.http.WebSocket ws, int code,
                                                                           String reason) {
                        closed.complete(code);
                        return null;
                    }
                }).get(10, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(hello.get(10, java.util.concurrent.TimeUnit.SECONDS)).contains("hello");

        HttpResponse<String> disabled = HTTP.send(HttpRequest.newBuilder(a.resolve("/api/users/vera"))
                .header("Cookie", admin).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"enabled\":false}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(disabled.statusCode()).as(disabled.body()).isEqualTo(200);
        assertThat(get(a, "/api/cameras", vera)).isEqualTo(401);
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100))
                .until(() -> get(b, "/api/cameras", vera) == 401);
        assertThat(closed.get(5, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(1008);
        assertThat(signInOrNull(b, "vera", "vera-password")).isNull();
        // the admin is untouched
        assertThat(get(b, "/api/cameras", admin)).isEqualTo(200);
        live.abort();
    }

    @Test
    void signingOutOnOneDashboardEndsTheSessionOnTheOther() throws Exception {
        URI a = start("dashboard-a");
        URI b = start("dashboard-b");
        String cookie = signIn(a);
        // started on a, accepted on b
        await().atMost(Duration.ofSeconds(5)).until(() -> get(b, "/api/cameras", cookie) == 200);

        HttpResponse<String> out = HTTP.send(HttpRequest.newBuilder(a.resolve("/api/logout")).header("Cookie", cookie)
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(out.statusCode()).isEqualTo(204);
        assertThat(get(a, "/api/cameras", cookie)).isEqualTo(401);
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100))
                .until(() -> get(b, "/api/cameras", cookie) == 401);
    }

    @Test
    void aRestartKeepsPeopleSignedInWithTheSecretsMadeOnTheFirstStart() throws Exception {
        ServiceProcess first = process("dashboard-restart");
        URI a = started(first);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(secrets.resolve("session-secret"))))
                .isEqualTo("rw-------");
        assertThat(Files.readString(secrets.resolve("dashboard-password")).strip()).hasSize(24);
        assertThat(first.tail(400)).doesNotContain(Files.readString(secrets.resolve("dashboard-password")).strip());
        String cookie = signIn(a);
        first.stop();

        URI again = started(process("dashboard-restart"));
        assertThat(get(again, "/api/cameras", cookie)).isEqualTo(200);
    }

    @Test
    void thousandsOfHalfSentRequestsAreClosedByTheHeaderTimeoutWhileRequestsAreAnswered() throws Exception {
        ServiceProcess dashboard = process("dashboard-slow-clients");
        URI a = started(dashboard);
        long fdsBefore = openFiles(dashboard.pid());
        List<SocketChannel> held = RawHttp.halfSentRequests(a.getHost(), a.getPort(), 2000);
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> openFiles(dashboard.pid()) >= fdsBefore + 1900);
            assertThat(get(a, "/q/health/live", null)).isEqualTo(200);
            // the default header timeout is 10 s: by 30 s every one is gone, from the client's and the server's side
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() -> RawHttp.stillOpen(held) == 0);
            await().atMost(Duration.ofSeconds(5)).until(() -> openFiles(dashboard.pid()) < fdsBefore + 50);
            assertThat(get(a, "/q/health/live", null)).isEqualTo(200);
        } finally {
            RawHttp.closeAll(held);
        }
    }

    private URI start(String name) {
        return started(process(name));
    }

    private ServiceProcess process(String name) {
        int port = NatsTestServer.freePort();
        ServiceProcess p = ServiceProcess.start(name, REPO.resolve("dashboard-service/target/quarkus-app/quarkus-run.jar"),
                List.of("-Xmx256m"), List.of(), Map.of(
                "QUARKUS_HTTP_PORT", Integer.toString(port),
                "CCTV_NATS_URL", nats.url(),
                "QUARKUS_HTTP_HOST", "127.0.0.1",
                "CCTV_DASHBOARD_RECORDER_URL", "http://127.0.0.1:" + NatsTestServer.freePort(),
                "CCTV_DASHBOARD_AUTH_PASSWORD_FILE", secrets.resolve("dashboard-password").toString(),
                "CCTV_DASHBOARD_AUTH_SESSION_SECRET_FILE", secrets.resolve("session-secret").toString()), LOGS);
        started.add(p);
        bases.put(p, URI.create("http://127.0.0.1:" + port + "/"));
        return p;
    }

    private URI started(ServiceProcess p) {
        URI base = bases.get(p);
        p.awaitHealthy(base.resolve("/q/health/ready").toString(), READY);
        return base;
    }

    private String signIn(URI dashboard) throws Exception {
        String password = Files.readString(secrets.resolve("dashboard-password")).strip();
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(dashboard.resolve("/api/login"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                        "{\"username\":\"admin\",\"password\":\"" + password + "\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        return r.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("cctv_session="))
                .findFirst().orElseThrow().split(";", 2)[0];
    }

    private static String signInOrNull(URI dashboard, String user, String password) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(dashboard.resolve("/api/login"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                        "{\"username\":\"" + user + "\",\"password\":\"" + password + "\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            return null;
        }
        return r.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("cctv_session="))
                .findFirst().orElseThrow().split(";", 2)[0];
    }

    private static int get(URI base, String path, String cookie) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(5)).GET();
        if (cookie != null) {
            b.header("Cookie", cookie);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static long openFiles(long pid) throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            return fds.count();
        }
    }
}
