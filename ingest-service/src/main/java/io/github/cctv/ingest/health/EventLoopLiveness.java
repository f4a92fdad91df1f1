package io.github.cctv.ingest.health;

import io.github.cctv.ingest.config.IngestConfig;
import io.github.cctv.ingest.messaging.NatsOutbox;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.EventExecutor;
import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.core.impl.VertxInternal;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code /q/health/live}: UP only while every thread ingest cannot work without still works. Each Vert.x event loop
 * (cameras, HTTP) and the acceptor loop gets a probe task and must run it within the liveness timeout; the thread that
 * delivers events to NATS must be alive. A loop that is blocked or dead (an error that killed it, a task that never
 * returns) makes the service DOWN, so that an orchestrator restarts it. The check itself never blocks: health is
 * served from an event loop, and the timeout runs on Mutiny's scheduler, not on a loop that may be the wedged one.
 */
@Liveness
@ApplicationScoped
public class EventLoopLiveness implements AsyncHealthCheck {

    private final Vertx vertx;
    private final NatsOutbox outbox;
    private final Duration timeout;

    public EventLoopLiveness(Vertx vertx, NatsOutbox outbox, IngestConfig config) {
        this.vertx = vertx;
        this.outbox = outbox;
        this.timeout = config.livenessTimeout();
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        List<EventExecutor> loops = new ArrayList<>();
        collect(vertx.nettyEventLoopGroup(), loops);
        if (vertx instanceof VertxInternal internal) {
            collect(internal.getAcceptorEventLoopGroup(), loops);
        }
        AtomicInteger late = new AtomicInteger(loops.size());
        CompletableFuture<HealthCheckResponse> answered = new CompletableFuture<>();
        long sent = System.nanoTime();
        for (EventExecutor loop : loops) {
            Runnable probe = () -> {
                if (late.decrementAndGet() == 0) {
                    answered.complete(response(loops.size(), 0, (System.nanoTime() - sent) / 1_000_000));
                }
            };
            if (loop.inEventLoop()) {
                probe.run(); // the loop serving this check is answering already
                continue;
            }
            try {
                loop.execute(probe);
            } catch (RuntimeException e) {
                // a loop that is shut down takes no task: it stays late
            }
        }
        return Uni.createFrom().completionStage(answered)
                .ifNoItem().after(timeout).recoverWithItem(() -> response(loops.size(), late.get(), timeout.toMillis()));
    }

    private HealthCheckResponse response(int loops, int late, long waitedMs) {
        boolean worker = outbox.workerAlive();
        return HealthCheckResponse.named("event-loops")
                .withData("loops", loops)
                .withData("late", late)
                .withData("waitedMs", waitedMs)
                .withData("natsWorker", worker)
                .status(late == 0 && worker)
                .build();
    }

    private static void collect(EventLoopGroup group, List<EventExecutor> into) {
        if (group != null) {
            for (EventExecutor e : group) {
                into.add(e);
            }
        }
    }
}
