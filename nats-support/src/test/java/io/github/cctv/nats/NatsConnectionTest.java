package io.github.cctv.nats;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.nats.client.Options;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class NatsConnectionTest {

    @Test
    void everyServiceConnectsWithTheSameOptions() {
        TestNatsConfig config = new TestNatsConfig(" nats://a:4222 , nats://b:4223,", "cctv-recorder",
                Duration.ofMillis(700), Duration.ofSeconds(3), Duration.ofSeconds(4), 64);
        Options o = new NatsConnection(config, new SimpleMeterRegistry()).options();

        assertThat(o.getServers()).extracting(Object::toString).containsExactly("nats://a:4222", "nats://b:4223");
        assertThat(o.getConnectionName()).isEqualTo("cctv-recorder");
        assertThat(o.getMaxReconnect()).as("reconnect forever").isEqualTo(-1);
        assertThat(o.getReconnectWait()).isEqualTo(Duration.ofMillis(700));
        assertThat(o.getConnectionTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(o.getMaxMessagesInOutgoingQueue()).isEqualTo(64);
        assertThat(o.isDiscardMessagesWhenOutgoingQueueFull()).as("a full queue never blocks a caller").isTrue();
        assertThat(o.getConnectionListener()).isNotNull();
        assertThat(o.getErrorListener()).isNotNull();
    }

    @Test
    void isNeitherConnectedNorReadyToCloseBeforeItStarts() {
        NatsConnection nats = new NatsConnection(TestNatsConfig.of("nats://127.0.0.1:1"), new SimpleMeterRegistry());
        assertThat(nats.isConnected()).isFalse();
        assertThat(nats.connection()).isNull();
        assertThat(nats.maxPayload()).isEqualTo(-1);
        assertThat(nats.status()).isEqualTo("CONNECTING");
        nats.close();
        nats.close();
    }
}
