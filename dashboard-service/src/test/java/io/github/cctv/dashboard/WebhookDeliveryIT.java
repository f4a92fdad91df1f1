package io.github.cctv.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.cctv.dashboard.domain.alerts.Backoff;
import io.github.cctv.dashboard.domain.alerts.WebhookDelivery;
import io.github.cctv.dashboard.domain.alerts.WebhookMetrics;
import io.github.cctv.dashboard.domain.alerts.WebhookSignature;
import io.github.cctv.dashboard.domain.alerts.WebhookTarget;
import io.github.cctv.dashboard.endpoint.HttpWebhookPoster;
import io.github.cctv.dashboard.messaging.NatsWebhookConsumer;
import io.github.cctv.protocol.event.CameraEvent;
import io.github.cctv.protocol.event.DisconnectReason;
import io.github.cctv.protocol.event.Events;
import io.nats.client.Connection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Webhooks against a real NATS server with the production events stream and a real HTTP receiver: the durable
 * consumer, the JDK client, the signature and the retries as the dashboard runs them.
 */
class WebhookDeliveryIT {

    private static final String SECRET = "webhook-test-secret";
    private static final Duration WAIT = Duration.ofSeconds(20);

    private final Connection nats = NatsFixtures.nats();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final WebhookSignature signature = new WebhookSignature(SECRET);
    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
        timer.shutdownNow();
    }

    @Test
    void postsEveryCameraEventSignedWithTheSecret() throws Exception {
        WebhookReceiver receiver = receiver();
        NatsWebhookConsumer consumer = consumer(receiver.url("/hook/all"), 3);

        NatsFixtures.publishEvent(new CameraEvent.CameraDisconnected("wh-door", Instant.parse("2026-03-01T10:00:00Z"),
                DisconnectReason.HEARTBEAT_TIMEOUT, "silent for 3 s", 42));
        await().atMost(WAIT).until(() -> !receiver.accepted().isEmpty());

        WebhookReceiver.Received got = receiver.accepted().get(0);
        assertThat(got.path()).isEqualTo("/hook/all");
        assertThat(got.header("Content-Type")).isEqualTo("application/json");
        assertThat(signature.verify(got.body(), got.header(WebhookSignature.HEADER))).isTrue();
        assertThat(new WebhookSignature("another-secret").verify(got.body(), got.header(WebhookSignature.HEADER))).isFalse();
        assertThat(got.header(WebhookDelivery.DELIVERY_HEADER)).startsWith("CCTV_EVENTS-");
        assertThat(got.header(WebhookDelivery.EVENT_HEADER)).isEqualTo("disconnected");
        JsonNode body = Events.mapper().readTree(got.body());
        assertThat(body.path("cameraId").asText()).isEqualTo("wh-door");
        assertThat(body.path("type").asText()).isEqualTo("disconnected");
        assertThat(body.path("reason").asText()).isEqualTo("heartbeat-timeout");
        assertThat(body.path("time").asText()).isEqualTo("2026-03-01T10:00:00Z");
        assertThat(body.path("schema").asInt()).isEqualTo(Events.SCHEMA_VERSION);
        assertThat(consumer.durableName()).startsWith(NatsWebhookConsumer.DURABLE_PREFIX);
    }

    @Test
    void aReceiverThatFailsTwiceGetsTheEventOnTheThirdAttempt() throws Exception {
        AtomicInteger n = new AtomicInteger();
        WebhookReceiver receiver = receiver().answering(() -> n.incrementAndGet() <= 2 ? 500 : 200);
        consumer(receiver.url("/hook/flaky"), 5);

        NatsFixtures.publishEvent(new CameraEvent.CameraConnected("wh-flaky", Instant.now(), "Flaky", "jpeg", 64, 48, 10,
                "127.0.0.1:5000"));
        await().atMost(WAIT).until(() -> receiver.accepted().size() == 1);

        assertThat(receiver.received()).hasSize(3);
        assertThat(receiver.received()).extracting(r -> r.header(WebhookDelivery.ATTEMPT_HEADER)).containsExactly("1", "2", "3");
        assertThat(receiver.received()).extracting(r -> r.header(WebhookDelivery.DELIVERY_HEADER)).containsOnly(
                receiver.received().get(0).header(WebhookDelivery.DELIVERY_HEADER));
        assertThat(receiver.received()).allSatisfy(r -> assertThat(signature.verify(r.body(), r.header(WebhookSignature.HEADER))).isTrue());
    }

    @Test
    void eventsPublishedWhileTheDeliveringServiceIsDownArriveAfterItsRestart() throws Exception {
        WebhookReceiver receiver = receiver();
        String url = receiver.url("/hook/restart");
        NatsWebhookConsumer first = consumer(url, 3);
        publishConnected("wh-r-0");
        await().atMost(WAIT).until(() -> cameras(receiver).contains("wh-r-0"));

        first.close();
        for (int i = 1; i <= 5; i++) {
            publishConnected("wh-r-" + i);
        }
        Thread.sleep(500); // what matters is that nothing pulls during this time; nothing is awaited here
        assertThat(cameras(receiver)).containsExactly("wh-r-0");

        consumer(url, 3); // the same target: the same durable consumer, resumed where the first one stopped
        await().atMost(WAIT).until(() -> cameras(receiver).size() >= 6);
        assertThat(cameras(receiver)).containsExactlyInAnyOrder("wh-r-0", "wh-r-1", "wh-r-2", "wh-r-3", "wh-r-4", "wh-r-5");
    }

    @Test
    void twoDashboardsWithTheSameTargetDeliverEachEventOnce() throws Exception {
        WebhookReceiver receiver = receiver();
        String url = receiver.url("/hook/shared");
        consumer(url, 3);
        consumer(url, 3);
        for (int i = 0; i < 10; i++) {
            publishConnected("wh-s-" + i);
        }
        await().atMost(WAIT).until(() -> cameras(receiver).size() >= 10);
        Thread.sleep(1000); // a second delivery would come within this
        assertThat(cameras(receiver)).hasSize(10).doesNotHaveDuplicates();
    }

    @Test
    void aDeadReceiverHoldsBackNobodyElse() throws Exception {
        WebhookReceiver dead = receiver().answering(() -> 503);
        WebhookReceiver alive = receiver();
        consumer(dead.url("/hook/dead"), 100);
        consumer(alive.url("/hook/alive#connected"), 3);
        for (int i = 0; i < 20; i++) {
            publishConnected("wh-d-" + i);
        }
        NatsFixtures.publishEvent(new CameraEvent.CameraDisconnected("wh-d-x", Instant.now(),
                DisconnectReason.GOODBYE, "bye", 1));
        await().atMost(WAIT).until(() -> cameras(alive).size() >= 20);
        // the dead receiver has at most max-in-flight (4) events on their way at once, and keeps getting retries
        assertThat(alive.received()).extracting(r -> r.header(WebhookDelivery.EVENT_HEADER)).containsOnly("connected");
        assertThat(dead.calls()).isPositive();
    }

    private void publishConnected(String camera) {
        NatsFixtures.publishEvent(new CameraEvent.CameraConnected(camera, Instant.now(), camera, "jpeg", 64, 48, 10,
                "127.0.0.1:5000"));
    }

    private static List<String> cameras(WebhookReceiver receiver) {
        List<String> ids = new ArrayList<>();
        for (WebhookReceiver.Received r : receiver.accepted()) {
            try {
                ids.add(Events.mapper().readTree(r.body()).path("cameraId").asText());
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        }
        return ids;
    }

    private WebhookReceiver receiver() {
        WebhookReceiver r = new WebhookReceiver();
        open.add(r);
        return r;
    }

    /** A delivering service for {@code url}: started, and its durable consumer ready before anything is published. */
    private NatsWebhookConsumer consumer(String url, int attempts) {
        WebhookDelivery delivery = new WebhookDelivery(WebhookTarget.parse(url), new HttpWebhookPoster(), signature,
                new Backoff(Duration.ofMillis(50), Duration.ofMillis(200), attempts), Duration.ofSeconds(2), timer,
                WebhookMetrics.NONE);
        NatsWebhookConsumer consumer = new NatsWebhookConsumer(nats, delivery, 4, Duration.ofSeconds(10),
                Duration.ofMillis(200)).start();
        open.add(consumer);
        await().atMost(WAIT).until(consumer::ready);
        return consumer;
    }
}
