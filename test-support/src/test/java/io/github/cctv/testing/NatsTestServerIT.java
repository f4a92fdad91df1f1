package io.github.cctv.testing;

import io.nats.client.Connection;
import io.nats.client.Nats;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class NatsTestServerIT {

    @Test
    void runsWithTheSystemsOwnNatsConfiguration() throws Exception {
        assertThat(NatsTestServer.productionConfig()).isEqualTo(Files.readString(Path.of("..", "deploy", "nats.conf")));
        try (NatsTestServer server = NatsTestServer.start()) {
            assertThat(server.url()).doesNotEndWith(":4222").startsWith("nats://");
            try (Connection nc = Nats.connect(server.url())) {
                assertThat(nc.getMaxPayload()).isEqualTo(NatsTestServer.MAX_PAYLOAD);
                assertThat(nc.jetStreamManagement().getAccountStatistics().getLimits().getMaxMemory())
                        .as("JetStream is on").isNotZero();
            }
        }
    }
}
