package io.github.cctv.dashboard.health;

import io.github.cctv.dashboard.messaging.NatsWatchers;
import io.nats.client.Connection;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready while connected to NATS: without it there is no live video and no status. */
@Readiness
public class NatsHealthCheck implements HealthCheck {

    private final Connection connection;
    private final NatsWatchers watchers;

    public NatsHealthCheck(Connection connection, NatsWatchers watchers) {
        this.connection = connection;
        this.watchers = watchers;
    }

    @Override
    public HealthCheckResponse call() {
        Connection.Status status = connection.getStatus();
        return HealthCheckResponse.named("nats")
                .status(status == Connection.Status.CONNECTED)
                .withData("status", status.name())
                .withData("server", String.valueOf(connection.getConnectedUrl()))
                .withData("registryWatched", watchers.registryWatched())
                .withData("recordingStateWatched", watchers.recordingWatched())
                .build();
    }
}
