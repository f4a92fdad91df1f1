package io.github.cctv.recorder.health;

import io.nats.client.Connection;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready while the NATS connection is up: without it no frame can be recorded. */
@Readiness
@ApplicationScoped
public class NatsHealthCheck implements HealthCheck {

    private final Connection nc;

    public NatsHealthCheck(Connection nc) {
        this.nc = nc;
    }

    @Override
    public HealthCheckResponse call() {
        Connection.Status s = nc.getStatus();
        return HealthCheckResponse.named("nats")
                .status(s == Connection.Status.CONNECTED)
                .withData("status", s.name())
                .withData("server", String.valueOf(nc.getConnectedUrl()))
                .build();
    }
}
