package io.github.cctv.recorder.domain.cluster;

import io.github.cctv.protocol.CameraId;
import io.github.cctv.protocol.event.RecordingState;
import io.github.cctv.recorder.domain.recording.Ownership;
import io.github.cctv.recorder.domain.recording.RecordingManager;
import io.github.cctv.recorder.domain.recording.RecordingStateStore;
import org.jboss.logging.Logger;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Shares the cameras between the live recorders. Two rounds, each on its own thread every lease renewal:
 * {@link #renewLeases()} keeps the camera leases alive; {@link #share()} keeps this recorder's member entry alive,
 * hands over the cameras that rendezvous hashing now gives another live recorder (file closed and progress marked
 * first, lease released after), and takes the cameras that are to be recorded (desired state or always-record) and
 * that hashing gives this one, once their lease is free. A lease lost (expired while this recorder could not renew
 * it, taken by another) stops the camera at once. A recorder that dies stops renewing: its leases expire and the
 * survivors take its cameras at their next round.
 * <p>
 * The renewals have a round of their own so that nothing else delays them: while a NATS node's loss leaves a bucket
 * without a leader, each request to it waits for its time-out, and a round that waited for the member entry, the
 * desired states and every lease in turn took longer than a lease lives, so every camera stopped. For the same
 * reason a round of renewals ends at the first renewal the bucket does not answer (all leases live in one bucket:
 * the others would wait as long); the leases keep running on this recorder's clock until the next round.
 */
public final class ClusterCoordinator implements Ownership {

    private static final Logger LOG = Logger.getLogger(ClusterCoordinator.class);

    private final Membership membership;
    private final Leases leases;
    private final RecordingStateStore store;
    private final Set<String> alwaysRecord;
    private final Set<String> leaving = ConcurrentHashMap.newKeySet();
    private final Object renewing = new Object();
    private final ExecutorService handovers = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "recorder-handover");
        t.setDaemon(true);
        return t;
    });
    private RecordingManager manager;
    private volatile Set<String> live = Set.of();

    public ClusterCoordinator(Membership membership, Leases leases, RecordingStateStore store,
                              Set<String> alwaysRecord) {
        this.membership = membership;
        this.leases = leases;
        this.store = store;
        this.alwaysRecord = Set.copyOf(alwaysRecord);
    }

    /** The manager whose cameras this shares (made with this as its {@link Ownership}). */
    public void manage(RecordingManager manager) {
        this.manager = manager;
    }

    /** This recorder's id. */
    public String self() {
        return membership.self();
    }

    /** The live recorders as of the last round. */
    public Set<String> live() {
        return live;
    }

    /** Both rounds, one after the other: renew the leases, then share the cameras. */
    public void tick() {
        renewLeases();
        share();
    }

    /**
     * Renews every lease this recorder holds; a lost one stops its camera. Ends at the first renewal left
     * unanswered: the rest wait for the next round.
     */
    public void renewLeases() {
        synchronized (renewing) {
            for (String cam : leases.held()) {
                Leases.Renewal r = leases.renew(cam);
                // a camera handed over since this round began is released, not lost: nothing to stop
                if (r == Leases.Renewal.LOST && !leaving.contains(cam) && manager.isRecording(cam)) {
                    LOG.warnf("lost the lease of %s: stopping its recording here", cam);
                    leave(cam, false);
                } else if (r == Leases.Renewal.UNKNOWN) {
                    return;
                }
            }
        }
    }

    /** One round of sharing: this recorder's member entry, then hand over, then take. */
    public synchronized void share() {
        String self = membership.self();
        try {
            membership.renew();
        } catch (RuntimeException e) {
            LOG.warnf("cannot renew this recorder's member entry: %s", e.getMessage());
        }
        Set<String> members = new TreeSet<>();
        try {
            members.addAll(membership.live());
        } catch (RuntimeException e) {
            LOG.warnf("cannot read the live recorders, keeping the last view: %s", e.getMessage());
            members.addAll(live);
        }
        members.add(self);
        if (!members.equals(live)) {
            LOG.infof("live recorders: %s (this one: %s)", members, self);
        }
        live = Set.copyOf(members);

        for (String cam : manager.recordingCameras()) {
            String owner = Rendezvous.owner(cam, members);
            if (!self.equals(owner) && !leaving.contains(cam)) {
                LOG.infof("handing %s over to %s", cam, owner);
                leave(cam, true);
            }
        }
        Map<String, RecordingState> wanted;
        try {
            wanted = wanted();
        } catch (RuntimeException e) {
            LOG.warnf("cannot read the desired recording states: %s", e.getMessage());
            return;
        }
        for (Map.Entry<String, RecordingState> e : wanted.entrySet()) {
            String cam = e.getKey();
            if (manager.isRecording(cam) || leaving.contains(cam) || !self.equals(Rendezvous.owner(cam, members))) {
                continue;
            }
            if (leases.acquire(cam)) {
                try {
                    manager.take(cam, e.getValue());
                } catch (RuntimeException ex) {
                    LOG.warnf("cannot take the recording of %s: %s", cam, ex.getMessage());
                    leases.release(cam);
                }
            }
        }
    }

    /**
     * Whether this recorder answers control requests for the camera: its lease holder does (unless it is handing the
     * camera over); when nobody holds it, the recorder rendezvous hashing gives it to (which then takes it on a
     * start), so that exactly one answers once the recorders agree on who is live (within a round of a join).
     */
    public boolean answers(String cameraId) {
        if (leaving.contains(cameraId)) {
            return false; // being handed over: its next owner answers once it has it
        }
        if (manager.isRecording(cameraId)) {
            return true;
        }
        Optional<String> holder;
        try {
            holder = leases.holder(cameraId);
        } catch (RuntimeException e) {
            LOG.debugf("cannot read the lease of %s: %s", cameraId, e.getMessage());
            return false;
        }
        if (holder.isPresent()) {
            return holder.get().equals(membership.self());
        }
        Set<String> members = live.isEmpty() ? Set.of(membership.self()) : live;
        return membership.self().equals(Rendezvous.owner(cameraId, members));
    }

    @Override
    public boolean claim(String cameraId) {
        return leases.acquire(cameraId);
    }

    @Override
    public boolean valid(String cameraId) {
        return leases.valid(cameraId);
    }

    @Override
    public long validUntilNanos(String cameraId, long nowNanos) {
        return leases.validUntilNanos(cameraId, nowNanos);
    }

    @Override
    public void release(String cameraId) {
        leases.release(cameraId);
    }

    /**
     * A clean shutdown: (the caller has stopped the rounds) every recording closes its file, then every lease and the
     * member entry are given up, so that the other recorders take the cameras at their next round.
     */
    public void shutdown() {
        manager.shutdown();
        handovers.shutdown();
        try {
            handovers.awaitTermination(20, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (String cam : leases.held()) {
            try {
                leases.release(cam);
            } catch (RuntimeException e) {
                LOG.debugf("cannot release %s: %s", cam, e.getMessage());
            }
        }
        try {
            membership.leave();
        } catch (RuntimeException e) {
            LOG.debugf("cannot remove this recorder's member entry: %s", e.getMessage());
        }
    }

    /** Stops the camera here, off the round's thread; {@code release}: and then gives its lease up. */
    private void leave(String cam, boolean release) {
        leaving.add(cam);
        handovers.execute(() -> {
            try {
                manager.handOver(cam);
                if (release && !manager.isRecording(cam)) {
                    leases.release(cam);
                }
            } catch (RuntimeException e) {
                LOG.warnf("handing %s over failed: %s", cam, e.getMessage());
            } finally {
                leaving.remove(cam);
            }
        });
    }

    /** Cameras to be recorded by someone: the desired states that say so, and the always-recorded cameras. */
    private Map<String, RecordingState> wanted() {
        Map<String, RecordingState> out = new LinkedHashMap<>();
        for (RecordingState s : store.all()) {
            if (s.recording() && CameraId.isValid(s.cameraId())) {
                out.put(s.cameraId(), s);
            }
        }
        for (String cam : alwaysRecord) {
            out.putIfAbsent(cam, null);
        }
        return out;
    }
}
