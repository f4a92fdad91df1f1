package io.github.cctv.system;

import io.github.cctv.testing.NatsTestServer;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code ./run.sh} as a person runs it ({@code --no-build}, one demo camera, free ports, its own run folder): the
 * dashboard answers over HTTPS with the certificate the launcher made (trusted here from that file alone, host name
 * checked) and HSTS; the demo camera streams over TLS to ingest, checked by the launcher's pin, and is online in the
 * dashboard; every service is on NATS as its own user and the server refused nothing; the recorder's API wants the
 * service token. Ctrl-C stops it all; a second start keeps the certificate and the admin's password.
 */
class LauncherIT {

    private static final HttpClient PLAIN = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    record Launch(Process process, Path output) {
        String out() throws IOException {
            return Files.readString(output, StandardCharsets.UTF_8);
        }

        void interrupt() throws Exception {
            // Ctrl-C: the launcher's INT trap stops what it started
            new ProcessBuilder("kill", "-INT", String.valueOf(process.pid())).inheritIO().start().waitFor();
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("run.sh stopped after Ctrl-C").isTrue();
        }
    }

    private static Launch launch(Path runDir, Map<String, String> env, String name) throws Exception {
        Path output = runDir.resolveSibling(runDir.getFileName() + "-" + name + ".out");
        ProcessBuilder pb = new ProcessBuilder("bash", "run.sh", "--no-build", "--cameras", "1")
                .directory(Repo.ROOT.toFile()).redirectErrorStream(true).redirectOutput(output.toFile());
        pb.environment().remove("NATS_URL");
        pb.environment().putAll(env);
        Launch l = new Launch(pb.start(), output);
        await().atMost(Duration.ofSeconds(240)).pollInterval(Duration.ofSeconds(1)).alias("run.sh says it is running")
                .until(() -> {
                    assertThat(l.process().isAlive()).as("run.sh is alive; it said: %s", l.out()).isTrue();
                    return l.out().contains("CCTV is running.");
                });
        return l;
    }

    /** An HTTPS client that trusts exactly the certificate in {@code pem} (host name checked as usual). */
    private static HttpClient trusting(Path pem) throws Exception {
        KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
        ks.load(null, null);
        try (InputStream in = Files.newInputStream(pem)) {
            ks.setCertificateEntry("launcher", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, tmf.getTrustManagers(), null);
        return HttpClient.newBuilder().sslContext(ssl).connectTimeout(Duration.ofSeconds(5)).build();
    }

    private static HttpResponse<String> get(HttpClient client, String url, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /**
     * {@link #get} once the launcher has said it is running; a refused connection fails with what the launcher and
     * the dashboard logged, which is all there is to go on when it happens on another machine.
     */
    private static HttpResponse<String> answers(HttpClient client, String url, Launch launch, Path logs, String... headers)
            throws Exception {
        try {
            return get(client, url, headers);
        } catch (java.net.ConnectException e) {
            String dashboardLog = Files.exists(logs.resolve("dashboard.log")) ? Files.readString(logs.resolve("dashboard.log")) : "";
            throw new AssertionError("no connection to " + url + " although the launcher said it is running (alive: "
                    + launch.process().isAlive() + ")\n--- run.sh:\n" + launch.out() + "\n--- dashboard.log (end):\n"
                    + dashboardLog.substring(Math.max(0, dashboardLog.length() - 6000)), e);
        }
    }

    @Test
    void theLauncherServesHttpsWithAKeptCertificateAndItsCameraStreamsOverTls() throws Exception {
        Path runDir = Files.createTempDirectory("cctv-launcher-");
        int https = NatsTestServer.freePort();
        int recorder = NatsTestServer.freePort();
        Map<String, String> env = new LinkedHashMap<>();
        env.put("CCTV_RUN_DIR", runDir.toString());
        env.put("CCTV_RECORDINGS", runDir.resolve("recordings").toString());
        env.put("CCTV_DASHBOARD_PORT", String.valueOf(NatsTestServer.freePort()));
        env.put("CCTV_DASHBOARD_HTTPS_PORT", String.valueOf(https));
        env.put("CCTV_RECORDER_PORT", String.valueOf(recorder));
        env.put("CCTV_INGEST_HTTP_PORT", String.valueOf(NatsTestServer.freePort()));
        env.put("CCTV_INGEST_PORT", String.valueOf(NatsTestServer.freePort()));
        env.put("CCTV_NATS_PORT", String.valueOf(NatsTestServer.freePort()));
        env.put("CCTV_NATS_MONITOR_PORT", String.valueOf(NatsTestServer.freePort()));
        env.put("CCTV_MQTT_PORT", String.valueOf(NatsTestServer.freePort()));
        Path cert = runDir.resolve("tls/dashboard.crt");
        String dashboard = "https://localhost:" + https;

        Launch first = launch(runDir, env, "first");
        byte[] certBefore;
        String password;
        try {
            assertThat(first.out()).contains("--pin sha256:");
            certBefore = Files.readAllBytes(cert);
            password = Files.readString(runDir.resolve("secrets/dashboard-password")).trim();
            HttpClient client = trusting(cert);
            assertThat(answers(client, dashboard + "/q/health", first, runDir.resolve("logs")).statusCode()).isEqualTo(200);
            HttpResponse<String> page = get(client, dashboard + "/login.html");
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.headers().firstValue("Strict-Transport-Security")).as("HSTS over https").isPresent();
            String basic = "Basic " + Base64.getEncoder().encodeToString(("admin:" + password).getBytes(StandardCharsets.UTF_8));
            assertThat(get(client, dashboard + "/api/cameras").statusCode()).as("no sign-in, no cameras").isEqualTo(401);
            // the demo camera reached ingest over TLS (with the launcher's pin) and is online
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() ->
                    assertThat(get(client, dashboard + "/api/cameras", "Authorization", basic).body())
                            .contains("\"cameraId\":\"demo-01\"").contains("\"online\":true"));
            // the recorder's API wants the service token
            assertThat(get(PLAIN, "http://127.0.0.1:" + recorder + "/api/recordings").statusCode()).isEqualTo(401);
            String token = Files.readString(runDir.resolve("secrets/service-token")).trim();
            assertThat(get(PLAIN, "http://127.0.0.1:" + recorder + "/api/recordings", "Authorization", "Bearer " + token)
                    .statusCode()).isEqualTo(200);
        } finally {
            first.interrupt();
        }
        Path logs = runDir.resolve("logs");
        assertThat(Files.readString(logs.resolve("nats.log"))).as("the NATS server refused no service anything")
                .doesNotContain("Permissions Violation").doesNotContain("Authorization Violation");
        for (String service : List.of("ingest", "recorder", "dashboard")) {
            assertThat(Files.readString(logs.resolve(service + ".log"))).as(service).doesNotContain("Permissions Violation");
        }
        assertThat(Files.readString(logs.resolve("camera-demo-01.log"))).as("the camera's log").contains("connected to");

        // again: the same certificate (the browser's exception holds) and the same admin password
        Launch second = launch(runDir, env, "second");
        try {
            assertThat(Files.readAllBytes(cert)).as("certificate kept").isEqualTo(certBefore);
            assertThat(Files.readString(runDir.resolve("secrets/dashboard-password")).trim()).isEqualTo(password);
            String basic = "Basic " + Base64.getEncoder().encodeToString(("admin:" + password).getBytes(StandardCharsets.UTF_8));
            HttpClient client = trusting(cert);
            assertThat(answers(client, dashboard + "/api/me", second, logs, "Authorization", basic).body())
                    .contains("\"role\":\"admin\"");
        } finally {
            second.interrupt();
        }
    }
}
