package io.github.cctv.system;

import io.github.cctv.camera.CameraStreamer;
import io.github.cctv.camera.StreamListener;
import io.github.cctv.camera.TlsSettings;
import io.github.cctv.protocol.CameraToken;
import io.github.cctv.protocol.Subjects;
import io.github.cctv.testing.NatsTestServer;
import io.github.cctv.testing.ServiceProcess;
import io.github.cctv.testing.TestCertificate;
import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Nats;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The real camera-client code streams over TLS to the real ingest service (its packaged app, with a certificate made
 * by openssl for this test): a NATS subscriber receives every frame, in order, byte for byte; a camera with the wrong
 * pin is refused before its hello and never appears.
 */
class CameraClientTlsIT {

    private static final String CAMERA_SECRET = "system-test-camera-secret";
    private static NatsTestServer nats;
    private static ServiceProcess ingest;
    private static TestCertificate cert;
    private static int cameraPort;
    private static int http;

    @BeforeAll
    static void startSystem() {
        nats = NatsTestServer.start();
        cert = TestCertificate.localhost();
        cameraPort = NatsTestServer.freePort();
        http = NatsTestServer.freePort();
        ingest = ServiceProcess.startQuarkus(Repo.ROOT, "ingest-service", http,
                        Map.of("CCTV_NATS_URL", nats.url(), "CCTV_INGEST_PORT", String.valueOf(cameraPort),
                                "CCTV_INGEST_CAMERA_SECRET", CAMERA_SECRET,
                                "CCTV_INGEST_TLS_CERT_FILE", cert.cert().toString(),
                                "CCTV_INGEST_TLS_KEY_FILE", cert.key().toString()), Repo.LOGS)
                .awaitHealthy("http://127.0.0.1:" + http + "/q/health/ready", Duration.ofSeconds(90));
    }

    @AfterAll
    static void stopSystem() {
        if (ingest != null) {
            ingest.stop();
        }
        if (nats != null) {
            nats.close();
        }
    }

    @Test
    void threeHundredFramesOverTlsReachNatsInOrderAndByteIdentical() throws Exception {
        try (Connection nc = Nats.connect(nats.url())) {
            FramesOnNats.streamAndCheck(nc, "tls-cam", CameraStreamer.builder()
                    .server("localhost", cameraPort).tls(TlsSettings.of(cert.cert(), null)).id("tls-cam").name("TLS")
                    .token(CameraToken.derive(CAMERA_SECRET, "tls-cam"))
                    .size(640, 360).fps(60).quality(0.8), 300, Duration.ofSeconds(90));
        }
    }

    @Test
    void aCameraWithTheWrongPinIsRefusedBeforeItsHelloAndNeverAppears() throws Exception {
        TestCertificate other = TestCertificate.localhost();
        List<String> said = new CopyOnWriteArrayList<>();
        List<Message> events = new CopyOnWriteArrayList<>();
        double before = tlsRejects();
        try (Connection nc = Nats.connect(nats.url())) {
            nc.createDispatcher(events::add).subscribe(Subjects.events("pinned-cam"));
            nc.flush(Duration.ofSeconds(2));
            try (CameraStreamer camera = CameraStreamer.builder()
                    .server("127.0.0.1", cameraPort).tls(TlsSettings.of(null, "sha256:" + other.sha256()))
                    .id("pinned-cam").token(CameraToken.derive(CAMERA_SECRET, "pinned-cam"))
                    .size(320, 180).fps(15).backoff(Duration.ofMillis(200), Duration.ofMillis(500))
                    .listener(new StreamListener() {
                        @Override
                        public void onRetry(String reason, Duration delay) {
                            said.add(reason);
                        }
                    })
                    .build().start()) {
                await().atMost(Duration.ofSeconds(30)).until(() -> said.size() >= 2);
                await().atMost(Duration.ofSeconds(20)).until(() -> tlsRejects() - before >= 2);
                camera.stop();
            }
            assertThat(said).allSatisfy(r -> assertThat(r).contains("does not match --pin sha256:" + other.sha256(),
                    "server certificate sha256:" + cert.sha256()));
            assertThat(nc.keyValue(Subjects.CAMERAS_BUCKET).get("pinned-cam")).as("no session, no registry entry").isNull();
            assertThat(events).as("no camera events").isEmpty();
        }
        // nothing of the protocol reached ingest: no token was checked, no hello was refused
        String metrics = metrics();
        assertThat(metrics).doesNotContain("reason=\"BAD_TOKEN\"", "reason=\"BAD_MAGIC\"");
    }

    private static String metrics() throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http + "/q/metrics"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    private static double tlsRejects() throws Exception {
        for (String line : metrics().split("\n")) {
            if (line.startsWith("cctv_ingest_rejects_total{") && line.contains("reason=\"TLS_HANDSHAKE_FAILED\"")) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return 0;
    }
}
