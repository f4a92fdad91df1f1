package io.github.cctv.ingest;

import io.github.cctv.protocol.Subjects;
import io.github.cctv.protocol.wire.Message;
import io.github.cctv.protocol.wire.ReasonCode;
import io.github.cctv.protocol.wire.WireEncoder;
import io.github.cctv.testing.NatsTestServer;
import io.github.cctv.testing.TestCertificate;
import io.nats.client.Connection;
import io.nats.client.Nats;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The packaged service as the product runs it: TLS on the camera port with a certificate from configuration (made by
 * openssl for this test), the plain port off unless enabled.
 */
class CameraTlsProcessIT {

    static NatsTestServer nats;
    static TestCertificate cert;

    @BeforeAll
    static void start() {
        nats = NatsTestServer.start();
        cert = TestCertificate.localhost();
    }

    @AfterAll
    static void stop() {
        nats.close();
    }

    @Test
    void aTlsCameraStreamsWhilePlainAndGarbageConnectionsToTheTlsPortAreRejectedAndLogged() throws Exception {
        int plainPort = NatsTestServer.freePort();
        try (IngestProcess ingest = IngestProcess.startTls("ingest-tls", nats, "256m", cert,
                Map.of("CCTV_INGEST_CAMERA_SECRET_FILE", IngestProcess.secretFile().toString(),
                        "CCTV_INGEST_HANDSHAKE_TIMEOUT", "2s",
                        "CCTV_INGEST_PLAIN_PORT", String.valueOf(plainPort))).awaitReady();
             Connection nc = Nats.connect(nats.url())) {
            assertThat(ingest.logLines()).anyMatch(l -> l.contains("listening for cameras on 127.0.0.1:" + ingest.cameraPort
                    + " (TLS, certificate " + cert.cert() + ")"));

            // the plain port is off by default, even with its port number configured
            assertThatThrownBy(() -> new Socket("127.0.0.1", plainPort).close()).isInstanceOf(ConnectException.class);

            List<io.nats.client.Message> frames = new CopyOnWriteArrayList<>();
            nc.createDispatcher(frames::add).subscribe(Subjects.frames("tls-cam"));
            nc.flush(Duration.ofSeconds(5));
            try (StreamingCamera steady = StreamingCamera.startTls(ingest.cameraPort, "tls-cam", cert.clientContext())) {
                await().atMost(Duration.ofSeconds(20)).until(() -> frames.size() >= 20);

                // a camera speaking the byte protocol in clear to the TLS port: no accept, no reject in clear, closed
                try (Socket plain = new Socket("127.0.0.1", ingest.cameraPort)) {
                    plain.setSoTimeout(10_000);
                    plain.getOutputStream().write(WireEncoder.encode(TestCamera.hello("plain-cam", TestCamera.token("plain-cam"))));
                    assertThat(messagesIn(readAll(plain.getInputStream()))).as("nothing of the protocol in clear").isEmpty();
                }
                // garbage, and a connection that never starts its handshake (ended by the handshake timeout)
                try (Socket junk = new Socket("127.0.0.1", ingest.cameraPort)) {
                    junk.setSoTimeout(10_000);
                    junk.getOutputStream().write("GET / HTTP/1.1\r\nHost: ingest\r\n\r\n".getBytes());
                    readAll(junk.getInputStream());
                }
                try (Socket silent = new Socket("127.0.0.1", ingest.cameraPort)) {
                    silent.setSoTimeout(15_000);
                    readAll(silent.getInputStream()); // returns when the server closes it
                }
                await().atMost(Duration.ofSeconds(20)).until(() -> tlsRejects(ingest) >= 3);
                await().atMost(Duration.ofSeconds(20)).until(() -> ingest.logLines().stream()
                        .anyMatch(l -> l.contains("TLS handshake failed")));
                assertThat(ingest.logLines()).anyMatch(l -> l.contains("TLS handshake failed")
                        && l.contains("a camera on the TLS port must speak TLS first"));
                assertThat(ingest.logLines()).as("the plain camera's token is not logged")
                        .noneMatch(l -> l.contains(TestCamera.token("plain-cam")) || l.contains("706c61696e2d63616d"));

                long sent = steady.stop();
                await().atMost(Duration.ofSeconds(10)).until(() -> frames.size() >= sent);
                assertThat(steady.camera.disconnected()).as("the TLS camera kept its session").isFalse();
                StreamingCamera.assertInOrder(frames, sent);
            }
            assertThat(ingest.metric("cctv_ingest_sessions_open")).isZero();
            assertThat(nc.keyValue(Subjects.CAMERAS_BUCKET).get("plain-cam")).as("the plain camera never got a session").isNull();
        }
    }

    @Test
    void aCameraThatDoesNotTrustTheCertificateNeverGetsASession() throws Exception {
        try (IngestProcess ingest = IngestProcess.startTls("ingest-tls-untrusted", nats, "256m", cert,
                Map.of("CCTV_INGEST_CAMERA_SECRET_FILE", IngestProcess.secretFile().toString())).awaitReady()) {
            SSLContext other = TestCertificate.localhost().clientContext();
            assertThatThrownBy(() -> TestCamera.connectTls(ingest.cameraPort, "wary-cam", other))
                    .isInstanceOf(SSLHandshakeException.class);
            await().atMost(Duration.ofSeconds(20)).until(() -> tlsRejects(ingest) >= 1);
            // and one that trusts it is let in and told the server's limits over TLS
            try (TestCamera ok = TestCamera.connectTls(ingest.cameraPort, "trusting-cam", cert.clientContext())) {
                Message m = ok.handshake(TestCamera.token("trusting-cam"));
                assertThat(m).isInstanceOf(Message.Accept.class);
                ok.goodbye();
            }
            // the token is checked over TLS as over plain TCP
            try (TestCamera bad = TestCamera.connectTls(ingest.cameraPort, "trusting-cam", cert.clientContext())) {
                Message m = bad.handshake("wrong");
                assertThat(m).isInstanceOf(Message.Reject.class);
                assertThat(((Message.Reject) m).reason()).isEqualTo(ReasonCode.BAD_TOKEN);
            }
        }
    }

    @Test
    void thePlainPortWhenEnabledTakesOldCamerasBesideTheTlsPort() throws Exception {
        try (IngestProcess ingest = IngestProcess.startTls("ingest-tls-plain", nats, "256m", cert,
                Map.of("CCTV_INGEST_CAMERA_SECRET_FILE", IngestProcess.secretFile().toString(),
                        "CCTV_INGEST_PLAIN_ENABLED", "true", "CCTV_INGEST_PLAIN_PORT", "0")).awaitReady()) {
            String line = ingest.logLines().stream().filter(l -> l.contains("(plain TCP)")).findFirst().orElseThrow();
            int plainPort = Integer.parseInt(line.replaceAll(".* and 127\\.0\\.0\\.1:(\\d+) \\(plain TCP\\).*", "$1"));
            assertThat(ingest.logLines()).anyMatch(l -> l.contains("WARN") && l.contains("cctv.ingest.plain.enabled=true"));
            try (TestCamera old = TestCamera.online(plainPort, "old-cam");
                 TestCamera secure = TestCamera.onlineTls(ingest.cameraPort, "new-cam", cert.clientContext())) {
                old.goodbye();
                secure.goodbye();
            }
        }
    }

    @Test
    void refusesToStartWithTlsOnAndNoCertificateAndSaysWhatToSet() throws Exception {
        try (IngestProcess ingest = IngestProcess.startTls("ingest-tls-nocert", nats, "256m", cert,
                Map.of("CCTV_INGEST_CAMERA_SECRET_FILE", IngestProcess.secretFile().toString(),
                        "CCTV_INGEST_TLS_CERT_FILE", "", "CCTV_INGEST_TLS_KEY_FILE", ""))) {
            OptionalInt exit = ingest.process.awaitExit(Duration.ofSeconds(60));
            assertThat(exit).as("ingest exits").isPresent();
            assertThat(exit.getAsInt()).isNotZero();
            assertThat(String.join("\n", ingest.logLines())).contains("cctv.ingest.tls.cert-file", "cctv.ingest.tls.key-file",
                    "cctv.ingest.tls.enabled=false");
        }
    }

    private static double tlsRejects(IngestProcess ingest) throws Exception {
        for (String line : ingest.metrics().split("\n")) {
            if (line.startsWith("cctv_ingest_rejects_total{") && line.contains("reason=\"TLS_HANDSHAKE_FAILED\"")) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return 0;
    }

    /** The protocol messages in {@code bytes} (a TLS alert holds none). */
    private static List<Message> messagesIn(byte[] bytes) {
        List<Message> got = new java.util.ArrayList<>();
        try {
            io.github.cctv.protocol.wire.WireDecoder.forCamera().feed(bytes, got::add);
        } catch (io.github.cctv.protocol.wire.ProtocolException e) {
            // not the protocol: what a TLS server says to a plain client
        }
        return got;
    }

    /** Everything the server sends until it closes. */
    private static byte[] readAll(InputStream in) throws IOException {
        java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
        byte[] buf = new byte[512];
        try {
            int n;
            while ((n = in.read(buf)) >= 0) {
                all.write(buf, 0, n);
            }
        } catch (java.net.SocketException e) {
            // reset by the server after it closed: closed all the same
        }
        return all.toByteArray();
    }
}
