package io.github.cctv.ingest.endpoint;

import io.github.cctv.ingest.config.IngestConfig;
import io.github.cctv.ingest.domain.CameraSessions;
import io.github.cctv.ingest.domain.CameraTokens;
import io.github.cctv.ingest.health.IngestMetrics;
import io.github.cctv.nats.RateLimitedLog;
import io.github.cctv.protocol.wire.Codec;
import io.github.cctv.protocol.wire.Message;
import io.github.cctv.protocol.wire.ReasonCode;
import io.github.cctv.protocol.wire.WireEncoder;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The camera TCP listener: one {@link NetServer} per event loop, all sharing the one port. It refuses connections
 * beyond the connection limit and from addresses that try too often, and logs refusals as rate-limited summaries.
 */
@ApplicationScoped
public class CameraServer {

    private static final Logger LOG = Logger.getLogger(CameraServer.class);

    private final Vertx vertx;
    private final IngestConfig config;
    private final CameraSessions sessions;
    private final CameraTokens tokens;
    private final IngestMetrics metrics;
    private final FrameLimit frameLimit;
    private final Clock clock;
    private final Set<Codec> codecs;
    private final FrameMemory frameMemory;
    private final AddressRateLimit rateLimit;
    private final RateLimitedLog rejectLog;
    private final Set<CameraConnection> connections = ConcurrentHashMap.newKeySet();
    private final List<NetServer> servers = new ArrayList<>();
    private volatile int port = -1;
    private volatile boolean stopping;
    private long flushTimer = -1;

    public CameraServer(Vertx vertx, IngestConfig config, CameraSessions sessions, CameraTokens tokens,
                        IngestMetrics metrics, FrameLimit frameLimit, FrameMemory frameMemory, Clock clock) {
        this.vertx = vertx;
        this.config = config;
        this.sessions = sessions;
        this.tokens = tokens;
        this.metrics = metrics;
        this.frameLimit = frameLimit;
        this.frameMemory = frameMemory;
        this.clock = clock;
        this.codecs = parseCodecs(config.codecs());
        this.rateLimit = new AddressRateLimit(config.connectionRate().perSecond(), config.connectionRate().burst(),
                config.connectionRate().maxAddresses(), clock);
        this.rejectLog = RateLimitedLog.to(LOG, Logger.Level.INFO, config.rejectLogInterval(), clock);
        if (config.sessionTimeout().toMillis() <= config.heartbeatInterval().toMillis()) {
            throw new IllegalArgumentException("cctv.ingest.session-timeout (" + config.sessionTimeout()
                    + ") must be longer than cctv.ingest.heartbeat-interval (" + config.heartbeatInterval() + ")");
        }
        if (config.messageTimeout().toMillis() < 1) {
            throw new IllegalArgumentException("cctv.ingest.message-timeout must be positive, got " + config.messageTimeout());
        }
        metrics.frameMemory(frameMemory::held, frameMemory::waiting);
    }

    /** Binds the port; fails start-up if it cannot. */
    public synchronized void start() throws Exception {
        int instances = config.eventLoops() > 0 ? config.eventLoops() : Runtime.getRuntime().availableProcessors();
        // Vert.x shares an acceptor between servers of the same host and port, but not for port 0: pick one first
        int wanted = config.port() == 0 ? freePort(config.host()) : config.port();
        int bindPort = -1;
        for (int i = 0; i < instances; i++) {
            // same host and port within one Vert.x = one shared acceptor, connections spread over the loops
            NetServer server = vertx.createNetServer(new NetServerOptions()
                    .setHost(config.host())
                    .setPort(wanted)
                    .setTcpNoDelay(true)
                    .setTcpKeepAlive(true));
            server.connectHandler(this::onConnect);
            // each listen from this (non Vert.x) thread lands on the next event loop
            server.listen().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            servers.add(server);
            if (bindPort >= 0 && server.actualPort() != bindPort) {
                throw new IllegalStateException("listener " + i + " bound port " + server.actualPort() + " instead of " + bindPort);
            }
            bindPort = server.actualPort();
        }
        port = bindPort;
        flushTimer = vertx.setPeriodic(config.rejectLogInterval().toMillis(), id -> rejectLog.flush());
        LOG.infof("listening for cameras on %s:%d (%d event loops, max %d connections, frames up to %d bytes, "
                        + "%d MiB for frames on their way, a frame within %d ms; codecs %s)",
                config.host(), port, instances, config.maxConnections(), frameLimit.current(),
                frameMemory.limit() >> 20, config.messageTimeout().toMillis(), config.codecs());
        LOG.infof("camera authentication: %s", tokens.describe());
        for (String weakness : tokens.weaknesses()) {
            LOG.warn(weakness);
        }
    }

    /** The bound port, -1 before {@link #start()}. */
    public int port() {
        return port;
    }

    /** Stops accepting, says goodbye to every camera and closes its session ({@code server-shutdown}). */
    public synchronized void stop() {
        stopping = true;
        if (flushTimer >= 0) {
            vertx.cancelTimer(flushTimer);
            flushTimer = -1;
        }
        rejectLog.flush();
        // goodbyes first: closing a listener closes its sockets, which would read as lost cameras
        List<CameraConnection> open = List.copyOf(connections);
        List<CompletableFuture<Void>> goodbyes = new ArrayList<>();
        for (CameraConnection c : open) {
            goodbyes.add(c.shutdown());
        }
        try {
            CompletableFuture.allOf(goodbyes.toArray(new CompletableFuture[0])).get(2, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.debugf("not every goodbye was written: %s", e.toString());
        }
        if (!open.isEmpty()) {
            LOG.infof("said goodbye to %d connections", open.size());
        }
        for (NetServer s : servers) {
            try {
                s.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
            } catch (Exception e) {
                LOG.debugf("closing listener: %s", e.toString());
            }
        }
        servers.clear();
    }

    private void onConnect(NetSocket socket) {
        if (stopping) {
            socket.close();
            return;
        }
        String address = socket.remoteAddress() == null ? "unknown" : socket.remoteAddress().host();
        if (!rateLimit.tryAcquire(address)) {
            // the cheapest refusal there is: no connection state, nothing read, not counted as open
            ReasonCode reason = ReasonCode.SERVER_BUSY;
            String message = "too many connection attempts from " + address + ": retry in "
                    + Math.max(1, rateLimit.retryAfterSeconds(address)) + " s";
            metrics.reject(reason.name());
            rejectLog.log(reason.name(), "rejected " + socket.remoteAddress() + ": " + reason + " " + message);
            socket.handler(ignored -> { });
            socket.end(Buffer.buffer(WireEncoder.encode(new Message.Reject(reason, message))));
            return;
        }
        metrics.connectionOpened();
        CameraConnection connection = new CameraConnection(this, socket, Vertx.currentContext(), frameLimit.current());
        connections.add(connection);
        connection.start();
        if (metrics.openConnections() > config.maxConnections()) {
            connection.refuseBusy(config.maxConnections());
        }
    }

    /**
     * The connection is closed or being closed by the server: it no longer counts against the connection limit (a
     * flood of refused connections whose closing lags behind must not lock cameras out).
     */
    void closed(CameraConnection connection) {
        if (connections.remove(connection)) {
            metrics.connectionClosed();
        }
    }

    Vertx vertx() {
        return vertx;
    }

    Clock clock() {
        return clock;
    }

    CameraSessions sessions() {
        return sessions;
    }

    CameraTokens tokens() {
        return tokens;
    }

    IngestMetrics metrics() {
        return metrics;
    }

    FrameMemory frameMemory() {
        return frameMemory;
    }

    RateLimitedLog rejectLog() {
        return rejectLog;
    }

    long messageTimeoutMillis() {
        return config.messageTimeout().toMillis();
    }

    Set<Codec> codecs() {
        return codecs;
    }

    long handshakeTimeoutMillis() {
        return config.handshakeTimeout().toMillis();
    }

    long heartbeatIntervalMillis() {
        return config.heartbeatInterval().toMillis();
    }

    long sessionTimeoutMillis() {
        return config.sessionTimeout().toMillis();
    }

    /** How often each connection checks its watchdog: often enough to declare a camera lost close to the timeout. */
    long tickMillis() {
        return Math.max(20, Math.min(heartbeatIntervalMillis(), sessionTimeoutMillis() / 4));
    }

    private static int freePort(String host) throws java.io.IOException {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName(host))) {
            return s.getLocalPort();
        }
    }

    private static Set<Codec> parseCodecs(String spec) {
        Set<Codec> set = EnumSet.noneOf(Codec.class);
        for (String name : spec.split(",")) {
            if (name.isBlank()) {
                continue;
            }
            Codec c = Codec.ofName(name.strip());
            if (c == null) {
                throw new IllegalArgumentException("cctv.ingest.codecs: unknown codec '" + name.strip() + "'");
            }
            set.add(c);
        }
        if (set.isEmpty()) {
            throw new IllegalArgumentException("cctv.ingest.codecs names no codec");
        }
        return set;
    }
}
