package io.github.cctv.nats;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** A {@link NatsConfig} with chosen values, for tests without Quarkus. */
record TestNatsConfig(String url, String connectionName, Duration reconnectWait, Duration connectionTimeout,
                      Duration drainTimeout, int maxOutgoingMessages, Optional<String> username,
                      Optional<String> password, Optional<Path> passwordFile) implements NatsConfig {

    TestNatsConfig(String url, String connectionName, Duration reconnectWait, Duration connectionTimeout,
                   Duration drainTimeout, int maxOutgoingMessages) {
        this(url, connectionName, reconnectWait, connectionTimeout, drainTimeout, maxOutgoingMessages,
                Optional.empty(), Optional.empty(), Optional.empty());
    }

    static TestNatsConfig of(String url) {
        return new TestNatsConfig(url, "cctv-test", Duration.ofMillis(100), Duration.ofSeconds(2), Duration.ofSeconds(2), 512);
    }

    @Override
    public int replicas() {
        return 1;
    }

    @Override
    public int framesReplicas() {
        return 1;
    }

    /** Signing in as {@code user} with the password in {@code passwordFile}. */
    TestNatsConfig as(String user, Path passwordFile) {
        return new TestNatsConfig(url, connectionName, reconnectWait, connectionTimeout, drainTimeout, maxOutgoingMessages,
                Optional.of(user), Optional.empty(), Optional.of(passwordFile));
    }
}
