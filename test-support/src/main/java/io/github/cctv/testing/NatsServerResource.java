package io.github.cctv.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

/**
 * Starts one real NATS server for a Quarkus test run and hands its URL to the service as
 * {@code cctv.nats.url}. The server is shared by every test class of the JVM and stopped at exit;
 * tests reach it through {@link #server()}.
 */
public class NatsServerResource implements QuarkusTestResourceLifecycleManager {

    private static NatsTestServer server;

    /** The running server, started on first use. */
    public static synchronized NatsTestServer server() {
        if (server == null) {
            server = NatsTestServer.start();
            NatsTestServer started = server;
            Runtime.getRuntime().addShutdownHook(new Thread(started::close, "nats-test-server-stop"));
        }
        return server;
    }

    @Override
    public Map<String, String> start() {
        return Map.of("cctv.nats.url", server().url());
    }

    @Override
    public void stop() {
        // shared across test classes; stopped by the shutdown hook
    }
}
