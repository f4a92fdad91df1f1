package io.github.cctv.ingest.endpoint;

import io.github.cctv.nats.http.ServiceTokenConfig;
import io.github.cctv.nats.http.ServiceTokenGuard;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.smallrye.health.SmallRyeHealthReporter;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

/**
 * Every HTTP request to ingest needs the service token ({@code cctv.http.service-token-file}), health aside,
 * which answers its bare status to anyone: {@link ServiceTokenGuard}.
 */
@Singleton
public class ServiceTokenFilter {

    private final ServiceTokenGuard guard;

    public ServiceTokenFilter(ServiceTokenConfig config, SmallRyeHealthReporter health) {
        this.guard = new ServiceTokenGuard(config, health, "ingest");
    }

    void register(@Observes Filters filters) {
        guard.register(filters);
    }
}
