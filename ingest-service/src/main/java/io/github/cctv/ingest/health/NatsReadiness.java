package io.github.cctv.ingest.health;

import io.github.cctv.ingest.messaging.NatsClient;
import io.github.cctv.ingest.messaging.NatsOutbox;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready when NATS is connected and the streams and registry bucket are in place. */
@Readiness
@ApplicationScoped
public class NatsReadiness implements HealthCheck {

    private final NatsClient client;
    private final NatsOutbox outbox;

    public NatsReadiness(NatsClient client, NatsOutbox outbox) {
        this.client = client;
        this.outbox = outbox;
    }

    @Override
    public HealthCheckResponse call() {
        boolean connected = client.isConnected();
        boolean streams = outbox.streamsReady();
        return HealthCheckResponse.named("nats")
                .status(connected && streams)
                .withData("connected", connected)
                .withData("streams", streams)
                .withData("pending", outbox.pending())
                .build();
    }
}
