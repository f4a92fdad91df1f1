package io.github.cctv.ingest;

import io.github.cctv.ingest.health.IngestMetrics;
import io.github.cctv.protocol.wire.WireEncoder;
import io.github.cctv.testing.NatsServerResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@QuarkusTest
@QuarkusTestResource(value = NatsServerResource.class, restrictToAnnotatedClass = false)
class GarbageConnectionsIT extends IngestTestSupport {

    private static final int GARBAGE = 1_000;

    @Inject
    IngestMetrics metrics;

    @TestHTTPResource("/q/metrics")
    URI metricsUri;

    @Test
    void thousandGarbageConnectionsAreRejectedAndDoNotDisturbAStreamingCamera() throws Exception {
        String id = newId("calm");
        List<io.nats.client.Message> frames = probe.frames(id);
        double rejectsBefore = metrics.totalRejects();
        byte[] hello = WireEncoder.encode(TestCamera.hello("garbage-cam", ""));
        ExecutorService pool = Executors.newFixedThreadPool(32);
        try (StreamingCamera steady = StreamingCamera.start(port(), id)) {
            // slowloris: connect and say nothing; the handshake timeout (1 s in tests) must end them
            List<Socket> silent = new ArrayList<>();
            for (int i = 0; i < GARBAGE / 4; i++) {
                silent.add(new Socket("127.0.0.1", port()));
            }
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < GARBAGE - silent.size(); i++) {
                int kind = i % 3;
                long seed = i;
                done.add(pool.submit(() -> {
                    try (Socket s = new Socket("127.0.0.1", port())) {
                        s.setSoTimeout(5_000);
                        if (kind == 0) {
                            byte[] junk = new byte[1 + new Random(seed).nextInt(300)];
                            new Random(seed).nextBytes(junk);
                            s.getOutputStream().write(junk);
                        } else if (kind == 1) {
                            s.getOutputStream().write("GET / HTTP/1.1\r\nHost: ingest\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                        } else {
                            s.getOutputStream().write(hello, 0, 1 + (int) (seed % (hello.length - 2)));
                            s.shutdownOutput();
                        }
                        drain(s.getInputStream());
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
            for (Socket s : silent) {
                s.setSoTimeout(5_000);
                drain(s.getInputStream());
                s.close();
            }
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> metrics.totalRejects() - rejectsBefore >= GARBAGE);

            long sent = steady.stop();
            await().atMost(Duration.ofSeconds(5)).until(() -> frames.size() >= sent);
            assertThat(steady.camera.disconnected()).isFalse();
            StreamingCamera.assertInOrder(frames, sent);
        } finally {
            pool.shutdownNow();
        }
        assertThat(metrics.totalRejects() - rejectsBefore).isEqualTo(GARBAGE);
        assertThat(metrics.rejects("BAD_MAGIC")).isPositive();
        assertThat(metrics.rejects("HANDSHAKE_TIMEOUT")).isGreaterThanOrEqualTo(GARBAGE / 4);
        String text = HttpClient.newHttpClient().send(HttpRequest.newBuilder(metricsUri).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        assertThat(text).contains("cctv_ingest_rejects_total{reason=\"BAD_MAGIC\"}", "cctv_ingest_frames_total",
                "cctv_ingest_connections_open", "cctv_ingest_sessions_open");
    }

    /** Reads until the server closes: every garbage connection must be closed by the server. */
    private static void drain(InputStream in) throws IOException {
        try {
            while (in.read(new byte[512]) >= 0) {
                // discard
            }
        } catch (java.net.SocketException e) {
            // reset by the server after it closed: closed all the same
        }
    }
}
