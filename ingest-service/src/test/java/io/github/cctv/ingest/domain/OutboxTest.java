package io.github.cctv.ingest.domain;

import io.github.cctv.ingest.health.IngestMetrics;
import io.github.cctv.protocol.event.CameraEvent;
import io.github.cctv.protocol.event.CameraStatus;
import io.github.cctv.protocol.event.DisconnectReason;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

class OutboxTest {

    static final Instant T0 = Instant.parse("2026-11-25T12:00:00Z");

    final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    final IngestMetrics metrics = new IngestMetrics(meters);

    static CameraEvent connected(String id) {
        return new CameraEvent.CameraConnected(id, T0, id, "jpeg", 640, 480, 25, "peer");
    }

    static CameraStatus status(String id, long frames) {
        return new CameraStatus(id, id, true, "jpeg", 640, 480, 25, T0, T0, T0, "peer", frames, null);
    }

    /** Delivers everything pending, in the order the outbox hands it out. */
    static List<Object> drain(Outbox outbox) throws InterruptedException {
        List<Object> out = new ArrayList<>();
        Outbox.Item item;
        while ((item = outbox.next(Duration.ZERO)) != null) {
            out.add(item instanceof Outbox.PendingEvent e ? e.event() : ((Outbox.PendingStatus) item).status());
            outbox.done(item);
        }
        return out;
    }

    @Test
    void deliversEventsInOrderBeforeRegistryEntries() throws Exception {
        Outbox outbox = new Outbox(100, metrics);
        outbox.update(status("a", 1));
        outbox.publish(connected("a"));
        outbox.publish(connected("b"));
        assertThat(drain(outbox)).containsExactly(connected("a"), connected("b"), status("a", 1));
        assertThat(outbox.pending()).isZero();
    }

    @Test
    void keepsOnlyTheNewestRegistryEntryPerCameraInTheOrderOfTheNewestUpdates() throws Exception {
        Outbox outbox = new Outbox(100, metrics);
        outbox.update(status("a", 1));
        outbox.update(status("b", 1));
        outbox.update(status("a", 2));
        assertThat(drain(outbox)).containsExactly(status("b", 1), status("a", 2));
    }

    @Test
    void anItemStaysFirstUntilItIsDoneSoThatAFailedDeliveryIsRetried() throws Exception {
        Outbox outbox = new Outbox(100, metrics);
        outbox.publish(connected("a"));
        Outbox.Item first = outbox.next(Duration.ZERO);
        assertThat(outbox.next(Duration.ZERO)).isSameAs(first);
        outbox.done(first);
        assertThat(outbox.next(Duration.ZERO)).isNull();
    }

    @Test
    void aRegistryEntryReplacedWhileInFlightIsStillDelivered() throws Exception {
        Outbox outbox = new Outbox(100, metrics);
        outbox.update(status("a", 1));
        Outbox.Item inFlight = outbox.next(Duration.ZERO);
        outbox.update(status("a", 2));
        outbox.done(inFlight);
        assertThat(drain(outbox)).containsExactly(status("a", 2));
    }

    @Test
    void dropsAndCountsTheOldestBeyondItsCapacity() throws Exception {
        Outbox outbox = new Outbox(2, metrics);
        outbox.publish(connected("a"));
        outbox.publish(connected("b"));
        outbox.publish(connected("c"));
        outbox.update(status("x", 1));
        outbox.update(status("y", 1));
        outbox.update(status("z", 1));
        assertThat(meters.get("cctv.ingest.outbox.dropped").tag("what", "event").counter().count()).isEqualTo(1);
        assertThat(meters.get("cctv.ingest.outbox.dropped").tag("what", "registry").counter().count()).isEqualTo(1);
        assertThat(meters.get("cctv.ingest.outbox.pending").gauge().value()).isEqualTo(4);
        assertThat(drain(outbox)).containsExactly(connected("b"), connected("c"), status("y", 1), status("z", 1));
    }

    @Test
    void aWaitingDelivererWakesForANewItemOrWhenWoken() throws Exception {
        Outbox outbox = new Outbox(10, metrics);
        AtomicReference<Outbox.Item> got = new AtomicReference<>();
        Thread waiter = new Thread(() -> {
            try {
                got.set(outbox.next(Duration.ofSeconds(30)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        waiter.start();
        outbox.publish(new CameraEvent.CameraDisconnected("a", T0, DisconnectReason.GOODBYE, "", 0));
        waiter.join(5_000);
        assertThat(got.get()).isInstanceOf(Outbox.PendingEvent.class);

        Thread woken = new Thread(() -> {
            try {
                outbox.done(got.get());
                got.set(outbox.next(Duration.ofSeconds(30)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        woken.start();
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> woken.getState() == Thread.State.TIMED_WAITING);
        outbox.wake();
        woken.join(5_000);
        assertThat(woken.isAlive()).isFalse();
        assertThat(got.get()).isNull();
    }

    @Test
    void awaitingAnEmptyOutboxStopsWhenItIsNoLongerWorthWaiting() throws Exception {
        Outbox outbox = new Outbox(10, metrics);
        outbox.publish(connected("a"));
        long start = System.nanoTime();
        assertThat(outbox.awaitEmpty(Duration.ofSeconds(30), () -> false)).isEqualTo(1);
        assertThat(System.nanoTime() - start).isLessThan(Duration.ofSeconds(5).toNanos());
        outbox.done(outbox.next(Duration.ZERO));
        assertThat(outbox.awaitEmpty(Duration.ofSeconds(30), () -> true)).isZero();
    }
}
