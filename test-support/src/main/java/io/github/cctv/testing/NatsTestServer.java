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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;

/**
 * A real NATS server with JetStream for tests: a Testcontainers container where a Docker engine answers,
 * otherwise a private {@code nats-server} process on a free loopback port. Never the machine's shared
 * server on 4222. It runs with the system's own configuration, {@code deploy/nats.conf} (copied onto the class
 * path by this module's build), so tests see the limits production has ({@code max_payload} {@link #MAX_PAYLOAD}).
 *
 * <p>{@link #start()} leaves out the users of {@code deploy/nats-users.conf} (nats.conf includes an empty file instead),
 * so tests connect without credentials and may play any service's part; {@link #startWithUsers()} runs with them,
 * each user's password made for the run and given to nats-server in its environment as run.sh and compose do.
 *
 * <p>{@code CCTV_TEST_NATS=process} or {@code =container} forces one way; {@code NATS_SERVER_BIN} names the binary.
 */
public final class NatsTestServer implements AutoCloseable {

    /** max_payload of the test server, bytes: what deploy/nats.conf sets. */
    public static final int MAX_PAYLOAD = 8 * 1024 * 1024;

    private static final String CONFIG_RESOURCE = "nats.conf";
    /** The users and their permissions: nats.conf includes it by this name, from its own folder. */
    private static final String USERS_RESOURCE = "nats-users.conf";

    /** The NATS users of the services, as deploy/nats-users.conf names them. */
    public static final List<String> SERVICE_USERS = List.of("ingest", "recorder", "dashboard");

    private static final Logger LOG = Logger.getLogger(NatsTestServer.class.getName());

    /** MQTT port inside a container: what deploy/nats.conf sets. */
    private static final int CONTAINER_MQTT_PORT = 1883;

    private final boolean container;
    private final int port;
    private final int mqttPort;
    private final Path dir;
    private final Map<String, String> passwords;
    private GenericContainer<?> nats;
    private Process process;

    private NatsTestServer(boolean container, int port, Path dir, Map<String, String> passwords) {
        this.container = container;
        this.port = port;
        this.mqttPort = container ? CONTAINER_MQTT_PORT : freePort();
        this.dir = dir;
        this.passwords = passwords;
    }

    /** Starts a server the best way this machine allows, without users: any client may do anything. */
    public static NatsTestServer start() {
        return start(false);
    }

    /**
     * Starts a server with the system's users and permissions (deploy/nats-users.conf), each service user with a
     * password made for this server: {@link #passwordFile}, {@link #serviceEnvironment}.
     */
    public static NatsTestServer startWithUsers() {
        return start(true);
    }

    private static NatsTestServer start(boolean users) {
        String mode = System.getenv().getOrDefault("CCTV_TEST_NATS", "auto");
        boolean useContainer = switch (mode) {
            case "container" -> true;
            case "process" -> false;
            default -> dockerAnswers();
        };
        try {
            Path dir = Files.createTempDirectory("cctv-nats-");
            Map<String, String> passwords = new LinkedHashMap<>();
            if (users) {
                for (String user : SERVICE_USERS) {
                    passwords.put(user, newPassword());
                    Path file = dir.resolve(user + ".password");
                    Files.writeString(file, passwords.get(user) + "\n");
                }
            }
            NatsTestServer server = new NatsTestServer(useContainer, useContainer ? 4222 : freePort(), dir, passwords);
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

    /** True when the server runs with the system's users ({@link #startWithUsers()}). */
    public boolean hasUsers() {
        return !passwords.isEmpty();
    }

    /** The password of service user {@code user} ({@link #SERVICE_USERS}); only with {@link #startWithUsers()}. */
    public String password(String user) {
        String password = passwords.get(user);
        if (password == null) {
            throw new IllegalArgumentException("no password for NATS user " + user + (hasUsers() ? "" : ": start with startWithUsers()"));
        }
        return password;
    }

    /** A file holding the password of {@code user}, for a service's {@code cctv.nats.password-file}. */
    public Path passwordFile(String user) {
        password(user);
        return dir.resolve(user + ".password");
    }

    /**
     * What a service process needs in its environment to reach this server as NATS user {@code user}: URL, user
     * name and password file (just the URL for a server without users).
     */
    public Map<String, String> serviceEnvironment(String user) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("CCTV_NATS_URL", url());
        if (hasUsers()) {
            env.put("CCTV_NATS_USERNAME", user);
            env.put("CCTV_NATS_PASSWORD_FILE", passwordFile(user).toString());
        }
        return env;
    }

    /** The same as {@link #serviceEnvironment}, as Quarkus configuration properties. */
    public Map<String, String> serviceConfig(String user) {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("cctv.nats.url", url());
        if (hasUsers()) {
            config.put("cctv.nats.username", user);
            config.put("cctv.nats.password-file", passwordFile(user).toString());
        }
        return config;
    }

    /**
     * Client options to connect as service user {@code user}, with the inbox prefix nats-support gives that user
     * ({@code _INBOX.<user>}); the caller adds what else it needs.
     */
    public io.nats.client.Options.Builder optionsAs(String user) {
        return new io.nats.client.Options.Builder().server(url()).userInfo(user, password(user))
                .inboxPrefix("_INBOX." + user).maxReconnects(0);
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
        // without users nats.conf includes an empty file: no authorization, every client may do everything
        String users = hasUsers() ? resource(USERS_RESOURCE) : "# tests: no users\n";
        if (container) {
            nats = new GenericContainer<>(TestImages.NATS)
                    .withExposedPorts(4222, CONTAINER_MQTT_PORT)
                    .withCopyToContainer(Transferable.of(config), "/etc/nats/nats.conf")
                    .withCopyToContainer(Transferable.of(users), "/etc/nats/" + USERS_RESOURCE)
                    .withEnv(passwordEnvironment())
                    .withCommand("-c", "/etc/nats/nats.conf", "-a", "0.0.0.0", "-p", "4222", "-sd", "/data")
                    .waitingFor(Wait.forLogMessage(".*Server is ready.*", 1).withStartupTimeout(Duration.ofSeconds(60)));
            nats.start();
            return;
        }
        Path conf = dir.resolve("nats.conf");
        Files.writeString(dir.resolve(USERS_RESOURCE), users);
        // the production configuration with the MQTT interface moved to a free loopback port: the last value wins
        Files.writeString(conf, config + "\n# tests: MQTT on a free loopback port\nmqtt {\n  host: 127.0.0.1\n  port: "
                + mqttPort + "\n}\n");
        List<String> cmd = new ArrayList<>(List.of(binary(), "-c", conf.toString(), "-a", "127.0.0.1", "-p",
                String.valueOf(port), "-sd", dir.resolve("store").toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("nats.log").toFile()));
        pb.environment().putAll(passwordEnvironment());
        process = pb.start();
        waitUntilReady();
        LOG.info("private nats-server for tests on " + url() + " (log " + dir.resolve("nats.log") + ")");
    }

    /** The server's log (process mode): permission violations are written there. */
    public String log() {
        try {
            Path log = dir.resolve("nats.log");
            return container ? nats.getLogs() : Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The users' passwords as nats-users.conf reads them: {@code CCTV_NATS_<USER>_PASSWORD}. */
    private Map<String, String> passwordEnvironment() {
        Map<String, String> env = new LinkedHashMap<>();
        passwords.forEach((user, password) -> env.put("CCTV_NATS_" + user.toUpperCase(java.util.Locale.ROOT) + "_PASSWORD", password));
        return env;
    }

    /**
     * A random password that nats-server reads from its environment as a string: letters and digits, starting with
     * a letter (a value that starts with a digit could be read as a number).
     */
    private static String newPassword() {
        byte[] bytes = new byte[24];
        new java.security.SecureRandom().nextBytes(bytes);
        return "p" + java.util.HexFormat.of().formatHex(bytes);
    }

    /** {@code deploy/nats.conf}, the configuration run.sh and docker-compose.yml start NATS with. */
    static String productionConfig() {
        return resource(CONFIG_RESOURCE);
    }

    /** {@code deploy/nats-users.conf}, the users and permissions nats.conf includes. */
    static String productionUsers() {
        return resource(USERS_RESOURCE);
    }

    private static String resource(String name) {
        try (InputStream in = NatsTestServer.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is missing from test-support: build it with Maven, "
                        + "which copies it from deploy/");
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

    /** The nats-server binary: {@code NATS_SERVER_BIN}, the system's, or the first on the PATH. */
    static String binary() {
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

    /** Ports {@link #freePort} has handed out in this JVM. */
    private static final java.util.Set<Integer> HANDED_OUT = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /**
     * A free TCP port on the loopback interface, never one handed out before in this JVM: the system may give the
     * same free port to two calls in a row, and a test that takes several before starting anything would then give
     * two listeners one port.
     */
    public static int freePort() {
        while (true) {
            try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
                s.setReuseAddress(true);
                if (HANDED_OUT.add(s.getLocalPort())) {
                    return s.getLocalPort();
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
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
