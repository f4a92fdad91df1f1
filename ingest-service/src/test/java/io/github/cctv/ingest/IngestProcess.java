package io.github.cctv.ingest;

import io.github.cctv.testing.NatsTestServer;
import io.github.cctv.testing.ServiceProcess;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The packaged ingest service ({@code target/quarkus-app}) as a process of its own, started as the launcher starts it
 * ({@code -XX:+ExitOnOutOfMemoryError}), with a camera secret file and its log in {@code target/process-logs}.
 */
final class IngestProcess implements AutoCloseable {

    static final Path REPO = Path.of("..").toAbsolutePath().normalize();
    static final Path LOGS = Path.of("target", "process-logs").toAbsolutePath();

    final ServiceProcess process;
    final int cameraPort;
    final int httpPort;

    private IngestProcess(ServiceProcess process, int cameraPort, int httpPort) {
        this.process = process;
        this.cameraPort = cameraPort;
        this.httpPort = httpPort;
    }

    /** A secret file holding {@link IngestTestSupport#SECRET}, readable by this user only, as run.sh makes it. */
    static Path secretFile() throws IOException {
        Path f = Files.createTempFile("cctv-camera-secret-", "", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(f, IngestTestSupport.SECRET + "\n");
        f.toFile().deleteOnExit();
        return f;
    }

    /**
     * Starts ingest with {@code heap} (e.g. {@code 128m}) and {@code env} on top of the NATS URL and free ports; the
     * camera port speaks the byte protocol on plain TCP ({@code CCTV_INGEST_TLS_ENABLED=false}, unless {@code env} says
     * otherwise), which is what these tests attack.
     */
    static IngestProcess start(String name, NatsTestServer nats, String heap, Map<String, String> env) throws IOException {
        Map<String, String> plain = new LinkedHashMap<>();
        plain.put("CCTV_INGEST_TLS_ENABLED", "false");
        plain.putAll(env);
        return launch(name, nats.url(), heap, plain);
    }

    /** {@link #start(String, NatsTestServer, String, Map)} on the NATS of {@code natsUrl} (a cluster's nodes, say). */
    static IngestProcess start(String name, String natsUrl, String heap, Map<String, String> env) throws IOException {
        Map<String, String> plain = new LinkedHashMap<>();
        plain.put("CCTV_INGEST_TLS_ENABLED", "false");
        plain.putAll(env);
        return launch(name, natsUrl, heap, plain);
    }

    /** Starts ingest as the product is configured: TLS on the camera port with {@code cert}, nothing else unless {@code env} sets it. */
    static IngestProcess startTls(String name, NatsTestServer nats, String heap, io.github.cctv.testing.TestCertificate cert,
                                  Map<String, String> env) throws IOException {
        Map<String, String> tls = new LinkedHashMap<>();
        tls.put("CCTV_INGEST_TLS_CERT_FILE", cert.cert().toString());
        tls.put("CCTV_INGEST_TLS_KEY_FILE", cert.key().toString());
        tls.putAll(env);
        return launch(name, nats.url(), heap, tls);
    }

    private static IngestProcess launch(String name, String natsUrl, String heap, Map<String, String> env) throws IOException {
        Files.deleteIfExists(LOGS.resolve(name + ".log"));
        int cameraPort = NatsTestServer.freePort();
        int httpPort = NatsTestServer.freePort();
        Map<String, String> all = new LinkedHashMap<>();
        all.put("CCTV_NATS_URL", natsUrl);
        all.put("CCTV_INGEST_PORT", String.valueOf(cameraPort));
        all.put("CCTV_INGEST_HOST", "127.0.0.1");
        all.put("QUARKUS_HTTP_HOST", "127.0.0.1");
        all.putAll(env);
        List<String> jvm = new ArrayList<>(List.of("-Xms64m", "-Xmx" + heap, "-XX:+ExitOnOutOfMemoryError"));
        // -Dcctv.test.ingest-jar=… runs these attacks against another build (an older one, to see them fail)
        Path jar = Path.of(System.getProperty("cctv.test.ingest-jar",
                REPO.resolve("ingest-service/target/quarkus-app/quarkus-run.jar").toString()));
        ServiceProcess p = ServiceProcess.start(name, jar, jvm,
                List.of(), withPort(all, httpPort), LOGS);
        return new IngestProcess(p, cameraPort, httpPort);
    }

    private static Map<String, String> withPort(Map<String, String> env, int httpPort) {
        Map<String, String> m = new LinkedHashMap<>(env);
        m.put("QUARKUS_HTTP_PORT", String.valueOf(httpPort));
        return m;
    }

    IngestProcess awaitReady() {
        process.awaitHealthy("http://127.0.0.1:" + httpPort + "/q/health/ready", Duration.ofSeconds(90));
        return this;
    }

    /** The Prometheus text of {@code /q/metrics}. */
    String metrics() throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/q/metrics"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    /** One gauge or counter's value from {@link #metrics()} (summed over its tags), or -1 if absent. */
    double metric(String name) throws IOException, InterruptedException {
        double sum = -1;
        for (String line : metrics().split("\n")) {
            if (line.startsWith(name + " ") || line.startsWith(name + "{")) {
                sum = Math.max(sum, 0) + Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return sum;
    }

    /** Lines of the log so far. */
    List<String> logLines() throws IOException {
        return Files.readAllLines(process.log());
    }

    @Override
    public void close() {
        process.stop();
    }

    /**
     * A private NATS and the packaged ingest on it for one test class, cameras authenticating with the test secret
     * from its file: {@code @RegisterExtension static final IngestProcess.Fixture system = new Fixture(name, heap)}.
     */
    static final class Fixture implements org.junit.jupiter.api.extension.BeforeAllCallback,
            org.junit.jupiter.api.extension.AfterAllCallback {

        private final String name;
        private final String heap;
        private NatsTestServer nats;
        private IngestProcess ingest;

        Fixture(String name, String heap) {
            this.name = name;
            this.heap = heap;
        }

        NatsTestServer nats() {
            return nats;
        }

        IngestProcess ingest() {
            return ingest;
        }

        @Override
        public void beforeAll(org.junit.jupiter.api.extension.ExtensionContext context) throws IOException {
            nats = NatsTestServer.start();
            ingest = IngestProcess.start(name, nats, heap,
                    Map.of("CCTV_INGEST_CAMERA_SECRET_FILE", secretFile().toString())).awaitReady();
        }

        @Override
        public void afterAll(org.junit.jupiter.api.extension.ExtensionContext context) {
            if (ingest != null) {
                ingest.close();
            }
            if (nats != null) {
                nats.close();
            }
        }
    }
}
