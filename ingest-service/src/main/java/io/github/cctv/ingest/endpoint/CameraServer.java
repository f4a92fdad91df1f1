package io.github.cctv.ingest.endpoint;

import io.github.cctv.ingest.config.IngestConfig;
import io.github.cctv.ingest.domain.CameraClaims;
import io.github.cctv.ingest.domain.CameraSessions;
import io.github.cctv.ingest.domain.CameraTokens;
import io.github.cctv.ingest.health.IngestMetrics;
import io.github.cctv.nats.RateLimitedLog;
import io.github.cctv.protocol.wire.Codec;
import io.github.cctv.protocol.wire.Message;
import io.github.cctv.protocol.wire.ReasonCode;
import io.github.cctv.protocol.wire.WireEncoder;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.PemKeyCertOptions;
import jakarta.enterprise.context.ApplicationScoped;
import javax.net.ssl.KeyManagerFactory;
import org.jboss.logging.Logger;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The camera TCP listener: one {@link NetServer} per event loop, all sharing the one port, which speaks TLS (and, when
 * enabled, a second port speaking plain TCP for cameras that cannot). It refuses connections beyond the connection
 * limit and from addresses that try too often, and logs refusals as rate-limited summaries.
 */
@ApplicationScoped
public class CameraServer {

    private static final Logger LOG = Logger.getLogger(CameraServer.class);

    private final Vertx vertx;
    private final IngestConfig config;
    private final CameraSessions sessions;
    private final CameraClaims claims;
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
    private volatile int plainPort = -1;
    private volatile boolean stopping;
    private long flushTimer = -1;

    public CameraServer(Vertx vertx, IngestConfig config, CameraSessions sessions, CameraClaims claims,
                        CameraTokens tokens, IngestMetrics metrics, FrameLimit frameLimit, FrameMemory frameMemory,
                        Clock clock) {
        this.vertx = vertx;
        this.config = config;
        this.sessions = sessions;
        this.claims = claims;
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

    /** Binds the camera port (and the plain port when enabled); fails start-up if it cannot. */
    public synchronized void start() throws Exception {
        int instances = config.eventLoops() > 0 ? config.eventLoops() : Runtime.getRuntime().availableProcessors();
        boolean tls = config.tls().enabled();
        port = bind(config.port(), tls ? tlsOptions() : null, instances);
        if (config.plain().enabled()) {
            plainPort = bind(config.plain().port(), null, instances);
        }
        flushTimer = vertx.setPeriodic(config.rejectLogInterval().toMillis(), id -> rejectLog.flush());
        LOG.infof("listening for cameras on %s:%d (%s)%s (%d event loops, max %d connections, frames up to %d bytes, "
                        + "%d MiB for frames on their way, a frame within %d ms; codecs %s)",
                config.host(), port, tls ? "TLS, certificate " + config.tls().certFile().orElseThrow() : "plain TCP",
                plainPort < 0 ? "" : " and " + config.host() + ":" + plainPort + " (plain TCP)",
                instances, config.maxConnections(), frameLimit.current(),
                frameMemory.limit() >> 20, config.messageTimeout().toMillis(), config.codecs());
        if (!tls) {
            LOG.warnf("the camera port %d speaks plain TCP (cctv.ingest.tls.enabled=false): camera tokens and frames cross "
                    + "the network in clear", port);
        }
        if (plainPort >= 0) {
            LOG.warnf("the plain camera port %d is open (cctv.ingest.plain.enabled=true): cameras on it send their tokens "
                    + "and frames in clear", plainPort);
        }
        LOG.infof("camera authentication: %s", tokens.describe());
        for (String weakness : tokens.weaknesses()) {
            LOG.warn(weakness);
        }
    }

    /** One listener per event loop on one port, all sharing its acceptor; TLS when {@code tls} is not null. Returns the port. */
    private int bind(int configuredPort, PemKeyCertOptions tls, int instances) throws Exception {
        // Vert.x shares an acceptor between servers of the same host and port, but not for port 0: pick one first
        int wanted = configuredPort == 0 ? freePort(config.host()) : configuredPort;
        int bindPort = -1;
        boolean secure = tls != null;
        for (int i = 0; i < instances; i++) {
            NetServerOptions options = new NetServerOptions()
                    .setHost(config.host())
                    .setPort(wanted)
                    .setTcpNoDelay(true)
                    .setTcpKeepAlive(true);
            if (secure) {
                // not setSsl: the connection is upgraded by CameraConnection, so that one timer from the TCP accept
                // covers the TLS handshake and the hello, and a failed handshake is counted and logged like any reject
                options.setKeyCertOptions(tls)
                        .setEnabledSecureTransportProtocols(new LinkedHashSet<>(List.of("TLSv1.3", "TLSv1.2")))
                        .setSslHandshakeTimeout(config.handshakeTimeout().toMillis())
                        .setSslHandshakeTimeoutUnit(TimeUnit.MILLISECONDS);
            }
            // same host and port within one Vert.x = one shared acceptor, connections spread over the loops
            NetServer server = vertx.createNetServer(options);
            server.connectHandler(socket -> onConnect(socket, secure));
            // each listen from this (non Vert.x) thread lands on the next event loop
            server.listen().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            servers.add(server);
            if (bindPort >= 0 && server.actualPort() != bindPort) {
                throw new IllegalStateException("listener " + i + " bound port " + server.actualPort() + " instead of " + bindPort);
            }
            bindPort = server.actualPort();
        }
        return bindPort;
    }

    /** The certificate and key from configuration, checked to be there before Vert.x reads them. */
    private PemKeyCertOptions tlsOptions() {
        String cert = config.tls().certFile().orElse("");
        String key = config.tls().keyFile().orElse("");
        if (cert.isBlank() || key.isBlank()) {
            throw new IllegalStateException("the camera port speaks TLS: set cctv.ingest.tls.cert-file and "
                    + "cctv.ingest.tls.key-file (CCTV_INGEST_TLS_CERT_FILE, CCTV_INGEST_TLS_KEY_FILE) to PEM files, "
                    + "or cctv.ingest.tls.enabled=false for plain TCP");
        }
        for (String[] f : new String[][] {{"cctv.ingest.tls.cert-file", cert}, {"cctv.ingest.tls.key-file", key}}) {
            if (!Files.isReadable(Path.of(f[1]))) {
                throw new IllegalStateException(f[0] + ": cannot read " + f[1]);
            }
        }
        PemKeyCertOptions pem = new PemKeyCertOptions().setCertPath(cert).setKeyPath(key);
        try {
            KeyManagerFactory keys = pem.getKeyManagerFactory(vertx);
            // loads the TLS classes here, at start: on an event loop, at the first camera's handshake, that takes
            // seconds on a small machine, longer than the handshake timeout
            SslContextBuilder.forServer(keys).sslProvider(SslProvider.JDK).build();
        } catch (Exception e) {
            throw new IllegalStateException("cctv.ingest.tls: cannot use the certificate " + cert + " with the key " + key
                    + ": " + e.getMessage(), e);
        }
        return pem;
    }

    /** The bound camera port, -1 before {@link #start()}. */
    public int port() {
        return port;
    }

    /** The bound plain TCP port, -1 when it is off. */
    public int plainPort() {
        return plainPort;
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

    private void onConnect(NetSocket socket, boolean tls) {
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
            if (tls) {
                // no TLS handshake for a refused attempt (that is the work the limit saves): the camera sees it closed
                socket.close();
            } else {
                socket.end(Buffer.buffer(WireEncoder.encode(new Message.Reject(reason, message))));
            }
            return;
        }
        metrics.connectionOpened();
        CameraConnection connection = new CameraConnection(this, socket, Vertx.currentContext(), frameLimit.current(), tls);
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

    CameraClaims claims() {
        return claims;
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
