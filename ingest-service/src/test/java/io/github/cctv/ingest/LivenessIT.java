package io.github.cctv.ingest;

import io.github.cctv.testing.NatsServerResource;
import io.netty.util.concurrent.EventExecutor;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.Vertx;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** {@code /q/health/live} goes DOWN while an event loop cannot run tasks, and UP again when it can. */
@QuarkusTest
@QuarkusTestResource(value = NatsServerResource.class, restrictToAnnotatedClass = false)
class LivenessIT extends IngestTestSupport {

    @Inject
    Vertx vertx;

    @TestHTTPResource("/q/health/live")
    URI live;

    @Test
    void reportsDownWhileAnEventLoopIsWedged() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        assertThat(http.send(HttpRequest.newBuilder(live).build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);

        List<EventExecutor> loops = new ArrayList<>();
        vertx.nettyEventLoopGroup().forEach(loops::add);
        // wedge the last loop (the HTTP request needs another one to be served at all)
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch wedged = new CountDownLatch(1);
        loops.get(loops.size() - 1).execute(() -> {
            wedged.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        wedged.await();
        try {
            HttpResponse<String> down = null;
            // a connection the HTTP server hands to the wedged loop is not served: another one is
            for (int attempt = 0; attempt < 12 && down == null; attempt++) {
                try {
                    down = HttpClient.newHttpClient().send(HttpRequest.newBuilder(live).timeout(Duration.ofSeconds(4)).build(),
                            HttpResponse.BodyHandlers.ofString());
                } catch (java.net.http.HttpTimeoutException e) {
                    // try a new connection
                }
            }
            assertThat(down).as("an answer from a loop that is not wedged").isNotNull();
            assertThat(down.statusCode()).isEqualTo(503);
            assertThat(down.body()).contains("event-loops").containsPattern("\"late\"\\s*:\\s*1");
        } finally {
            release.countDown();
        }
        await().atMost(Duration.ofSeconds(10)).until(() ->
                http.send(HttpRequest.newBuilder(live).build(), HttpResponse.BodyHandlers.ofString()).statusCode() == 200);
    }
}
