package io.github.cctv.ingest.domain;

import io.github.cctv.ingest.health.IngestMetrics;
import io.github.cctv.protocol.event.CameraEvent;
import io.github.cctv.protocol.event.CameraStatus;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * What ingest writes to NATS besides frames, held until it is delivered: events in order, and registry entries of
 * which only the newest per camera counts. Bounded: past {@code capacity} the oldest event (or the longest-waiting
 * camera's entry) is dropped and counted. Writers never wait; one deliverer takes {@link #next} and confirms
 * {@link #done} once NATS has it, so an item that fails to go out stays first in line.
 */
public final class Outbox implements CameraEvents, CameraRegistry {

    private static final Logger LOG = Logger.getLogger(Outbox.class);

    /** One thing to deliver. */
    public sealed interface Item {
    }

    /** An event, with the message id that lets JetStream drop a retried copy. */
    public record PendingEvent(CameraEvent event, String messageId) implements Item {
    }

    /** The newest registry entry of one camera. */
    public record PendingStatus(CameraStatus status) implements Item {
    }

    private final int capacity;
    private final IngestMetrics metrics;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<PendingEvent> events = new ArrayDeque<>();
    private final LinkedHashMap<String, CameraStatus> statuses = new LinkedHashMap<>();
    private long wakeups;

    public Outbox(int capacity, IngestMetrics metrics) {
        if (capacity < 1) {
            throw new IllegalArgumentException("cctv.ingest.outbox-capacity must be at least 1, got " + capacity);
        }
        this.capacity = capacity;
        this.metrics = metrics;
    }

    @Override
    public void publish(CameraEvent event) {
        lock.lock();
        try {
            if (events.size() >= capacity) {
                PendingEvent lost = events.pollFirst();
                metrics.outboxDropped("event");
                LOG.warnf("outbox full: dropped %s event of %s", lost.event().type(), lost.event().cameraId());
            }
            events.addLast(new PendingEvent(event, UUID.randomUUID().toString()));
            changedLocked();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void update(CameraStatus status) {
        lock.lock();
        try {
            // re-insert so that the queue keeps the order of the newest updates
            statuses.remove(status.cameraId());
            if (statuses.size() >= capacity) {
                Iterator<String> oldest = statuses.keySet().iterator();
                String lost = oldest.next();
                oldest.remove();
                metrics.outboxDropped("registry");
                LOG.warnf("outbox full: dropped registry update of %s", lost);
            }
            statuses.put(status.cameraId(), status);
            changedLocked();
        } finally {
            lock.unlock();
        }
    }

    /** Events and registry entries not yet delivered. */
    public int pending() {
        lock.lock();
        try {
            return events.size() + statuses.size();
        } finally {
            lock.unlock();
        }
    }

    /**
     * The next item to deliver, left in place until {@link #done}: the oldest event first, then the
     * longest-waiting registry entry. Waits up to {@code wait}; null when nothing came or {@link #wake} was called.
     */
    public Item next(Duration wait) throws InterruptedException {
        long left = wait.toNanos();
        lock.lock();
        try {
            long wakeupsAtStart = wakeups;
            while (events.isEmpty() && statuses.isEmpty()) {
                if (left <= 0 || wakeups != wakeupsAtStart) {
                    return null;
                }
                left = changed.awaitNanos(left);
            }
            if (!events.isEmpty()) {
                return events.peekFirst();
            }
            return new PendingStatus(statuses.values().iterator().next());
        } finally {
            lock.unlock();
        }
    }

    /** The item reached NATS: it leaves the outbox (unless a newer registry entry of its camera replaced it). */
    public void done(Item item) {
        lock.lock();
        try {
            if (item instanceof PendingEvent e && events.peekFirst() == e) {
                events.pollFirst();
            } else if (item instanceof PendingStatus s) {
                statuses.remove(s.status().cameraId(), s.status());
            }
            changedLocked();
        } finally {
            lock.unlock();
        }
    }

    /** Ends a waiting {@link #next} or {@link #awaitEmpty} early, so that the deliverer looks at its state again. */
    public void wake() {
        lock.lock();
        try {
            wakeups++;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits up to {@code timeout} for everything to be delivered, while {@code worthWaiting} holds (checked again on
     * every change and {@link #wake}). Returns the number of items still pending.
     */
    public int awaitEmpty(Duration timeout, BooleanSupplier worthWaiting) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        lock.lock();
        try {
            while (!events.isEmpty() || !statuses.isEmpty()) {
                long left = deadline - System.nanoTime();
                if (left <= 0 || !worthWaiting.getAsBoolean()) {
                    break;
                }
                changed.await(Math.min(left, TimeUnit.MILLISECONDS.toNanos(100)), TimeUnit.NANOSECONDS);
            }
            return events.size() + statuses.size();
        } finally {
            lock.unlock();
        }
    }

    private void changedLocked() {
        metrics.outboxSize(events.size() + statuses.size());
        changed.signalAll();
    }
}
