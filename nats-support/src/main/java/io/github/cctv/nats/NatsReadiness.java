package io.github.cctv.nats;

import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * The readiness check {@code nats} of every service: UP while the connection is up and every
 * {@link Detail} a service adds (ingest: its streams are in place) says it is ready. Data: {@code connected},
 * {@code status}, {@code server}, and what the details add.
 */
@Readiness
@Singleton
public class NatsReadiness implements HealthCheck {

    /** What a service adds to the check. */
    public interface Detail {

        /** Adds data to the response; returns false to hold readiness down. */
        boolean describe(HealthCheckResponseBuilder response);
    }

    private final NatsConnection nats;
    private final Instance<Detail> details;

    public NatsReadiness(NatsConnection nats, @Any Instance<Detail> details) {
        this.nats = nats;
        this.details = details;
    }

    @Override
    public HealthCheckResponse call() {
        boolean connected = nats.isConnected();
        HealthCheckResponseBuilder b = HealthCheckResponse.named("nats")
                .withData("connected", connected)
                .withData("status", nats.status())
                .withData("server", String.valueOf(nats.server()));
        boolean ready = connected;
        for (Detail d : details) {
            ready &= d.describe(b);
        }
        return b.status(ready).build();
    }
}
