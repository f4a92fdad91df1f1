package io.github.cctv.nats;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.github.cctv.testing.NatsTestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class NatsConnectionIT {

    static NatsTestServer server;

    @BeforeAll
    static void startServer() {
        server = NatsTestServer.start();
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @Test
    void tellsListenersWhenTheConnectionComesAndGoesAndReconnectsByItself() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(server.isProcess(), "stopping NATS needs process mode");
        List<Boolean> changes = new CopyOnWriteArrayList<>();
        try (NatsConnection nats = new NatsConnection(TestNatsConfig.of(server.url()), new SimpleMeterRegistry())) {
            nats.addListener(new NatsConnection.Listener() {
                @Override
                public void connectionChanged(boolean connected) {
                    changes.add(connected);
                }
            });
            nats.start();
            await().atMost(Duration.ofSeconds(10)).until(nats::isConnected);
            assertThat(changes).containsExactly(true);
            assertThat(nats.maxPayload()).isEqualTo(NatsTestServer.MAX_PAYLOAD);

            server.stop();
            await().atMost(Duration.ofSeconds(10)).until(() -> changes.contains(false));
            assertThat(nats.isConnected()).isFalse();
            server.restart();
            await().atMost(Duration.ofSeconds(15)).until(nats::isConnected);
            // jnats may say "disconnected" again for a failed reconnect attempt: what counts is the last word
            assertThat(changes.get(changes.size() - 1)).isTrue();
            assertThat(changes.subList(1, changes.size() - 1)).isNotEmpty().containsOnly(false);
        }
    }

    @Test
    void drainsWhatWasPublishedBeforeClosing() throws Exception {
        List<Message> got = new CopyOnWriteArrayList<>();
        try (Connection reader = Nats.connect(server.url())) {
            reader.createDispatcher(got::add).subscribe("cctv.test.drain");
            reader.flush(Duration.ofSeconds(2));
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            NatsConnection nats = new NatsConnection(TestNatsConfig.of(server.url()), registry);
            Connection c = nats.awaitConnection();
            // fewer than the outgoing queue holds (512): none may be discarded
            for (int i = 0; i < 300; i++) {
                c.publish("cctv.test.drain", new byte[1000]);
            }
            nats.close();
            assertThat(c.getStatus()).isEqualTo(Connection.Status.CLOSED);
            await().atMost(Duration.ofSeconds(5)).until(() -> got.size() == 300);
            assertThat(registry.get("cctv.nats.messages.discarded").counter().count()).isZero();
        }
    }

    @Test
    void countsTheTimesNatsDropsMessagesForASlowSubscriber() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        CountDownLatch release = new CountDownLatch(1);
        try (NatsConnection nats = new NatsConnection(TestNatsConfig.of(server.url()), registry);
             Connection writer = Nats.connect(server.url())) {
            Connection c = nats.awaitConnection();
            Dispatcher stuck = c.createDispatcher(m -> {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            stuck.setPendingLimits(5, -1);
            stuck.subscribe("cctv.test.slow");
            c.flush(Duration.ofSeconds(2));
            for (int i = 0; i < 100; i++) {
                writer.publish("cctv.test.slow", new byte[10]);
            }
            writer.flush(Duration.ofSeconds(2));
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> registry.get("cctv.nats.slow.consumers").counter().count() >= 1);
            release.countDown();
        }
    }
}
