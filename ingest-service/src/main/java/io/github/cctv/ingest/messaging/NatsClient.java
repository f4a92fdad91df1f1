package io.github.cctv.ingest.messaging;

import io.github.cctv.ingest.config.NatsConfig;
import io.github.cctv.ingest.health.IngestMetrics;
import io.nats.client.Connection;
import io.nats.client.ConnectionListener;
import io.nats.client.ErrorListener;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The service's one NATS connection. It connects in the background and reconnects forever, so ingest
 * serves cameras whether or not NATS is there; listeners learn when it comes and goes.
 */
@ApplicationScoped
public class NatsClient {

    private static final Logger LOG = Logger.getLogger(NatsClient.class);

    private final NatsConfig config;
    private final IngestMetrics metrics;
    private final List<Consumer<Boolean>> listeners = new CopyOnWriteArrayList<>();
    private volatile Connection connection;
    private volatile long maxPayload = -1;
    private volatile boolean started;

    public NatsClient(NatsConfig config, IngestMetrics metrics) {
        this.config = config;
        this.metrics = metrics;
    }

    /** Starts connecting; returns at once. */
    public synchronized void start() {
        if (started) {
            return;
        }
        started = true;
        try {
            Nats.connectAsynchronously(options(), true);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting the NATS connection", e);
        }
    }

    /** The one {@link Options} of this service. */
    Options options() {
        return new Options.Builder()
                .servers(config.url().split(","))
                .connectionName(config.connectionName())
                .maxReconnects(-1)
                .reconnectWait(config.reconnectWait())
                .connectionTimeout(Duration.ofSeconds(5))
                // a full outgoing queue drops the message instead of blocking the camera's event loop
                .maxMessagesInOutgoingQueue(config.maxOutgoingMessages())
                .discardMessagesWhenOutgoingQueueFull()
                .connectionListener(this::onConnectionEvent)
                .errorListener(new Errors())
                .build();
    }

    public void addListener(Consumer<Boolean> connectedChanged) {
        listeners.add(connectedChanged);
    }

    /** The connection, or null before the first connect. */
    public Connection connection() {
        return connection;
    }

    public boolean isConnected() {
        Connection c = connection;
        return c != null && c.getStatus() == Connection.Status.CONNECTED;
    }

    /** The server's max_payload, or -1 before the first connect. */
    public long maxPayload() {
        return maxPayload;
    }

    /** Drains and closes the connection: what was published goes out first. */
    public void close(Duration timeout) {
        Connection c = connection;
        if (c == null) {
            return;
        }
        try {
            if (c.getStatus() == Connection.Status.CONNECTED) {
                c.drain(timeout).get(timeout.toMillis() + 1000, java.util.concurrent.TimeUnit.MILLISECONDS);
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
                LOG.infof("NATS %s: %s (max_payload %d)", event.getEvent(), conn.getConnectedUrl(), maxPayload);
                notifyListeners(true);
            }
            case DISCONNECTED -> {
                connection = conn;
                LOG.warnf("NATS disconnected; reconnecting every %s, frames are dropped meanwhile", config.reconnectWait());
                notifyListeners(false);
            }
            case CLOSED -> {
                LOG.info("NATS connection closed");
                notifyListeners(false);
            }
            default -> LOG.debugf("NATS %s", event.getEvent());
        }
    }

    private void notifyListeners(boolean connected) {
        for (Consumer<Boolean> l : listeners) {
            l.accept(connected);
        }
    }

    private final class Errors implements ErrorListener {
        @Override
        public void errorOccurred(Connection conn, String error) {
            LOG.warnf("NATS error: %s", error);
        }

        @Override
        public void exceptionOccurred(Connection conn, Exception exp) {
            LOG.debugf("NATS exception: %s", exp.toString());
        }

        @Override
        public void messageDiscarded(Connection conn, Message msg) {
            metrics.frameDropped("queue-full");
        }

        @Override
        public void slowConsumerDetected(Connection conn, io.nats.client.Consumer consumer) {
            LOG.warn("NATS slow consumer");
        }
    }
}
