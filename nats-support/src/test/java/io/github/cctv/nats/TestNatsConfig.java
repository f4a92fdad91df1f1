package io.github.cctv.nats;

import java.time.Duration;

/** A {@link NatsConfig} with chosen values, for tests without Quarkus. */
record TestNatsConfig(String url, String connectionName, Duration reconnectWait, Duration connectionTimeout,
                      Duration drainTimeout, int maxOutgoingMessages) implements NatsConfig {

    static TestNatsConfig of(String url) {
        return new TestNatsConfig(url, "cctv-test", Duration.ofMillis(100), Duration.ofSeconds(2), Duration.ofSeconds(2), 512);
    }
}
