package io.github.cctv.nats;

import io.nats.client.Connection;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** The service's {@link Connection} for the code that needs one to start: created once NATS has answered. */
public class NatsProducers {

    @Produces
    @Singleton
    Connection connection(NatsConnection nats) throws InterruptedException {
        return nats.awaitConnection();
    }
}
