package io.github.cctv.ingest.messaging;

import io.github.cctv.ingest.config.IngestConfig;
import io.github.cctv.ingest.config.InstanceId;
import io.github.cctv.ingest.domain.CameraClaims;
import io.github.cctv.ingest.domain.CameraSessions;
import io.github.cctv.ingest.domain.KnownCameras;
import io.github.cctv.ingest.domain.Outbox;
import io.github.cctv.ingest.domain.StaleCameras;
import io.github.cctv.nats.NatsConnection;
import io.github.cctv.protocol.Subjects;
import io.github.cctv.protocol.event.CameraStatus;
import io.github.cctv.protocol.event.Events;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.KeyValue;
import io.nats.client.api.KeyValueEntry;
import io.nats.client.api.KeyValueOperation;
import io.nats.client.api.MessageInfo;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The cluster-wide claims of camera ids in {@code cctv-ingest-claims}, and the watch over the other ingest
 * instances. One thread of its own makes every blocking key-value call, so the event loops never wait on NATS.
 *
 * <p>Every entry of the bucket expires one lease after it was written (the bucket's max age: NATS 2.9 has no per-key
 * TTL). Every third of a lease this instance rewrites its heartbeat ({@code ingest.<instanceId>}) and renews each of
 * its claims by a compare-and-set update; a claim found taken by another instance ends the session here. An instance
 * whose heartbeat is gone is dead: its cameras still "online" in the registry are marked offline ({@code ingest-lost})
 * by the first surviving instance whose compare-and-set on the registry entry succeeds, so each gets one event.
 *
 * <p>A camera may come back to this instance before that, once its claim has run out (its instance died between
 * writing its heartbeat and renewing its claims, or could not reach NATS for a lease): taking a claim over from
 * another instance, dead or not renewing (any claim it did not give up itself), this instance announces the old
 * session's end ({@code ingest-lost}) by the same compare-and-set before the new session's {@code connected}, and
 * refuses the camera for now when it cannot. An instance that finds its claim taken ends its session without a word
 * unless the registry still shows it online there ({@code replaced}, by compare-and-set too). So every session gets
 * exactly one {@code disconnected}, whichever instance sends it.
 */
@ApplicationScoped
public class NatsCameraClaims implements CameraClaims {

    private static final Logger LOG = Logger.getLogger(NatsCameraClaims.class);
    /** JetStream API error: the key's last revision is not the expected one (it exists, or changed). */
    static final int WRONG_LAST_SEQUENCE = 10071;
    /** Key prefix of the instances' heartbeats; a camera id has no '.', so no claim can collide with one. */
    static final String INSTANCE_PREFIX = "ingest.";
    /** JetStream API error: no message for the subject. */
    static final int NO_MESSAGE_FOUND = 10037;
    /** The stream behind the claims bucket, the subject prefix of its keys and the header naming a delete marker. */
    private static final String CLAIMS_STREAM = "KV_" + Subjects.CLAIMS_BUCKET;
    private static final String CLAIMS_SUBJECT_PREFIX = "$KV." + Subjects.CLAIMS_BUCKET + ".";
    private static final String KV_OPERATION = "KV-Operation";

    private final NatsConnection nats;
    private final CameraSessions sessions;
    private final KnownCameras known;
    private final Outbox outbox;
    private final Clock clock;
    private final String instanceId;
    private final byte[] me;
    private final Duration lease;
    private final StreamSetup setup;
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "cctv-ingest-claims");
        t.setDaemon(true);
        return t;
    });

    // confined to the claims thread
    /** Claims held: camera id -> revision of the claim entry (-1: not written yet, NATS was away). */
    private final Map<String, Long> held = new HashMap<>();
    /** The connections' shares of each claim (a camera taking its id over from its own older session holds it twice). */
    private final Map<String, Set<Share>> holders = new HashMap<>();
    /** Cameras refused because the end of their session on another instance could not be announced yet. */
    private final Set<String> unannounced = new HashSet<>();
    /** The instances alive at the last look, or null before the first. */
    private Set<String> liveAtLastLook;
    /**
     * When this instance last failed to reach the claims bucket (NATS away, a heartbeat not written, a look that
     * failed); {@code troubled} is false until the first time. See {@link #calm}.
     */
    private long troubleAtNanos;
    private boolean troubled;
    private boolean bucketReady;
    private KeyValue claimsKv;
    private KeyValue registryKv;

    public NatsCameraClaims(NatsConnection nats, CameraSessions sessions, KnownCameras known,
                            Outbox outbox, Clock clock, InstanceId instanceId, IngestConfig config, StreamSetup setup) {
        this.nats = nats;
        this.setup = setup;
        this.sessions = sessions;
        this.known = known;
        this.outbox = outbox;
        this.clock = clock;
        this.instanceId = instanceId.value();
        this.me = this.instanceId.getBytes(StandardCharsets.UTF_8);
        this.lease = config.lease();
        if (lease.toMillis() < 300) {
            throw new IllegalArgumentException("cctv.ingest.lease must be at least 300ms, got " + lease);
        }
    }

    /** Starts renewing and watching, every third of the lease; call before the NATS connection starts. */
    public void start() {
        nats.addListener(new NatsConnection.Listener() {
            @Override
            public void connectionChanged(boolean up) {
                if (up) {
                    // a connection comes up: look at once (the bucket may be new, the heartbeat expired)
                    execute(NatsCameraClaims.this::renewAndWatch);
                } else {
                    execute(() -> bucketReady = false);
                }
            }
        });
        long every = Math.max(100, lease.toMillis() / 3);
        thread.scheduleWithFixedDelay(() -> {
            try {
                renewAndWatch();
            } catch (RuntimeException e) {
                // a failure must not end the renewals: the next round tries again
                LOG.warnf(e, "claims renewal failed, will retry");
            }
        }, every, every, TimeUnit.MILLISECONDS);
    }

    /** Gives up every claim and the heartbeat, so that this instance's cameras may connect elsewhere at once. */
    public void stop(Duration timeout) {
        try {
            thread.submit(() -> {
                KeyValue kv = kvOrNull();
                if (kv != null) {
                    for (String id : held.keySet()) {
                        deleteQuietly(kv, id);
                    }
                    deleteQuietly(kv, INSTANCE_PREFIX + instanceId);
                }
                held.clear();
                holders.clear();
            }).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            LOG.debugf("claims not given up at shutdown (they expire with the lease): %s", e.toString());
        }
        thread.shutdownNow();
    }

    @Override
    public String instanceId() {
        return instanceId;
    }

    /** Runs {@code task} on the claims thread, where blocking key-value calls are allowed; not at all once stopped. */
    public void execute(Runnable task) {
        try {
            thread.execute(task);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            LOG.debug("claims thread stopped: task dropped");
        }
    }

    @Override
    public CompletionStage<Claim> claim(String cameraId) {
        CompletableFuture<Claim> result = new CompletableFuture<>();
        try {
            thread.execute(() -> {
                try {
                    if (!claimNow(cameraId)) {
                        result.complete(null);
                        return;
                    }
                    Share share = new Share(cameraId);
                    holders.computeIfAbsent(cameraId, k -> new HashSet<>()).add(share);
                    result.complete(share);
                } catch (RuntimeException e) {
                    result.completeExceptionally(e);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // shutting down
            result.complete(null);
        }
        return result;
    }

    /** One connection's share of a claim; released on the claims thread. */
    private final class Share implements Claim {

        private final String cameraId;

        Share(String cameraId) {
            this.cameraId = cameraId;
        }

        @Override
        public String cameraId() {
            return cameraId;
        }

        @Override
        public void release() {
            execute(() -> releaseNow(this));
        }
    }

    private void releaseNow(Share share) {
        String cameraId = share.cameraId();
        Set<Share> shares = holders.get(cameraId);
        if (shares == null || !shares.remove(share) || !shares.isEmpty()) {
            // released before, lost to another instance, or still held by another connection
            return;
        }
        holders.remove(cameraId);
        Long rev = held.remove(cameraId);
        KeyValue kv = kvOrNull();
        if (kv != null && rev != null && rev > 0) {
            try {
                kv.delete(cameraId, rev);
            } catch (JetStreamApiException e) {
                // renewed in between, or taken: either way no longer this instance's to delete
                LOG.debugf("claim of %s not deleted: %s", cameraId, e.getMessage());
            } catch (Exception e) {
                LOG.debugf("claim of %s not deleted (it expires with the lease): %s", cameraId, e.toString());
            }
        }
    }

    /** True when some ingest instance holds a claim of {@code cameraId}. Call on the claims thread only. */
    boolean claimedAnywhere(String cameraId) throws Exception {
        if (held.containsKey(cameraId)) {
            return true;
        }
        KeyValue kv = kv();
        return live(kv.get(cameraId));
    }

    /**
     * Removes the registry entry of {@code cameraId} at an operator's request, for the whole cluster: a camera claimed
     * by any instance (online, or being let in) keeps it; an offline entry is removed by compare-and-set, whichever
     * instance wrote it. Call on the claims thread only.
     */
    KnownCameras.Forgotten forget(String cameraId) throws Exception {
        if (sessions.isOnline(cameraId) || claimedAnywhere(cameraId)) {
            return KnownCameras.Forgotten.ONLINE;
        }
        KeyValue registry = registry();
        KeyValueEntry entry = registry.get(cameraId);
        if (!live(entry)) {
            known.forgotten(cameraId, false);
            return KnownCameras.Forgotten.UNKNOWN;
        }
        try {
            if (Events.read(entry.getValue(), CameraStatus.class).online()) {
                return KnownCameras.Forgotten.ONLINE;
            }
        } catch (IllegalArgumentException e) {
            // not a camera status: removing it is what the operator asks
        }
        try {
            registry.delete(cameraId, entry.getRevision());
        } catch (JetStreamApiException e) {
            if (e.getApiErrorCode() == WRONG_LAST_SEQUENCE) {
                // written in between: the camera is back
                return KnownCameras.Forgotten.ONLINE;
            }
            throw e;
        }
        known.forgotten(cameraId, true);
        LOG.infof("camera %s removed from the registry on request", cameraId);
        return KnownCameras.Forgotten.REMOVED;
    }

    private boolean claimNow(String cameraId) {
        if (held.containsKey(cameraId)) {
            return true;
        }
        KeyValue kv = kvOrNull();
        if (kv == null) {
            // NATS is away: nothing is published anyway; the claim is written (or found taken) when it is back
            held.put(cameraId, -1L);
            return true;
        }
        long rev;
        boolean takeOver;
        try {
            KeyValueEntry entry = kv.get(cameraId);
            if (live(entry)) {
                String holder = entry.getValueAsString();
                boolean mine = instanceId.equals(holder);
                if (!mine && live(kv.get(INSTANCE_PREFIX + holder))) {
                    return false;
                }
                // a previous run of this instance (same configured id: the start-up sweep's), or a dead instance
                // (its heartbeat, written before its claims, is gone): the id is free to take
                rev = kv.update(cameraId, me, entry.getRevision());
                takeOver = !mine;
            } else {
                // never claimed, given up by its holder (which announces its session's end itself), or run out
                // unrenewed: its holder may be dead even though its heartbeat is not gone yet
                takeOver = !releasedByHolder(cameraId);
                rev = kv.create(cameraId, me);
            }
        } catch (JetStreamApiException e) {
            if (e.getApiErrorCode() == WRONG_LAST_SEQUENCE) {
                // another instance claimed it in between: refused, the camera tries again
                LOG.debugf("claim of %s refused, claimed in between: %s", cameraId, e.getMessage());
                return false;
            }
            return acceptUnwritten(cameraId, e);
        } catch (Exception e) {
            return acceptUnwritten(cameraId, e);
        }
        held.put(cameraId, rev);
        if (takeOver || unannounced.contains(cameraId)) {
            try {
                announceTakeOver(cameraId);
                unannounced.remove(cameraId);
            } catch (Exception e) {
                // the old session's end must go out before the new one's start: refused until it can be announced
                LOG.warnf("camera %s refused for now: the end of its session on another ingest instance could not be "
                        + "announced: %s", cameraId, e.toString());
                unannounced.add(cameraId);
                held.remove(cameraId);
                return false;
            }
        }
        return true;
    }

    /**
     * Whether the claim of {@code cameraId} was given up by its holder (its last entry is a delete marker), rather
     * than never written or run out unrenewed. Call on the claims thread only.
     */
    private boolean releasedByHolder(String cameraId) throws Exception {
        try {
            MessageInfo last = nats.connection().jetStreamManagement()
                    .getLastMessage(CLAIMS_STREAM, CLAIMS_SUBJECT_PREFIX + cameraId);
            String op = last.getHeaders() == null ? null : last.getHeaders().getFirst(KV_OPERATION);
            return "DEL".equals(op) || "PURGE".equals(op);
        } catch (JetStreamApiException e) {
            if (e.getApiErrorCode() == NO_MESSAGE_FOUND) {
                return false;
            }
            throw e;
        }
    }

    /**
     * This instance took the claim of {@code cameraId} over from another instance, dead or not renewing: the session
     * the registry shows online there is over, and this instance announces its end ({@code ingest-lost}) before the
     * new session's start. A compare-and-set, like the sweep's: each session is announced once, by whichever
     * instance marks its entry offline. Call on the claims thread only.
     *
     * @throws Exception when the registry could not be read or written: the camera is to be refused for now
     */
    private void announceTakeOver(String cameraId) throws Exception {
        for (int attempt = 0; attempt < 3; attempt++) {
            try {
                markLost(cameraId, owner -> true);
                return;
            } catch (JetStreamApiException e) {
                if (e.getApiErrorCode() != WRONG_LAST_SEQUENCE) {
                    throw e;
                }
                // changed since it was read: read it again
            }
        }
        throw new IllegalStateException("registry entry " + cameraId + " kept changing");
    }

    private boolean acceptUnwritten(String cameraId, Exception e) {
        LOG.warnf("claim of camera %s not written, will retry: %s", cameraId, e.toString());
        held.put(cameraId, -1L);
        return true;
    }

    private void renewAndWatch() {
        KeyValue kv = kvOrNull();
        if (kv == null) {
            return;
        }
        try {
            kv.put(INSTANCE_PREFIX + instanceId, me);
        } catch (Exception e) {
            LOG.warnf("heartbeat of ingest instance %s not written: %s", instanceId, e.toString());
            trouble();
            bucketReady = false;
            return;
        }
        for (Map.Entry<String, Long> claim : List.copyOf(held.entrySet())) {
            renew(kv, claim.getKey(), claim.getValue());
        }
        try {
            watchInstances(kv);
        } catch (Exception e) {
            LOG.warnf("look at the other ingest instances failed, will retry: %s", e.toString());
            trouble();
        }
    }

    private void renew(KeyValue kv, String cameraId, long rev) {
        try {
            if (rev > 0) {
                held.put(cameraId, kv.update(cameraId, me, rev));
            } else {
                // let in while NATS was away: written now, and a take-over announced as late as that
                boolean takeOver = !releasedByHolder(cameraId);
                held.put(cameraId, kv.create(cameraId, me));
                if (takeOver) {
                    announceTakeOver(cameraId);
                }
            }
            return;
        } catch (JetStreamApiException e) {
            if (e.getApiErrorCode() != WRONG_LAST_SEQUENCE) {
                LOG.debugf("claim of %s not renewed, will retry: %s", cameraId, e.toString());
                return;
            }
        } catch (Exception e) {
            LOG.debugf("claim of %s not renewed, will retry: %s", cameraId, e.toString());
            return;
        }
        // not as this instance left it: expired while NATS was away (take it again), or another instance holds it
        try {
            KeyValueEntry entry = kv.get(cameraId);
            if (!live(entry)) {
                held.put(cameraId, kv.create(cameraId, me));
            } else if (instanceId.equals(entry.getValueAsString())) {
                held.put(cameraId, kv.update(cameraId, me, entry.getRevision()));
            } else {
                String holder = entry.getValueAsString();
                LOG.warnf("camera %s: its claim ran out and ingest instance %s holds the id now: session ends here",
                        cameraId, holder);
                held.remove(cameraId);
                holders.remove(cameraId);
                sessions.claimLost(cameraId, holder, false);
                announceClaimLost(cameraId, holder);
            }
        } catch (Exception e) {
            LOG.debugf("claim of %s not renewed, will retry: %s", cameraId, e.toString());
        }
    }

    /** Looks at the registry for dead instances' cameras at the first look and whenever an instance has gone since the last. */
    private void watchInstances(KeyValue kv) throws Exception {
        Set<String> live = new HashSet<>();
        for (String key : kv.keys(INSTANCE_PREFIX + ">")) {
            live.add(key.substring(INSTANCE_PREFIX.length()));
        }
        boolean someoneWent = liveAtLastLook == null || !live.containsAll(liveAtLastLook);
        if (someoneWent) {
            if (liveAtLastLook != null && !calm()) {
                // a heartbeat missing while the bucket does not answer this instance either (a NATS node's loss, its
                // streams changing leaders) says nothing of its instance: looked at again, from the same last look,
                // once this instance has reached the bucket for a whole lease (the first look, at the start, is not
                // held back: it is about instances gone before this one started)
                return;
            }
            sweepLost();
        }
        // only once the sweep went through: a failed one is done again at the next look
        liveAtLastLook = live;
    }

    /** Marks offline every registry entry online on an instance whose heartbeat is gone. */
    private void sweepLost() throws Exception {
        KeyValue registry = registry();
        int marked = 0;
        for (String key : registry.keys()) {
            if (correctIfLost(key)) {
                marked++;
            }
        }
        if (marked > 0) {
            LOG.infof("marked %d cameras offline whose ingest instance is gone", marked);
        }
    }

    /**
     * Marks camera {@code cameraId} offline ({@code ingest-lost}) when the registry holds it online on another instance
     * whose heartbeat is gone; true when this instance did (a compare-and-set: of several instances, one succeeds).
     */
    private boolean correctIfLost(String cameraId) throws Exception {
        try {
            // the heartbeat is read after the entry: an instance writes its heartbeat before any entry of its own
            return markLost(cameraId, owner -> !live(kv().get(INSTANCE_PREFIX + owner)));
        } catch (JetStreamApiException e) {
            if (e.getApiErrorCode() != WRONG_LAST_SEQUENCE) {
                throw e;
            }
            // changed since it was read: another instance corrected it, or the camera is back
            return false;
        }
    }

    /** Whether an instance is gone, as far as the caller knows; may read the claims bucket. */
    @FunctionalInterface
    private interface Gone {
        boolean test(String instance) throws Exception;
    }

    /**
     * Marks camera {@code cameraId} offline ({@code ingest-lost}) and publishes its {@code disconnected}, once, when
     * the registry holds it online on another instance that {@code gone} says is gone (entries of this instance and
     * of no instance are the start-up sweep's). True when this instance did.
     *
     * @throws JetStreamApiException {@link #WRONG_LAST_SEQUENCE} when the entry changed since it was read
     */
    private boolean markLost(String cameraId, Gone gone) throws Exception {
        KeyValue registry = registry();
        KeyValueEntry entry = registry.get(cameraId);
        if (!live(entry)) {
            return false;
        }
        CameraStatus left;
        try {
            left = Events.read(entry.getValue(), CameraStatus.class);
        } catch (IllegalArgumentException e) {
            LOG.debugf("registry entry %s is not a camera status, left alone: %s", cameraId, e.getMessage());
            return false;
        }
        if (!left.online() || left.ingest() == null || left.ingest().equals(instanceId) || !gone.test(left.ingest())) {
            return false;
        }
        Optional<StaleCameras.Correction> c = StaleCameras.lost(cameraId, left, clock.instant());
        if (c.isEmpty()) {
            return false;
        }
        registry.update(cameraId, Events.write(c.get().offline()), entry.getRevision());
        outbox.publish(c.get().event());
        known.found(cameraId, false, c.get().offline().lastSeen());
        LOG.infof("camera %s marked offline: its session on ingest instance %s is over", cameraId, left.ingest());
        return true;
    }

    /**
     * The claim of {@code cameraId} was found taken by {@code holder} (this instance could not renew it in time): the
     * session here ended without a word; its end is announced here ({@code replaced}) only if the registry still shows
     * it online here, by compare-and-set, since the taker announces it ({@code ingest-lost}) when it saw it so.
     */
    private void announceClaimLost(String cameraId, String holder) {
        try {
            KeyValue registry = registry();
            KeyValueEntry entry = registry.get(cameraId);
            if (!live(entry)) {
                return;
            }
            CameraStatus left = Events.read(entry.getValue(), CameraStatus.class);
            if (!instanceId.equals(left.ingest())) {
                return;
            }
            Optional<StaleCameras.Correction> c = StaleCameras.claimLost(cameraId, left, holder, clock.instant());
            if (c.isPresent()) {
                registry.update(cameraId, Events.write(c.get().offline()), entry.getRevision());
                outbox.publish(c.get().event());
                known.found(cameraId, false, c.get().offline().lastSeen());
            }
        } catch (Exception e) {
            // changed since it was read (the taker marked it), or NATS away: the taker's announcement stands
            LOG.debugf("end of the session of %s not announced here: %s", cameraId, e.toString());
        }
    }

    private static boolean live(KeyValueEntry entry) {
        return entry != null && entry.getOperation() == KeyValueOperation.PUT && entry.getValue() != null;
    }

    private KeyValue kvOrNull() {
        if (!nats.isConnected()) {
            trouble();
            return null;
        }
        try {
            return kv();
        } catch (Exception e) {
            LOG.warnf("claims bucket not ready, will retry: %s", e.toString());
            trouble();
            return null;
        }
    }

    private void trouble() {
        troubled = true;
        troubleAtNanos = System.nanoTime();
    }

    /**
     * Whether this instance has reached the claims bucket without a failure for at least a lease: only then does an
     * instance's missing heartbeat say that instance is gone, rather than that the bucket was away for everyone (an
     * instance that could not write its heartbeat meanwhile is alive and writes it again once the bucket answers).
     * A dead instance's cameras are then marked offline up to a lease later than they would be otherwise.
     */
    private boolean calm() {
        return !troubled || System.nanoTime() - troubleAtNanos >= lease.toNanos();
    }

    /** The claims bucket on the current connection; set up (and this instance's heartbeat written) once per connection. */
    private KeyValue kv() throws Exception {
        if (!bucketReady || claimsKv == null) {
            Connection conn = nats.connection();
            setup.ensureClaimsBucket(conn);
            KeyValue kv = conn.keyValue(Subjects.CLAIMS_BUCKET);
            // the heartbeat goes before any claim or registry entry of this instance on this connection
            kv.put(INSTANCE_PREFIX + instanceId, me);
            claimsKv = kv;
            registryKv = conn.keyValue(Subjects.CAMERAS_BUCKET);
            bucketReady = true;
        }
        return claimsKv;
    }

    private KeyValue registry() throws Exception {
        kv();
        return registryKv;
    }

    private static void deleteQuietly(KeyValue kv, String key) {
        try {
            kv.delete(key);
        } catch (Exception e) {
            LOG.debugf("%s not deleted: %s", key, e.toString());
        }
    }
}
