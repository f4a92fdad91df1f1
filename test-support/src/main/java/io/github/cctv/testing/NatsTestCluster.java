package io.github.cctv.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A real three-node NATS cluster for tests: three {@code nats-server} processes on free loopback ports, routed to
 * each other, JetStream on each with its own store, every node running the system's own configuration
 * ({@code deploy/nats.conf}, without users, as {@link NatsTestServer#start()}) with its own server name, monitoring
 * port and MQTT port, as {@code deploy/nats-cluster/} runs it. {@link #start()} returns when the cluster is formed:
 * every node routed to the two others and healthy with JetStream ({@code /healthz} answers 200, which in 2.9 needs
 * the JetStream meta leader and every stream and consumer current). A node can be {@link #kill killed} (SIGKILL, as
 * a power cut) and {@link #restart restarted} with its store; the restart waits for the routes and JetStream, not for
 * every replica to have caught up (under load that takes a while: {@link #awaitHealthy}).
 */
public final class NatsTestCluster implements AutoCloseable {

    /** Nodes of the cluster. */
    public static final int SIZE = 3;

    private static final Logger LOG = Logger.getLogger(NatsTestCluster.class.getName());
    private static final Pattern NUM_ROUTES = Pattern.compile("\"num_routes\"\\s*:\\s*(\\d+)");
    /** Longest wait for the cluster to form, seconds. */
    private static final int FORMED_TIMEOUT_SECONDS = 60;
    /** Longest wait for the cluster to form, seconds. */
    private final Path dir;
    private final List<Node> nodes = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private record Node(int index, int port, int clusterPort, int monitorPort, int mqttPort, Path dir, Process[] process) {
        Path log() {
            return dir.resolve("nats.log");
        }
    }

    private NatsTestCluster(Path dir) {
        this.dir = dir;
        for (int i = 0; i < SIZE; i++) {
            nodes.add(new Node(i, NatsTestServer.freePort(), NatsTestServer.freePort(), NatsTestServer.freePort(),
                    NatsTestServer.freePort(), dir.resolve("nats-" + (i + 1)), new Process[1]));
        }
    }

    /**
     * Starts the three nodes and waits until the cluster is formed. A cluster that does not form (a node stuck in its
     * start-up on a starved machine, a free port taken meanwhile) is stopped and started once more on new ports.
     */
    public static NatsTestCluster start() {
        try {
            return startOnce();
        } catch (IllegalStateException e) {
            LOG.warning("NATS test cluster did not start, trying once more on new ports: " + e.getMessage());
            return startOnce();
        }
    }

    private static NatsTestCluster startOnce() {
        Path dir;
        try {
            dir = Files.createTempDirectory("cctv-nats-cluster-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        NatsTestCluster cluster = new NatsTestCluster(dir);
        try {
            cluster.writeConfigs();
            for (Node node : cluster.nodes) {
                cluster.launch(node);
            }
            cluster.awaitHealthy();
            return cluster;
        } catch (IOException | RuntimeException e) {
            cluster.close();
            throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
        }
    }

    /** Every node's URL, comma-separated: what a service's {@code cctv.nats.url} takes. */
    public String url() {
        return nodes.stream().map(n -> "nats://127.0.0.1:" + n.port()).collect(Collectors.joining(","));
    }

    /** The URL of node {@code i} (0, 1, 2) alone. */
    public String url(int i) {
        return "nats://127.0.0.1:" + nodes.get(i).port();
    }

    /** The client port of node {@code i}. */
    public int port(int i) {
        return nodes.get(i).port();
    }

    /** The monitoring port of node {@code i} ({@code /varz}, {@code /routez}, {@code /healthz}, {@code /jsz}). */
    public int monitorPort(int i) {
        return nodes.get(i).monitorPort();
    }

    /** The node whose client port is {@code port}, or -1. */
    public int nodeOfPort(int port) {
        for (Node n : nodes) {
            if (n.port() == port) {
                return n.index();
            }
        }
        return -1;
    }

    /** The server name of node {@code i}: {@code cctv-1}, {@code cctv-2}, {@code cctv-3}. */
    public String serverName(int i) {
        return "cctv-" + (i + 1);
    }

    /** What a service process needs in its environment to reach the cluster: every node's URL. */
    public Map<String, String> serviceEnvironment() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("CCTV_NATS_URL", url());
        return env;
    }

    /** True while node {@code i} runs. */
    public boolean isAlive(int i) {
        Process p = nodes.get(i).process()[0];
        return p != null && p.isAlive();
    }

    /** The process id of node {@code i}, -1 when it is down. */
    public long pid(int i) {
        Process p = nodes.get(i).process()[0];
        return p == null ? -1 : p.pid();
    }

    /** Kills node {@code i} with SIGKILL, as a power cut would, and waits until it is gone. */
    public void kill(int i) {
        Node node = nodes.get(i);
        Process p = node.process()[0];
        if (p == null) {
            return;
        }
        p.destroyForcibly();
        try {
            p.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        node.process()[0] = null;
        LOG.info("killed NATS node " + serverName(i) + " (port " + node.port() + ")");
    }

    /**
     * Starts node {@code i} again on its ports with its store, and waits until it is routed to the others with
     * JetStream enabled; its replicas then catch up in the background.
     */
    public void restart(int i) {
        kill(i);
        try {
            launch(nodes.get(i));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        await("/healthz?js-enabled-only=true");
    }

    /** The log of node {@code i}. */
    public String log(int i) {
        try {
            Path log = nodes.get(i).log();
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Waits until every running node is routed to every other running node and healthy with JetStream, every stream
     * and consumer replica current; throws with what is missing after {@value #FORMED_TIMEOUT_SECONDS} seconds.
     */
    public void awaitHealthy() {
        await("/healthz");
    }

    private void await(String health) {
        long deadline = System.nanoTime() + Duration.ofSeconds(FORMED_TIMEOUT_SECONDS).toNanos();
        String missing = "";
        while (System.nanoTime() < deadline) {
            missing = notFormed(health);
            if (missing.isEmpty()) {
                return;
            }
            sleep(100);
        }
        throw new IllegalStateException("the NATS cluster did not form within " + FORMED_TIMEOUT_SECONDS + " s: "
                + missing + "\n" + nodes.stream().filter(n -> n.process()[0] != null)
                .map(n -> serverName(n.index()) + " log tail:\n" + tail(log(n.index()), 15))
                .collect(Collectors.joining("\n")));
    }

    /** What keeps the cluster from being formed, empty when it is. */
    private String notFormed(String healthPath) {
        List<Node> running = nodes.stream().filter(n -> n.process()[0] != null).toList();
        for (Node n : running) {
            if (!n.process()[0].isAlive()) {
                throw new IllegalStateException(serverName(n.index()) + " exited with " + n.process()[0].exitValue()
                        + ": " + tail(log(n.index()), 30));
            }
            String routez = get(n, "/routez");
            if (routez == null) {
                return serverName(n.index()) + " does not answer on its monitoring port";
            }
            Matcher m = NUM_ROUTES.matcher(routez);
            int routes = m.find() ? Integer.parseInt(m.group(1)) : 0;
            if (routes < running.size() - 1) {
                return serverName(n.index()) + " has " + routes + " routes of " + (running.size() - 1);
            }
            String health = get(n, healthPath);
            if (health == null || !health.contains("\"ok\"")) {
                return serverName(n.index()) + " is not healthy: " + health;
            }
        }
        return "";
    }

    /** The body of a 200 answer of node {@code n}'s monitoring, else null. */
    private String get(Node n, String path) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + n.monitorPort() + path))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? r.body() : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private void writeConfigs() throws IOException {
        // the production configuration, without users, next to the nodes' own files that include it
        Files.writeString(dir.resolve("nats.conf"), NatsTestServer.productionConfig());
        Files.writeString(dir.resolve("nats-users.conf"), "# tests: no users\n");
        String routes = nodes.stream().map(n -> "nats-route://127.0.0.1:" + n.clusterPort())
                .collect(Collectors.joining(", "));
        for (Node n : nodes) {
            Files.createDirectories(n.dir());
            Files.writeString(n.dir().resolve("nats.conf"), "# node " + (n.index() + 1) + " of a test cluster, as deploy/nats-cluster/\n"
                    + "include \"../nats.conf\"\n"
                    + "server_name: " + serverName(n.index()) + "\n"
                    + "mqtt {\n  host: 127.0.0.1\n  port: " + n.mqttPort() + "\n}\n"
                    + "cluster {\n  name: cctv\n  host: 127.0.0.1\n  port: " + n.clusterPort() + "\n"
                    + "  routes: [" + routes + "]\n}\n");
        }
    }

    private void launch(Node n) throws IOException {
        List<String> cmd = List.of(NatsTestServer.binary(), "-c", n.dir().resolve("nats.conf").toString(),
                "-a", "127.0.0.1", "-p", String.valueOf(n.port()), "-m", String.valueOf(n.monitorPort()),
                "-sd", n.dir().resolve("store").toString());
        n.process()[0] = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(n.log().toFile())).start();
        LOG.info("NATS node " + serverName(n.index()) + " on " + url(n.index()) + " (monitoring " + n.monitorPort()
                + ", log " + n.log() + ")");
    }

    private static String tail(String text, int lines) {
        String[] all = text.split("\n");
        return String.join("\n", java.util.Arrays.copyOfRange(all, Math.max(0, all.length - lines), all.length));
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    @Override
    public void close() {
        for (Node n : nodes) {
            kill(n.index());
        }
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // temporary files only
        }
    }
}
