package io.github.cctv.recorder.messaging;

import io.github.cctv.nats.Topology;
import io.github.cctv.protocol.event.Events;
import io.github.cctv.recorder.domain.cluster.Leases;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.KeyValue;
import io.nats.client.api.KeyValueEntry;
import io.nats.client.api.KeyValueOperation;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Camera leases in {@code cctv-recorder-leases} (key = camera id, value {@code {"owner":…,"since":…}}): taken with
 * create-if-absent, renewed with an update on the revision this recorder wrote last, expired by the bucket's max age
 * (the lease). A renewal that finds another revision has lost the lease; one that cannot reach NATS keeps it until
 * the lease, counted from before the last renewal that worked, has run out. {@link #valid} fences the writing: by
 * this process's monotonic clock, a lease is valid until the lease less a margin after the take or renewal that
 * worked last was sent, so that a process paused longer than that writes nothing more once it wakes.
 */
public final class KvLeases implements Leases {

    private static final Logger LOG = Logger.getLogger(KvLeases.class);
    /** JetStream API error: the subject's last sequence is not the expected one (the key changed). */
    static final int WRONG_LAST_SEQUENCE = 10071;

    /** A lease entry's value. */
    public record Lease(String owner, Instant since) {
    }

    /**
     * A lease this recorder holds: {@code validUntilNanos} is {@link System#nanoTime()} taken before the write that
     * took or renewed it, plus the lease less {@link #margin}: a pause of this process cannot stretch it.
     */
    private record Held(long revision, Instant renewedFrom, long validUntilNanos) {
    }

    private final KeyValue kv;
    private final String self;
    private final Duration lease;
    private final Clock clock;
    private final Duration margin;
    private final Map<String, Held> held = new ConcurrentHashMap<>();
    /**
     * One lock per camera (one per camera this recorder has taken or tried to: the cameras to record): a take, renewal or release of a camera waits for
     * another of the same camera only, never behind one of another camera that waits for an unanswered bucket.
     */
    private final Map<String, Object> locks = new ConcurrentHashMap<>();

    /** The bucket must exist ({@link Topology#ensureRecorderClusterBuckets}). */
    public KvLeases(Connection nc, String self, Duration lease, Clock clock) throws IOException {
        this.kv = nc.keyValue(Topology.RECORDER_LEASES_BUCKET);
        this.self = self;
        this.lease = lease;
        this.clock = clock;
        this.margin = margin(lease);
    }

    /** What is kept back from the lease for clock drift and the time a write takes: a sixth, at most 1 s. */
    static Duration margin(Duration lease) {
        Duration m = lease.dividedBy(6);
        return m.compareTo(Duration.ofSeconds(1)) > 0 ? Duration.ofSeconds(1) : m;
    }

    private long validUntil(long beforeNanos) {
        return beforeNanos + lease.minus(margin).toNanos();
    }

    @Override
    public boolean acquire(String cameraId) {
        synchronized (lock(cameraId)) {
            return take(cameraId);
        }
    }

    private boolean take(String cameraId) {
        if (held.containsKey(cameraId)) {
            return true;
        }
        Instant before = clock.instant();
        long beforeNanos = System.nanoTime();
        try {
            long revision = kv.create(cameraId, Events.write(new Lease(self, before)));
            held.put(cameraId, new Held(revision, before, validUntil(beforeNanos)));
            LOG.infof("took the lease of %s", cameraId);
            return true;
        } catch (JetStreamApiException e) {
            if (e.getApiErrorCode() != WRONG_LAST_SEQUENCE) {
                LOG.warnf("cannot take the lease of %s: %s", cameraId, e.getMessage());
            }
            return false;
        } catch (IOException e) {
            LOG.warnf("cannot take the lease of %s: %s", cameraId, e.getMessage());
            return false;
        }
    }

    @Override
    public Renewal renew(String cameraId) {
        synchronized (lock(cameraId)) {
            return update(cameraId);
        }
    }

    private Renewal update(String cameraId) {
        Held h = held.get(cameraId);
        if (h == null) {
            return Renewal.LOST;
        }
        Instant before = clock.instant();
        long beforeNanos = System.nanoTime();
        try {
            long revision = kv.update(cameraId, Events.write(new Lease(self, before)), h.revision());
            held.put(cameraId, new Held(revision, before, validUntil(beforeNanos)));
            return Renewal.HELD;
        } catch (JetStreamApiException e) {
            if (e.getApiErrorCode() == WRONG_LAST_SEQUENCE) {
                held.remove(cameraId);
                return Renewal.LOST;
            }
            return unanswered(cameraId, h, e);
        } catch (IOException e) {
            return unanswered(cameraId, h, e);
        }
    }

    private Renewal unanswered(String cameraId, Held h, Exception e) {
        if (Duration.between(h.renewedFrom(), clock.instant()).compareTo(lease) >= 0) {
            held.remove(cameraId);
            LOG.warnf("the lease of %s ran out while it could not be renewed: %s", cameraId, e.getMessage());
            return Renewal.LOST;
        }
        LOG.debugf("cannot renew the lease of %s yet: %s", cameraId, e.getMessage());
        return Renewal.UNKNOWN;
    }

    private Object lock(String cameraId) {
        return locks.computeIfAbsent(cameraId, k -> new Object());
    }

    @Override
    public boolean valid(String cameraId) {
        long now = System.nanoTime();
        return validUntilNanos(cameraId, now) - now > 0;
    }

    @Override
    public long validUntilNanos(String cameraId, long nowNanos) {
        Held h = held.get(cameraId);
        return h == null ? nowNanos : h.validUntilNanos();
    }

    @Override
    public void release(String cameraId) {
        synchronized (lock(cameraId)) {
            delete(cameraId);
        }
    }

    private void delete(String cameraId) {
        Held h = held.remove(cameraId);
        if (h == null) {
            return;
        }
        try {
            kv.delete(cameraId, h.revision());
            LOG.infof("released the lease of %s", cameraId);
        } catch (JetStreamApiException e) {
            LOG.debugf("lease of %s not released (no longer ours): %s", cameraId, e.getMessage());
        } catch (IOException e) {
            LOG.warnf("cannot release the lease of %s (it runs out by itself): %s", cameraId, e.getMessage());
        }
    }

    @Override
    public Set<String> held() {
        return Set.copyOf(held.keySet());
    }

    @Override
    public Optional<String> holder(String cameraId) {
        try {
            KeyValueEntry e = kv.get(cameraId);
            if (e == null || e.getOperation() != KeyValueOperation.PUT || e.getValue() == null) {
                return Optional.empty();
            }
            return Optional.ofNullable(Events.read(e.getValue(), Lease.class).owner());
        } catch (IOException | JetStreamApiException e) {
            throw new IllegalStateException("cannot read the lease of " + cameraId + ": " + e, e);
        }
    }
}
