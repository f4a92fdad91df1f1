package io.github.cctv.camera;

import io.github.cctv.testing.TestCertificate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The camera over TLS against a TLS server on a real port (certificates made by openssl for the test): it streams when
 * the server's certificate passes the check, and otherwise never sends a byte of the protocol, hello and token included.
 */
class TlsClientIT {

    static TestCertificate cert;

    @TempDir
    Path tmp;

    @BeforeAll
    static void makeCertificate() {
        cert = TestCertificate.localhost();
    }

    /** A camera of 20 small JPEG frames with this TLS setting, and why its connections failed. */
    private static CameraStreamer.Builder camera(String id, TlsSettings tls, List<String> said) {
        return CameraStreamer.builder().id(id).tls(tls).token("secret-token-" + id).size(160, 120).fps(30).frameLimit(20)
                .backoff(Duration.ofMillis(200), Duration.ofMillis(500))
                .listener(new StreamListener() {
                    @Override
                    public void onRetry(String reason, Duration delay) {
                        said.add(reason);
                    }
                });
    }

    @Test
    void streamsOverTlsWithTheServersCertificateAsCa() throws Exception {
        try (FakeIngestServer server = new FakeIngestServer(cert.serverContext())) {
            FakeIngestServer.Streamed s = server.streamToEnd(camera("ca-cam", TlsSettings.of(cert.cert(), null),
                    new CopyOnWriteArrayList<>()), Duration.ofSeconds(30));
            assertThat(s.conn().error).isNull();
            assertThat(s.conn().hello.cameraId()).isEqualTo("ca-cam");
            assertThat(s.conn().hello.token()).isEqualTo("secret-token-ca-cam");
            assertThat(s.frames()).hasSize(20);
            assertThat(s.conn().sawGoodbye()).isTrue();
        }
    }

    @Test
    void streamsOverTlsWithThePinnedFingerprintInOpensslsForm() throws Exception {
        try (FakeIngestServer server = new FakeIngestServer(cert.serverContext())) {
            FakeIngestServer.Streamed s = server.streamToEnd(camera("pin-cam", TlsSettings.of(null, "sha256:" + cert.opensslFingerprint()),
                    new CopyOnWriteArrayList<>()), Duration.ofSeconds(30));
            assertThat(s.frames()).hasSize(20);
            assertThat(s.conn().sawGoodbye()).isTrue();
        }
    }

    @Test
    void aWrongPinIsRefusedBeforeTheHelloAndSaysWhy() throws Exception {
        TestCertificate other = TestCertificate.localhost();
        try (FakeIngestServer server = new FakeIngestServer(cert.serverContext())) {
            List<String> said = new CopyOnWriteArrayList<>();
            try (CameraStreamer cam = camera("wary-cam", TlsSettings.of(null, "sha256:" + other.sha256()), said)
                    .server("127.0.0.1", server.port()).build()) {
                cam.start();
                // it keeps trying with its backoff, and is refused every time
                await().atMost(Duration.ofSeconds(30)).until(() -> said.size() >= 2 && server.connections().size() >= 2);
                cam.stop();
            }
            assertThat(said.get(0)).contains("TLS: refused the server at 127.0.0.1:" + server.port(),
                    "server certificate sha256:" + cert.sha256(), "does not match --pin sha256:" + other.sha256(),
                    "the hello and token were not sent");
            await().atMost(Duration.ofSeconds(5)).until(() -> server.connections().stream().allMatch(c -> c.ended));
            for (FakeIngestServer.Conn c : server.connections()) {
                assertThat(c.bytesIn).as("bytes of the protocol the server got").isZero();
                assertThat(c.hello).isNull();
            }
        }
    }

    @Test
    void anUntrustedCertificateIsRefusedWithoutACaAndOneForAnotherNameWithIt() throws Exception {
        TestCertificate elsewhere = TestCertificate.make("camera server elsewhere", "DNS:cctv.example.org");
        for (Object[] c : new Object[][] {
                {cert, TlsSettings.systemTrust(), "its certificate is not trusted", "give --ca FILE"},
                {elsewhere, TlsSettings.of(elsewhere.cert(), null), "its certificate is not for 127.0.0.1", "127.0.0.1"}}) {
            TestCertificate served = (TestCertificate) c[0];
            try (FakeIngestServer server = new FakeIngestServer(served.serverContext())) {
                List<String> said = new CopyOnWriteArrayList<>();
                try (CameraStreamer cam = camera("doubt-cam", (TlsSettings) c[1], said).server("127.0.0.1", server.port()).build()) {
                    cam.start();
                    await().atMost(Duration.ofSeconds(30)).until(() -> !said.isEmpty());
                    cam.stop();
                }
                assertThat(said.get(0)).contains("TLS: refused the server", (String) c[2], (String) c[3]);
                await().atMost(Duration.ofSeconds(5)).until(() -> server.connections().stream().allMatch(x -> x.ended));
                assertThat(server.connections()).isNotEmpty().allSatisfy(x -> assertThat(x.bytesIn).isZero());
            }
        }
    }

    @Test
    void aPlainCameraAtATlsPortAndATlsCameraAtAPlainPortAreToldWhatToChange() throws Exception {
        try (FakeIngestServer tlsServer = new FakeIngestServer(cert.serverContext())) {
            List<String> said = new CopyOnWriteArrayList<>();
            try (CameraStreamer cam = camera("plain-cam", TlsSettings.OFF, said).server("127.0.0.1", tlsServer.port()).build()) {
                cam.start();
                await().atMost(Duration.ofSeconds(30)).until(() -> !said.isEmpty());
                cam.stop();
            }
            // the JDK's TLS server answers plain bytes with an alert (ingest just closes: the other message)
            assertThat(said.get(0)).containsAnyOf("the server answered in TLS", "server closed the connection before accepting")
                    .contains("give --tls, --ca FILE or --pin");
        }
        try (FakeIngestServer plainServer = new FakeIngestServer()) {
            List<String> said = new CopyOnWriteArrayList<>();
            try (CameraStreamer cam = camera("tls-cam", TlsSettings.of(null, cert.sha256()), said)
                    .server("127.0.0.1", plainServer.port()).build()) {
                cam.start();
                await().atMost(Duration.ofSeconds(30)).until(() -> !said.isEmpty());
                cam.stop();
            }
            // ingest's plain port answers a TLS client hello with REJECT BAD_MAGIC (not TLS), this one just closes
            assertThat(said.get(0)).containsAnyOf("the server does not answer in TLS",
                    "closed the connection during the TLS handshake").contains("then drop --tls, --ca and --pin");
            assertThat(plainServer.connections()).allSatisfy(c -> assertThat(c.hello).as("no hello in clear").isNull());
        }
    }

    @Test
    void theCommandLineStreamsWithPinAndRefusesAWrongOneWithAClearMessage() throws Exception {
        try (FakeIngestServer server = new FakeIngestServer(cert.serverContext())) {
            File log = tmp.resolve("good.log").toFile();
            Process p = Tools.startClient(log, "--server", "127.0.0.1:" + server.port(), "--id", "cli-cam",
                    "--width", "160", "--height", "120", "--fps", "20", "--codec", "jpeg", "--frames", "10",
                    "--pin", cert.opensslFingerprint());
            try {
                assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
                assertThat(p.exitValue()).as(Files.readString(log.toPath())).isZero();
            } finally {
                p.destroyForcibly();
            }
            assertThat(Files.readString(log.toPath())).contains("TLS, pinned certificate sha256:" + cert.sha256());
            assertThat(server.connection(0).frames()).hasSize(10);

            File bad = tmp.resolve("bad.log").toFile();
            String wrong = "sha256:" + "00".repeat(32);
            Process q = Tools.startClient(bad, "--server", "127.0.0.1:" + server.port(), "--id", "cli-cam2",
                    "--width", "160", "--height", "120", "--codec", "jpeg", "--pin", wrong);
            try {
                await().atMost(Duration.ofSeconds(30)).until(() -> Files.readString(bad.toPath()).contains("does not match --pin"));
            } finally {
                q.destroy();
                q.waitFor(15, TimeUnit.SECONDS);
                q.destroyForcibly();
            }
            assertThat(server.connections().stream().skip(1)).allSatisfy(c -> assertThat(c.hello).isNull());
        }
    }

    @Test
    void badPinsAndCaFilesAreRefusedAtStart() throws Exception {
        assertThatThrownBy(() -> ClientOptions.parse(new String[] {"--server", "h:1", "--id", "a", "--pin", "sha256:abc"},
                java.util.Map.of())).hasMessageContaining("--pin must be sha256:");
        Path notPem = Files.writeString(tmp.resolve("not.pem"), "hello");
        ClientOptions o = ClientOptions.parse(new String[] {"--server", "h:1", "--id", "a", "--ca", notPem.toString()},
                java.util.Map.of());
        assertThat(o.tls()).isTrue();
        assertThatThrownBy(o::tlsSettings).hasMessageContaining("--ca").hasMessageContaining(notPem.toString());
        assertThat(TlsSettings.parsePin(cert.opensslFingerprint())).isEqualTo(TlsSettings.parsePin("sha256:" + cert.sha256()));
        assertThat(TlsSettings.parsePin("SHA256 Fingerprint=" + cert.opensslFingerprint()))
                .isEqualTo(TlsSettings.parsePin(cert.sha256().toUpperCase()));
        assertThat(ClientOptions.parse(new String[] {"--server", "h:1", "--id", "a"}, java.util.Map.of()).tls()).isFalse();
    }
}
