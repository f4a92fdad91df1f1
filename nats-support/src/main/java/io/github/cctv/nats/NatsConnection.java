package io.github.cctv.nats;

import io.github.cctv.protocol.Subjects;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.nats.client.Connection;
import io.nats.client.ConnectionListener;
import io.nats.client.Consumer;
import io.nats.client.ErrorListener;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A service's one NATS connection, built from one {@link Options}: named, reconnecting forever (also when NATS is
 * not there yet at start), a bounded outgoing queue that discards rather than blocks, listeners that feed the log,
 * the {@code cctv_nats_*} meters and whoever {@link #addListener listens}; drained on shutdown.
 *
 * <p>{@link #start()} returns at once (ingest serves cameras with or without NATS); {@link #awaitConnection()}
 * waits for the first connect (the recorder and the dashboard need NATS to do anything).
 */
@Singleton
public class NatsConnection implements AutoCloseable {

    /** Told what happens to the connection. Called on a jnats thread: flag and hand off, never block. */
    public interface Listener {

        /** The connection came up (first connect or reconnect) or went down. */
        default void connectionChanged(boolean connected) {
        }

        /** A message was thrown away because the outgoing queue was full. */
        default void messageDiscarded(Message message) {
        }
    }

    private static final Logger LOG = Logger.getLogger(NatsConnection.class);
    private static final long SLOW_CONSUMER_WARN_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final NatsConfig config;
    private final Counter slowConsumers;
    private final Counter discarded;
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    // a permission this service lacks is refused on every try: say so once a minute per kind, not per message
    private final RateLimitedLog errors = RateLimitedLog.to(LOG, Logger.Level.WARN, Duration.ofMinutes(1), java.time.Clock.systemUTC());
    private final CountDownLatch firstConnect = new CountDownLatch(1);
    private final AtomicBoolean exceptionLogged = new AtomicBoolean();
    private final AtomicLong lastSlowConsumerWarn = new AtomicLong(System.nanoTime() - SLOW_CONSUMER_WARN_NANOS);
    private volatile Connection connection;
    private volatile long maxPayload = -1;
    private boolean started;
    private boolean closed;

    public NatsConnection(NatsConfig config, MeterRegistry registry) {
        this.config = config;
        this.slowConsumers = Counter.builder("cctv.nats.slow.consumers")
                .description("Times NATS dropped messages because this service fell behind").register(registry);
        this.discarded = Counter.builder("cctv.nats.messages.discarded")
                .description("Messages not sent because the client's outgoing queue was full").register(registry);
    }

    /** The one {@link Options} of the service. */
    Options options() {
        Options.Builder builder = new Options.Builder();
        // a user's replies arrive on its own inbox prefix, the only inboxes deploy/nats-users.conf lets it read
        config.username().filter(u -> !u.isBlank()).ifPresent(user -> builder.userInfo(user, password(config))
                .inboxPrefix(Subjects.inboxPrefix(user)));
        return builder
                .servers(servers(config.url()))
                .connectionName(config.connectionName())
                .maxReconnects(-1)
                .reconnectWait(config.reconnectWait())
                .connectionTimeout(config.connectionTimeout())
                // a full outgoing queue drops the message instead of blocking the caller (a camera's event loop)
                .maxMessagesInOutgoingQueue(config.maxOutgoingMessages())
                .discardMessagesWhenOutgoingQueueFull()
                .connectionListener(this::onConnectionEvent)
                .errorListener(new Errors())
                .build();
    }

    /**
     * The password of the configured user: the password file's content if one is given (read once, at start), else
     * the password. A file that cannot be read stops the service with its name, rather than retrying a wrong password.
     */
    static String password(NatsConfig config) {
        if (config.passwordFile().isPresent()) {
            java.nio.file.Path file = config.passwordFile().get();
            try {
                String password = java.nio.file.Files.readString(file).strip();
                if (password.isEmpty()) {
                    throw new IllegalStateException("cctv.nats.password-file " + file + " is empty");
                }
                return password;
            } catch (java.io.IOException e) {
                throw new IllegalStateException("cannot read cctv.nats.password-file " + file + ": " + e, e);
            }
        }
        return config.password().orElseThrow(() -> new IllegalStateException("cctv.nats.username "
                + config.username().orElse("") + " is set but neither cctv.nats.password-file nor cctv.nats.password"));
    }

    static String[] servers(String url) {
        return java.util.Arrays.stream(url.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toArray(String[]::new);
    }

    /** Starts connecting in the background and returns at once; listeners added before miss nothing. */
    public synchronized void start() {
        if (started) {
            return;
        }
        started = true;
        LOG.infof("connecting to NATS at %s as %s%s", config.url(), config.connectionName(),
                config.username().filter(u -> !u.isBlank()).map(u -> " (user " + u + ")").orElse(""));
        try {
            Nats.connectAsynchronously(options(), true);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting the NATS connection", e);
        }
    }

    /** Starts if needed and waits, as long as it takes, for the first connect. */
    public Connection awaitConnection() throws InterruptedException {
        start();
        firstConnect.await();
        return connection;
    }

    public void addListener(Listener listener) {
        listeners.add(listener);
    }

    /** The connection, or null before the first connect. */
    public Connection connection() {
        return connection;
    }

    public boolean isConnected() {
        Connection c = connection;
        return c != null && c.getStatus() == Connection.Status.CONNECTED;
    }

    /** The connection's state as jnats names it, {@code CONNECTING} before the first connect. */
    public String status() {
        Connection c = connection;
        return c == null ? "CONNECTING" : c.getStatus().name();
    }

    /** The server connected to, or null. */
    public String server() {
        Connection c = connection;
        return c == null ? null : c.getConnectedUrl();
    }

    /** The server's max_payload, or -1 before the first connect. */
    public long maxPayload() {
        return maxPayload;
    }

    NatsConfig config() {
        return config;
    }

    /** Drains (what was published goes out first, up to the drain timeout) and closes. Later calls do nothing. */
    @Override
    @PreDestroy
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        Connection c = connection;
        if (c == null) {
            return;
        }
        Duration timeout = config.drainTimeout();
        try {
            if (c.getStatus() == Connection.Status.CONNECTED) {
                c.drain(timeout).get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
            }
        } catch (Exception e) {
            LOG.warnf("NATS drain did not finish cleanly: %s", e.toString());
        } finally {
            try {
                c.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    // runs on a jnats thread: only flags and hand-offs here
    private void onConnectionEvent(Connection conn, ConnectionListener.Events event) {
        switch (event) {
            case CONNECTED, RECONNECTED -> {
                connection = conn;
                maxPayload = conn.getMaxPayload();
                exceptionLogged.set(false);
                LOG.infof("NATS %s: %s (max_payload %d)", event.getEvent(), conn.getConnectedUrl(), maxPayload);
                firstConnect.countDown();
                notifyListeners(true);
            }
            case DISCONNECTED -> {
                connection = conn;
                LOG.warnf("NATS disconnected; reconnecting every %s", config.reconnectWait());
                notifyListeners(false);
            }
            case CLOSED -> {
                LOG.info("NATS connection closed");
                notifyListeners(false);
            }
            default -> LOG.debugf("NATS %s", event.getEvent());
        }
    }

    private void notifyListeners(boolean up) {
        for (Listener l : listeners) {
            try {
                l.connectionChanged(up);
            } catch (RuntimeException e) {
                LOG.warnf(e, "NATS connection listener failed");
            }
        }
    }

    private final class Errors implements ErrorListener {
        @Override
        public void errorOccurred(Connection conn, String error) {
            String key = error != null && error.toLowerCase(java.util.Locale.ROOT).contains("permissions violation")
                    ? "NATS permission violations" : "NATS errors";
            errors.log(key, "NATS error: " + error);
        }

        @Override
        public void exceptionOccurred(Connection conn, Exception exp) {
            // while NATS is away every reconnect attempt fails: say it once, not every second
            if (exceptionLogged.compareAndSet(false, true)) {
                LOG.warnf("NATS exception: %s (further ones until the next connect at DEBUG)", exp.toString());
            } else {
                LOG.debugf("NATS exception: %s", exp.toString());
            }
        }

        @Override
        public void messageDiscarded(Connection conn, Message msg) {
            discarded.increment();
            for (Listener l : listeners) {
                l.messageDiscarded(msg);
            }
        }

        @Override
        public void slowConsumerDetected(Connection conn, Consumer consumer) {
            slowConsumers.increment();
            long now = System.nanoTime();
            long last = lastSlowConsumerWarn.get();
            if (now - last >= SLOW_CONSUMER_WARN_NANOS && lastSlowConsumerWarn.compareAndSet(last, now)) {
                LOG.warnf("NATS slow consumer: messages dropped for this service (%.0f times so far)",
                        slowConsumers.count());
            }
        }
    }
}
