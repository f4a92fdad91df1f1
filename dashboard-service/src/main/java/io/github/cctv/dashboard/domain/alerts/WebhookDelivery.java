package io.github.cctv.dashboard.domain.alerts;

import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Delivers events to one target: POST with the signature and delivery headers, retried with {@link Backoff} on a
 * failure (no answer, or any status but 2xx), given up after the last attempt. Nothing here blocks: the waits are
 * scheduled, the POST is asynchronous, and the returned future completes when the event is finished with.
 */
public final class WebhookDelivery {

    /** Header naming the delivery, the same on every attempt: a receiver drops a second one with the same id. */
    public static final String DELIVERY_HEADER = "X-Cctv-Delivery";
    /** Header naming the event type. */
    public static final String EVENT_HEADER = "X-Cctv-Event";
    /** Header with the attempt number, 1 for the first. */
    public static final String ATTEMPT_HEADER = "X-Cctv-Attempt";

    private static final Logger LOG = Logger.getLogger(WebhookDelivery.class);

    /** How a delivery ended. */
    public enum Outcome {
        /** A receiver answered 2xx. */
        DELIVERED,
        /** Every attempt failed. */
        GAVE_UP,
        /** The service is stopping: neither delivered nor given up, to be delivered again later. */
        STOPPED
    }

    private final WebhookTarget target;
    private final WebhookPoster poster;
    private final WebhookSignature signature;
    private final Backoff backoff;
    private final Duration timeout;
    private final ScheduledExecutorService timer;
    private final WebhookMetrics metrics;

    public WebhookDelivery(WebhookTarget target, WebhookPoster poster, WebhookSignature signature, Backoff backoff,
                           Duration timeout, ScheduledExecutorService timer, WebhookMetrics metrics) {
        this.target = target;
        this.poster = poster;
        this.signature = signature;
        this.backoff = backoff;
        this.timeout = timeout;
        this.timer = timer;
        this.metrics = metrics;
    }

    public WebhookTarget target() {
        return target;
    }

    /**
     * Delivers {@code event}; {@code beforeRetry} runs before every retry (the consumer tells NATS the event is
     * still being worked on). The future never fails.
     */
    public CompletableFuture<Outcome> deliver(WebhookEvent event, Runnable beforeRetry) {
        CompletableFuture<Outcome> done = new CompletableFuture<>();
        attempt(event, 1, beforeRetry, done);
        return done;
    }

    private void attempt(WebhookEvent event, int attempt, Runnable beforeRetry, CompletableFuture<Outcome> done) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        headers.put(WebhookSignature.HEADER, signature.sign(event.body()));
        headers.put(DELIVERY_HEADER, event.deliveryId());
        headers.put(EVENT_HEADER, event.type());
        headers.put(ATTEMPT_HEADER, Integer.toString(attempt));
        CompletableFuture<Integer> answer;
        try {
            answer = poster.post(target.url(), headers, event.body(), timeout);
        } catch (RuntimeException e) {
            answer = CompletableFuture.failedFuture(e);
        }
        answer.whenComplete((status, error) -> {
            if (error == null && status >= 200 && status < 300) {
                metrics.delivered(target.id());
                done.complete(Outcome.DELIVERED);
                return;
            }
            String why = error != null ? describe(error) : "HTTP " + status;
            if (!backoff.retriesAfter(attempt)) {
                metrics.failed(target.id());
                LOG.warnf("webhook %s (%s): gave up delivery %s (%s of camera %s) after %d attempts, last: %s",
                        target.id(), target.display(), event.deliveryId(), event.type(), event.cameraId(), attempt, why);
                done.complete(Outcome.GAVE_UP);
                return;
            }
            metrics.retried(target.id());
            Duration wait = backoff.delayBefore(attempt + 1);
            LOG.debugf("webhook %s: delivery %s attempt %d failed (%s), again in %s", target.id(), event.deliveryId(),
                    attempt, why, wait);
            try {
                beforeRetry.run();
            } catch (RuntimeException e) {
                LOG.debugf("webhook %s: %s", target.id(), e.getMessage());
            }
            try {
                timer.schedule(() -> attempt(event, attempt + 1, beforeRetry, done), wait.toMillis(), TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                done.complete(Outcome.STOPPED); // shutting down: not acknowledged, so NATS redelivers it later
            }
        });
    }

    private static String describe(Throwable error) {
        Throwable t = error instanceof java.util.concurrent.CompletionException && error.getCause() != null ? error.getCause() : error;
        return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
    }
}
