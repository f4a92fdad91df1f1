package io.github.cctv.dashboard.messaging;

import io.github.cctv.dashboard.config.SecretFiles;
import io.github.cctv.dashboard.config.WebhooksConfig;
import io.github.cctv.dashboard.domain.alerts.Backoff;
import io.github.cctv.dashboard.domain.alerts.WebhookDelivery;
import io.github.cctv.dashboard.domain.alerts.WebhookPoster;
import io.github.cctv.dashboard.domain.alerts.WebhookSignature;
import io.github.cctv.dashboard.domain.alerts.WebhookTarget;
import io.github.cctv.dashboard.health.WebhookMeters;
import io.nats.client.Connection;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;

/** The configured webhooks: one {@link NatsWebhookConsumer} per target, started with the service. */
@Singleton
public class NatsWebhooks {

    private static final Logger LOG = Logger.getLogger(NatsWebhooks.class);

    private final Connection connection;
    private final WebhooksConfig config;
    private final WebhookPoster poster;
    private final WebhookMeters meters;
    private final List<NatsWebhookConsumer> consumers = new ArrayList<>();
    private ScheduledExecutorService timer;

    public NatsWebhooks(Connection connection, WebhooksConfig config, WebhookPoster poster, WebhookMeters meters) {
        this.connection = connection;
        this.config = config;
        this.poster = poster;
        this.meters = meters;
    }

    void onStart(@Observes StartupEvent event) {
        start();
    }

    void onStop(@Observes ShutdownEvent event) {
        stop();
    }

    /** The running consumers (none without configured URLs). */
    public synchronized List<NatsWebhookConsumer> consumers() {
        return List.copyOf(consumers);
    }

    public synchronized void start() {
        List<WebhookTarget> targets = WebhookTarget.parseAll(config.urls().orElse(List.of()));
        if (targets.isEmpty() || !consumers.isEmpty()) {
            return;
        }
        String secret = config.secret().filter(s -> !s.isBlank())
                .or(() -> config.secretFile().map(f -> SecretFiles.readOrCreate(f, 32)))
                .orElseThrow(() -> new IllegalStateException("webhooks are configured (cctv.webhooks.urls) but no signing "
                        + "secret: set CCTV_WEBHOOKS_SECRET_FILE (made with a random value on the first start) or "
                        + "CCTV_WEBHOOKS_SECRET"));
        WebhookSignature signature = new WebhookSignature(secret);
        Backoff backoff = new Backoff(config.initialBackoff(), config.maxBackoff(), config.maxAttempts());
        // NATS gives an event to another puller only if nothing was heard for longer than one attempt and one wait
        Duration ackWait = config.timeout().plus(config.maxBackoff()).plusSeconds(30);
        ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1, r -> {
            Thread th = new Thread(r, "cctv-webhook-timer");
            th.setDaemon(true);
            return th;
        });
        t.setRemoveOnCancelPolicy(true);
        timer = t;
        for (WebhookTarget target : targets) {
            meters.register(target.id());
            WebhookDelivery delivery = new WebhookDelivery(target, poster, signature, backoff, config.timeout(), timer, meters);
            consumers.add(new NatsWebhookConsumer(connection, delivery, config.maxInFlight(), ackWait, config.retry()).start());
            LOG.infof("webhook %s: camera events%s to %s", target.id(),
                    target.types().isEmpty() ? "" : " " + String.join("+", target.types()), target.display());
        }
    }

    public synchronized void stop() {
        consumers.forEach(NatsWebhookConsumer::close);
        consumers.clear();
        if (timer != null) {
            timer.shutdownNow();
            timer = null;
        }
    }
}
