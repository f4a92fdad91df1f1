package io.github.cctv.dashboard.messaging;

import io.github.cctv.dashboard.domain.alerts.WebhookDelivery;
import io.github.cctv.dashboard.domain.alerts.WebhookEvent;
import io.github.cctv.protocol.Subjects;
import io.nats.client.ConsumerContext;
import io.nats.client.Connection;
import io.nats.client.FetchConsumeOptions;
import io.nats.client.FetchConsumer;
import io.nats.client.Message;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.DeliverPolicy;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Feeds one webhook target from the events stream through its own durable pull consumer
 * ({@code cctv-webhook-<target id>}, explicit acks): an event is acknowledged only once it is delivered or given up,
 * so events survive a restart of the dashboard, and every dashboard with the same target shares the consumer, so
 * each event goes out once. The consumer starts at the events that come after its creation (no flood of history).
 *
 * <p>At most {@code maxInFlight} events are on their way at once (the server's {@code max_ack_pending}, and a
 * semaphore here): a slow or dead receiver holds back its own consumer only. One thread per target pulls; the
 * deliveries themselves never block it.
 */
public final class NatsWebhookConsumer implements AutoCloseable {

    /** Prefix of the durable consumers' names. */
    public static final String DURABLE_PREFIX = "cctv-webhook-";

    private static final Logger LOG = Logger.getLogger(NatsWebhookConsumer.class);
    private static final int MAX_BATCH = 64;
    private static final Duration FETCH_WAIT = Duration.ofSeconds(1);

    private final Connection connection;
    private final WebhookDelivery delivery;
    private final int maxInFlight;
    private final Duration ackWait;
    private final Duration retry;
    private final Semaphore inFlight;
    private final Set<Message> pending = ConcurrentHashMap.newKeySet();
    private final Thread puller;
    private volatile boolean running = true;
    private volatile boolean ready;

    /**
     * @param ackWait how long NATS waits for an acknowledgement (or an "in progress") before it gives the event to
     *                another puller: longer than one attempt plus the longest backoff
     */
    public NatsWebhookConsumer(Connection connection, WebhookDelivery delivery, int maxInFlight, Duration ackWait,
                               Duration retry) {
        if (maxInFlight < 1) {
            throw new IllegalArgumentException("webhook max-in-flight must be at least 1, not " + maxInFlight);
        }
        this.connection = connection;
        this.delivery = delivery;
        this.maxInFlight = maxInFlight;
        this.ackWait = ackWait;
        this.retry = retry;
        this.inFlight = new Semaphore(maxInFlight);
        this.puller = new Thread(this::run, "cctv-webhook-" + delivery.target().id());
        this.puller.setDaemon(true);
    }

    /** The durable consumer's name for this target. */
    public String durableName() {
        return DURABLE_PREFIX + delivery.target().id();
    }

    /** True once the durable consumer exists and is being pulled from. */
    public boolean ready() {
        return ready;
    }

    public NatsWebhookConsumer start() {
        puller.start();
        return this;
    }

    private ConsumerConfiguration configuration() {
        return ConsumerConfiguration.builder()
                .durable(durableName())
                .filterSubject(Subjects.EVENTS_ALL)
                .deliverPolicy(DeliverPolicy.New)
                .ackPolicy(AckPolicy.Explicit)
                .ackWait(ackWait)
                .maxAckPending(maxInFlight)
                .maxDeliver(-1)
                .description("webhook " + delivery.target().display())
                .build();
    }

    private void run() {
        ConsumerContext consumer = null;
        while (running) {
            try {
                if (consumer == null) {
                    consumer = connection.getStreamContext(Subjects.EVENTS_STREAM).createOrUpdateConsumer(configuration());
                    ready = true;
                    LOG.infof("webhook %s (%s): delivering camera events through durable consumer %s",
                            delivery.target().id(), delivery.target().display(), durableName());
                }
                pullOnce(consumer);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                if (!running) {
                    return;
                }
                ready = false;
                consumer = null;
                LOG.debugf("webhook %s: events stream not available (%s), retrying in %s", delivery.target().id(),
                        e.getMessage(), retry);
                try {
                    Thread.sleep(retry.toMillis());
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private void pullOnce(ConsumerContext consumer) throws Exception {
        if (!inFlight.tryAcquire(FETCH_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
            return; // every slot busy: the receiver is slow; only this target waits
        }
        int permits = 1 + inFlight.drainPermits();
        int want = Math.min(permits, MAX_BATCH);
        inFlight.release(permits - want);
        int used = 0;
        try {
            // read each fetch to its end (at most `want` messages): one left half-read would raise heartbeat alarms
            try (FetchConsumer batch = consumer.fetch(FetchConsumeOptions.builder().maxMessages(want)
                    .expiresIn(FETCH_WAIT.toMillis()).build())) {
                Message m;
                while ((m = batch.nextMessage()) != null) {
                    if (used == want) {
                        m.nak(); // not expected with maxMessages = want; given back rather than held without a slot
                        continue;
                    }
                    used++;
                    handle(m);
                }
            }
        } finally {
            inFlight.release(want - used);
        }
    }

    /** Takes one permit's worth: released when the message is acknowledged. */
    private void handle(Message m) {
        String cameraId = Subjects.cameraIdOf(m.getSubject());
        String type = m.getSubject().substring(m.getSubject().lastIndexOf('.') + 1);
        if (cameraId == null || !delivery.target().accepts(type)) {
            m.ack(); // not one of ours, or filtered out for this target
            inFlight.release();
            return;
        }
        WebhookEvent event = WebhookEvent.of(Subjects.EVENTS_STREAM + "-" + m.metaData().streamSequence(), cameraId,
                type, m.getData());
        pending.add(m);
        delivery.deliver(event, m::inProgress).whenComplete((outcome, error) -> {
            try {
                if (outcome != WebhookDelivery.Outcome.STOPPED && running) {
                    m.ack();
                } else {
                    m.nak(); // stopping: someone else (or this dashboard after its restart) delivers it
                }
            } catch (RuntimeException e) {
                LOG.debugf("webhook %s: acknowledgement not sent (%s); NATS redelivers after %s", delivery.target().id(),
                        e.getMessage(), ackWait);
            } finally {
                pending.remove(m);
                inFlight.release();
            }
        });
    }

    /** Stops pulling; events still on their way are given back to NATS, to be delivered by whoever pulls next. */
    @Override
    public void close() {
        running = false;
        puller.interrupt();
        try {
            puller.join(FETCH_WAIT.toMillis() * 3);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Message m : pending) {
            try {
                m.nak();
            } catch (RuntimeException ignored) {
                // NATS away: it redelivers after ackWait anyway
            }
        }
        pending.clear();
        ready = false;
    }
}
