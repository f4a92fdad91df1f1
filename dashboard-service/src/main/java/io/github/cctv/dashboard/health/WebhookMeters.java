package io.github.cctv.dashboard.health;

import io.github.cctv.dashboard.domain.alerts.WebhookMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Singleton;

/** {@code cctv_dashboard_webhooks_{delivered,retried,failed}_total{target}}: what webhook deliveries did. */
@Singleton
public class WebhookMeters implements WebhookMetrics {

    private final MeterRegistry registry;

    public WebhookMeters(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Makes the three counters of {@code target} visible at 0 before anything happened. */
    public void register(String target) {
        counter("delivered", target);
        counter("retried", target);
        counter("failed", target);
    }

    @Override
    public void delivered(String target) {
        counter("delivered", target).increment();
    }

    @Override
    public void retried(String target) {
        counter("retried", target).increment();
    }

    @Override
    public void failed(String target) {
        counter("failed", target).increment();
    }

    private Counter counter(String what, String target) {
        String description = switch (what) {
            case "delivered" -> "Camera events a webhook receiver accepted (2xx)";
            case "retried" -> "Webhook attempts that failed and were tried again after a wait";
            default -> "Camera events given up for a webhook after every attempt failed";
        };
        return Counter.builder("cctv.dashboard.webhooks." + what).tag("target", target).description(description)
                .register(registry);
    }
}
