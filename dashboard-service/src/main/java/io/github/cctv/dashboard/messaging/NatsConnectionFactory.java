package io.github.cctv.dashboard.messaging;

import io.github.cctv.dashboard.config.NatsConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.nats.client.Connection;
import io.nats.client.ConnectionListener;
import io.nats.client.Consumer;
import io.nats.client.ErrorListener;
import io.nats.client.Nats;
import io.nats.client.Options;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.time.Duration;

/**
 * The service's one NATS connection: named, reconnecting forever (also when NATS is not up yet at start),
 * with listeners that feed the logs and the metrics; drained on shutdown.
 */
public class NatsConnectionFactory {

    private static final Logger LOG = Logger.getLogger(NatsConnectionFactory.class);

    @Produces
    @Singleton
    Connection connection(NatsConfig config, MeterRegistry registry) throws IOException, InterruptedException {
        Counter slowConsumer = Counter.builder("cctv.dashboard.nats.slow.consumer")
                .description("Times NATS dropped messages because this service fell behind").register(registry);
        Options options = Options.builder()
                .server(config.url())
                .connectionName(config.connectionName())
                .maxReconnects(-1)
                .reconnectWait(Duration.ofSeconds(1))
                .connectionListener(new ConnectionListener() {
                    @Override
                    public void connectionEvent(Connection conn, Events type) {
                        if (type == Events.DISCONNECTED || type == Events.CLOSED) {
                            LOG.warnf("NATS %s: %s", config.url(), type);
                        } else {
                            LOG.infof("NATS %s: %s", config.url(), type);
                        }
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

                    @Override
                    public void slowConsumerDetected(Connection conn, Consumer consumer) {
                        slowConsumer.increment();
                    }
                })
                .build();
        return Nats.connectReconnectOnConnect(options);
    }

    void close(@Disposes Connection connection) throws InterruptedException {
        try {
            connection.drain(Duration.ofSeconds(2)).get();
        } catch (Exception e) {
            connection.close();
        }
    }
}
