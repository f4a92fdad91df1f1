package io.github.cctv.ingest.health;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * Prometheus text format on {@code /q/metrics}. The Prometheus registry is produced here (quarkus-micrometer
 * adds every registry bean to its global composite) and scraped on the management path.
 */
@ApplicationScoped
public class MetricsEndpoint {

    @Produces
    @Singleton
    PrometheusMeterRegistry prometheusRegistry() {
        return new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    }

    void routes(@Observes Router router, PrometheusMeterRegistry registry) {
        router.get("/q/metrics").handler(ctx -> ctx.response()
                .putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
                .end(registry.scrape()));
    }
}
