package io.github.cctv.recorder.messaging;

import io.github.cctv.recorder.config.NatsConfig;
import io.nats.client.Connection;
import io.nats.client.ConnectionListener;
import io.nats.client.ErrorListener;
import io.nats.client.Nats;
import io.nats.client.Options;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.time.Duration;

/** The service's one NATS connection: named, reconnecting forever, logged, drained on shutdown. */
@ApplicationScoped
public class NatsConnectionFactory {

    private static final Logger LOG = Logger.getLogger(NatsConnectionFactory.class);

    @Produces
    @Singleton
    Connection connection(NatsConfig config) throws IOException, InterruptedException {
        Options options = new Options.Builder()
                .servers(config.url().split("\\s*,\\s*"))
                .connectionName(config.connectionName())
                .maxReconnects(-1)
                .reconnectWait(Duration.ofSeconds(1))
                .connectionTimeout(Duration.ofSeconds(5))
                .connectionListener((conn, event) -> {
                    if (event == ConnectionListener.Events.DISCONNECTED) {
                        LOG.warnf("NATS connection lost (%s); reconnecting", config.url());
                    } else {
                        LOG.infof("NATS %s", event.name().toLowerCase());
                    }
                })
                .errorListener(new ErrorListener() {
                    @Override
                    public void errorOccurred(Connection conn, String error) {
                        LOG.warnf("NATS error: %s", error);
                    }

                    @Override
                    public void exceptionOccurred(Connection conn, Exception exp) {
                        LOG.warnf("NATS exception: %s", exp.toString());
                    }
                })
                .build();
        LOG.infof("connecting to NATS at %s", config.url());
        return Nats.connectReconnectOnConnect(options);
    }

    void close(@Disposes Connection connection) {
        try {
            connection.drain(Duration.ofSeconds(5)).get();
        } catch (Exception e) {
            LOG.debugf("drain: %s", e.toString());
        }
        try {
            connection.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
