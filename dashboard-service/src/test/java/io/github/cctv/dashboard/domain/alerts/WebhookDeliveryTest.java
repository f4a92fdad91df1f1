package io.github.cctv.dashboard.domain.alerts;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class WebhookDeliveryTest {

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final WebhookSignature signature = new WebhookSignature("k");
    private final CountingMetrics metrics = new CountingMetrics();

    @AfterEach
    void stop() {
        timer.shutdownNow();
    }

    @Test
    void retriesWithTheSameDeliveryIdUntilTheReceiverTakesIt() throws Exception {
        List<Map<String, String>> seen = new ArrayList<>();
        AtomicInteger beforeRetry = new AtomicInteger();
        WebhookPoster poster = (url, headers, body, timeout) -> {
            synchronized (seen) {
                seen.add(Map.copyOf(headers));
                return CompletableFuture.completedFuture(seen.size() <= 2 ? 503 : 204);
            }
        };
        WebhookEvent event = WebhookEvent.of("CCTV_EVENTS-7", "cam1", "connected",
                "{\"type\":\"connected\",\"cameraId\":\"cam1\"}".getBytes(StandardCharsets.UTF_8));
        WebhookDelivery.Outcome outcome = delivery(poster, 5).deliver(event, beforeRetry::incrementAndGet).get(5, TimeUnit.SECONDS);

        assertThat(outcome).isEqualTo(WebhookDelivery.Outcome.DELIVERED);
        assertThat(seen).hasSize(3);
        assertThat(seen).extracting(h -> h.get(WebhookDelivery.DELIVERY_HEADER)).containsOnly("CCTV_EVENTS-7");
        assertThat(seen).extracting(h -> h.get(WebhookDelivery.ATTEMPT_HEADER)).containsExactly("1", "2", "3");
        assertThat(seen.get(0).get(WebhookSignature.HEADER)).isEqualTo(signature.sign(event.body()));
        assertThat(beforeRetry).hasValue(2);
        assertThat(metrics.retried).hasValue(2);
        assertThat(metrics.delivered).hasValue(1);
        assertThat(metrics.failed).hasValue(0);
    }

    @Test
    void givesUpAfterTheLastAttemptWhenNobodyAnswers() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        WebhookPoster dead = (url, headers, body, timeout) -> {
            calls.incrementAndGet();
            return CompletableFuture.failedFuture(new java.net.ConnectException("Connection refused"));
        };
        WebhookEvent event = WebhookEvent.of("CCTV_EVENTS-8", "cam1", "disconnected", "{}".getBytes(StandardCharsets.UTF_8));
        assertThat(delivery(dead, 3).deliver(event, () -> { }).get(5, TimeUnit.SECONDS))
                .isEqualTo(WebhookDelivery.Outcome.GAVE_UP);
        assertThat(calls).hasValue(3);
        assertThat(metrics.failed).hasValue(1);
        assertThat(metrics.retried).hasValue(2);
    }

    @Test
    void aRedirectIsAFailedAttempt() throws Exception {
        WebhookPoster redirects = (url, headers, body, timeout) -> CompletableFuture.completedFuture(302);
        WebhookEvent event = WebhookEvent.of("CCTV_EVENTS-9", "cam1", "connected", "{}".getBytes(StandardCharsets.UTF_8));
        assertThat(delivery(redirects, 2).deliver(event, () -> { }).get(5, TimeUnit.SECONDS))
                .isEqualTo(WebhookDelivery.Outcome.GAVE_UP);
    }

    @Test
    void bodyIsTheEventAsPublishedWithCameraAndTypeFromTheSubject() throws Exception {
        byte[] published = "{\"time\":\"2026-01-01T00:00:00Z\",\"schema\":1,\"offsetMs\":4200}".getBytes(StandardCharsets.UTF_8);
        WebhookEvent e = WebhookEvent.of("d", "door", "clock-skewed", published);
        var node = io.github.cctv.protocol.event.Events.mapper().readTree(e.body());
        assertThat(node.path("cameraId").asText()).isEqualTo("door");
        assertThat(node.path("type").asText()).isEqualTo("clock-skewed");
        assertThat(node.path("offsetMs").asInt()).isEqualTo(4200);
        assertThat(node.path("time").asText()).isEqualTo("2026-01-01T00:00:00Z");

        var wrapped = io.github.cctv.protocol.event.Events.mapper().readTree(
                WebhookEvent.of("d", "door", "odd", "not json".getBytes(StandardCharsets.UTF_8)).body());
        assertThat(wrapped.path("event").asText()).isEqualTo("not json");
        assertThat(wrapped.path("cameraId").asText()).isEqualTo("door");
    }

    private WebhookDelivery delivery(WebhookPoster poster, int attempts) {
        return new WebhookDelivery(WebhookTarget.parse("http://127.0.0.1:1/hook"), poster, signature,
                new Backoff(Duration.ofMillis(10), Duration.ofMillis(40), attempts), Duration.ofSeconds(1), timer, metrics);
    }

    static final class CountingMetrics implements WebhookMetrics {
        final AtomicInteger delivered = new AtomicInteger();
        final AtomicInteger retried = new AtomicInteger();
        final AtomicInteger failed = new AtomicInteger();
        final ConcurrentLinkedQueue<String> targets = new ConcurrentLinkedQueue<>();

        @Override
        public void delivered(String target) {
            targets.add(target);
            delivered.incrementAndGet();
        }

        @Override
        public void retried(String target) {
            retried.incrementAndGet();
        }

        @Override
        public void failed(String target) {
            failed.incrementAndGet();
        }
    }
}
