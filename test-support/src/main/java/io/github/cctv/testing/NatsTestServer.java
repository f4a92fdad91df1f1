package io.github.cctv.testing;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.images.builder.Transferable;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;

/**
 * A real NATS server with JetStream for tests: a Testcontainers container where a Docker engine answers,
 * otherwise a private {@code nats-server} process on a free loopback port. Never the machine's shared
 * server on 4222. It runs with the system's own configuration, {@code deploy/nats.conf} (copied onto the class
 * path by this module's build), so tests see the limits production has ({@code max_payload} {@link #MAX_PAYLOAD}).
 *
 * <p>{@code CCTV_TEST_NATS=process} or {@code =container} forces one way; {@code NATS_SERVER_BIN} names the binary.
 */
public final class NatsTestServer implements AutoCloseable {

    /** max_payload of the test server, bytes: what deploy/nats.conf sets. */
    public static final int MAX_PAYLOAD = 8 * 1024 * 1024;

    private static final String CONFIG_RESOURCE = "nats.conf";

    private static final Logger LOG = Logger.getLogger(NatsTestServer.class.getName());

    /** MQTT port inside a container: what deploy/nats.conf sets. */
    private static final int CONTAINER_MQTT_PORT = 1883;

    private final boolean container;
    private final int port;
    private final int mqttPort;
    private final Path dir;
    private GenericContainer<?> nats;
    private Process process;

    private NatsTestServer(boolean container, int port, Path dir) {
        this.container = container;
        this.port = port;
        this.mqttPort = container ? CONTAINER_MQTT_PORT : freePort();
        this.dir = dir;
    }

    /** Starts a server the best way this machine allows. */
    public static NatsTestServer start() {
        String mode = System.getenv().getOrDefault("CCTV_TEST_NATS", "auto");
        boolean useContainer = switch (mode) {
            case "container" -> true;
            case "process" -> false;
            default -> dockerAnswers();
        };
        try {
            Path dir = Files.createTempDirectory("cctv-nats-");
            NatsTestServer server = new NatsTestServer(useContainer, useContainer ? 4222 : freePort(), dir);
            server.startServer();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean dockerAnswers() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (Throwable t) {
            return false;
        }
    }

    /** {@code nats://host:port} of this server. */
    public String url() {
        if (container) {
            return "nats://" + nats.getHost() + ":" + nats.getMappedPort(4222);
        }
        return "nats://127.0.0.1:" + port;
    }

    /**
     * The port of the server's MQTT interface (deploy/nats.conf's {@code mqtt} block; a process gets a free loopback
     * port instead of 1883, which the machine may already use).
     */
    public int mqttPort() {
        return container ? nats.getMappedPort(CONTAINER_MQTT_PORT) : mqttPort;
    }

    /** The host to reach {@link #mqttPort()} on. */
    public String mqttHost() {
        return container ? nats.getHost() : "127.0.0.1";
    }

    /** True when the server runs as a local process, which {@link #stop()} and {@link #restart()} support. */
    public boolean isProcess() {
        return !container;
    }

    /** The server's process id (process mode), for CPU measurements; -1 in a container. */
    public long pid() {
        return process == null ? -1 : process.pid();
    }

    /** Stops the server (process mode), to test behaviour while NATS is down. */
    public void stop() {
        if (container) {
            throw new UnsupportedOperationException("stop/restart needs process mode (CCTV_TEST_NATS=process)");
        }
        if (process != null) {
            process.destroy();
            try {
                process.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            process = null;
        }
    }

    /** Starts the server again on the same port, with the same JetStream store. */
    public void restart() {
        stop();
        try {
            startServer();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void startServer() throws IOException {
        String config = productionConfig();
        if (container) {
            nats = new GenericContainer<>(TestImages.NATS)
                    .withExposedPorts(4222, CONTAINER_MQTT_PORT)
                    .withCopyToContainer(Transferable.of(config), "/etc/nats/nats.conf")
                    .withCommand("-c", "/etc/nats/nats.conf", "-a", "0.0.0.0", "-p", "4222", "-sd", "/data")
                    .waitingFor(Wait.forLogMessage(".*Server is ready.*", 1).withStartupTimeout(Duration.ofSeconds(60)));
            nats.start();
            return;
        }
        Path conf = dir.resolve("nats.conf");
        // the production configuration with the MQTT interface moved to a free loopback port: the last value wins
        Files.writeString(conf, config + "\n# tests: MQTT on a free loopback port\nmqtt {\n  host: 127.0.0.1\n  port: "
                + mqttPort + "\n}\n");
        List<String> cmd = new ArrayList<>(List.of(binary(), "-c", conf.toString(), "-a", "127.0.0.1", "-p",
                String.valueOf(port), "-sd", dir.resolve("store").toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("nats.log").toFile()));
        process = pb.start();
        waitUntilReady();
        LOG.info("private nats-server for tests on " + url() + " (log " + dir.resolve("nats.log") + ")");
    }

    /** {@code deploy/nats.conf}, the configuration run.sh and docker-compose.yml start NATS with. */
    static String productionConfig() {
        try (InputStream in = NatsTestServer.class.getResourceAsStream(CONFIG_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(CONFIG_RESOURCE + " is missing from test-support: build it with Maven, "
                        + "which copies deploy/nats.conf");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void waitUntilReady() throws IOException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        IOException last = null;
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("nats-server exited with " + process.exitValue() + ": " + Files.readString(dir.resolve("nats.log")));
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 500);
                s.setSoTimeout(2000);
                InputStream in = s.getInputStream();
                byte[] info = in.readNBytes(4);
                if ("INFO".equals(new String(info, StandardCharsets.US_ASCII))) {
                    return;
                }
            } catch (IOException e) {
                last = e;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for nats-server", e);
            }
        }
        throw new IOException("nats-server did not answer on port " + port + " within 20 s", last);
    }

    private static String binary() {
        String bin = System.getenv("NATS_SERVER_BIN");
        if (bin != null && !bin.isBlank()) {
            return bin;
        }
        for (String candidate : List.of("/usr/sbin/nats-server", "/usr/bin/nats-server", "/usr/local/bin/nats-server")) {
            if (Files.isExecutable(Path.of(candidate))) {
                return candidate;
            }
        }
        String path = System.getenv().getOrDefault("PATH", "");
        for (String d : path.split(java.io.File.pathSeparator)) {
            Path p = Path.of(d, "nats-server");
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        throw new IllegalStateException("No Docker engine and no nats-server binary: install one "
                + "(Debian: apt-get install -y nats-server) or set NATS_SERVER_BIN");
    }

    /** A free TCP port on the loopback interface. */
    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        if (container) {
            if (nats != null) {
                nats.stop();
            }
        } else {
            stop();
        }
        deleteQuietly(dir);
    }

    private static void deleteQuietly(Path root) {
        try (var paths = Files.walk(root)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // temporary files only
        }
    }
}
