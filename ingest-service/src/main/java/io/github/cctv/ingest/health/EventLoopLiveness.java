package io.github.cctv.ingest.health;

import io.github.cctv.ingest.config.IngestConfig;
import io.github.cctv.ingest.messaging.NatsOutbox;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.EventExecutor;
import io.vertx.core.Vertx;
import io.vertx.core.impl.VertxInternal;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Liveness;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code /q/health/live}: UP only while every thread ingest cannot work without still works. Each Vert.x event loop
 * (cameras, HTTP) and the acceptor loop gets a probe task and must run it within the liveness timeout; the thread that
 * delivers events to NATS must be alive. A loop that is blocked or dead (an error that killed it, a task that never
 * returns) makes the service DOWN, so that an orchestrator restarts it.
 */
@Liveness
@ApplicationScoped
public class EventLoopLiveness implements HealthCheck {

    private final Vertx vertx;
    private final NatsOutbox outbox;
    private final long timeoutMillis;

    public EventLoopLiveness(Vertx vertx, NatsOutbox outbox, IngestConfig config) {
        this.vertx = vertx;
        this.outbox = outbox;
        this.timeoutMillis = config.livenessTimeout().toMillis();
    }

    @Override
    public HealthCheckResponse call() {
        List<EventExecutor> loops = new ArrayList<>();
        collect(vertx.nettyEventLoopGroup(), loops);
        if (vertx instanceof VertxInternal internal) {
            collect(internal.getAcceptorEventLoopGroup(), loops);
        }
        CountDownLatch answered = new CountDownLatch(loops.size());
        AtomicLong slowest = new AtomicLong();
        long sent = System.nanoTime();
        int refused = 0;
        for (EventExecutor loop : loops) {
            if (loop.inEventLoop()) {
                answered.countDown(); // the loop running this check is answering already
                continue;
            }
            try {
                loop.execute(() -> {
                    slowest.accumulateAndGet(System.nanoTime() - sent, Math::max);
                    answered.countDown();
                });
            } catch (RuntimeException e) {
                refused++; // a loop that is shut down takes no task
            }
        }
        boolean inTime;
        try {
            inTime = answered.await(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            inTime = false;
        }
        long late = answered.getCount();
        boolean worker = outbox.workerAlive();
        HealthCheckResponseBuilder r = HealthCheckResponse.named("event-loops")
                .withData("loops", loops.size())
                .withData("late", late)
                .withData("slowestMs", TimeUnit.NANOSECONDS.toMillis(slowest.get()))
                .withData("natsWorker", worker);
        return r.status(inTime && refused == 0 && worker).build();
    }

    private static void collect(EventLoopGroup group, List<EventExecutor> into) {
        if (group != null) {
            for (EventExecutor e : group) {
                into.add(e);
            }
        }
    }
}
