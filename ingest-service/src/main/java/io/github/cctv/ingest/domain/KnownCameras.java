package io.github.cctv.ingest.domain;

import io.github.cctv.ingest.health.IngestMetrics;
import io.github.cctv.protocol.event.CameraStatus;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The cameras the registry holds, as ingest last wrote them, and the registry's bounds: at most {@code maxCameras}
 * entries (a new camera takes the place of the one offline longest; when every entry is online, none is admitted),
 * and an entry offline longer than {@code offlineExpiry} is removed. Every write to the registry passes through
 * here, so the bounds hold whatever cameras connect. Thread-safe.
 */
public final class KnownCameras implements CameraRegistry {

    private static final Logger LOG = Logger.getLogger(KnownCameras.class);

    private record Known(boolean online, Instant lastSeen) {
    }

    private final CameraRegistry store;
    private final int maxCameras;
    private final Duration offlineExpiry;
    private final Clock clock;
    private final IngestMetrics metrics;
    private final Map<String, Known> known = new HashMap<>();

    public KnownCameras(CameraRegistry store, int maxCameras, Duration offlineExpiry, Clock clock, IngestMetrics metrics) {
        if (maxCameras < 1) {
            throw new IllegalArgumentException("cctv.ingest.registry.max-cameras must be at least 1, got " + maxCameras);
        }
        if (offlineExpiry.isNegative() || offlineExpiry.isZero()) {
            throw new IllegalArgumentException("cctv.ingest.registry.offline-expiry must be positive, got " + offlineExpiry);
        }
        this.store = store;
        this.maxCameras = maxCameras;
        this.offlineExpiry = offlineExpiry;
        this.clock = clock;
        this.metrics = metrics;
    }

    /**
     * True when {@code cameraId} may have an entry: it has one, or there is room, or room was made by removing the
     * camera offline longest. False when the registry is full of online cameras.
     */
    public synchronized boolean admit(String cameraId) {
        if (known.containsKey(cameraId)) {
            return true;
        }
        if (known.size() >= maxCameras && !evictOldestOffline()) {
            return false;
        }
        // held until the session's first write, so that concurrent admissions cannot pass the bound
        known.put(cameraId, new Known(true, clock.instant()));
        return true;
    }

    @Override
    public synchronized void update(CameraStatus status) {
        Known before = known.put(status.cameraId(), new Known(status.online(), status.lastSeen()));
        if (before == null && known.size() > maxCameras && !evictOldestOffline()) {
            // an entry never admitted (written by the start-up sweep): the bound wins over it
            known.remove(status.cameraId());
            metrics.registryRemoved("full");
            return;
        }
        store.update(status);
    }

    @Override
    public synchronized void remove(String cameraId) {
        if (known.remove(cameraId) != null) {
            store.remove(cameraId);
        }
    }

    /**
     * An entry found in the bucket at start-up (not written by this run): remembered unless this run wrote the camera
     * already; an entry beyond the bound is removed, offline longest first.
     */
    public synchronized void found(String cameraId, boolean online, Instant lastSeen) {
        if (known.containsKey(cameraId)) {
            return;
        }
        known.put(cameraId, new Known(online, lastSeen == null ? Instant.EPOCH : lastSeen));
        if (known.size() > maxCameras && !evictOldestOffline()) {
            known.remove(cameraId);
            store.remove(cameraId);
            metrics.registryRemoved("full");
        }
    }

    /** What {@link #forget} did. */
    public enum Forgotten {
        /** The entry was removed. */
        REMOVED,
        /** The camera is online (or being admitted): its entry stays. */
        ONLINE,
        /** The registry holds no such camera. */
        UNKNOWN
    }

    /**
     * Removes the entry of an offline camera at an operator's request. An online camera keeps its entry (it would
     * write it again with its next update), and so does one being admitted right now.
     */
    public synchronized Forgotten forget(String cameraId) {
        Known k = known.get(cameraId);
        if (k == null) {
            return Forgotten.UNKNOWN;
        }
        if (k.online()) {
            return Forgotten.ONLINE;
        }
        known.remove(cameraId);
        store.remove(cameraId);
        metrics.registryRemoved("forgotten");
        LOG.infof("camera %s removed from the registry on request (offline since %s)", cameraId, k.lastSeen());
        return Forgotten.REMOVED;
    }

    /**
     * The entry of {@code cameraId} is gone from the registry: removed on request by whoever answered it
     * ({@code removed}: this instance, counted as {@code forgotten}), or found absent. Forgets it here without
     * writing the registry.
     */
    public synchronized void forgotten(String cameraId, boolean removed) {
        Known k = known.get(cameraId);
        if (k != null && !k.online()) {
            known.remove(cameraId);
        }
        if (removed) {
            metrics.registryRemoved("forgotten");
        }
    }

    /** Removes the entries of cameras offline for longer than the expiry; returns their ids. */
    public synchronized List<String> expire() {
        Instant cutoff = clock.instant().minus(offlineExpiry);
        List<String> gone = new ArrayList<>();
        for (Map.Entry<String, Known> e : known.entrySet()) {
            if (!e.getValue().online() && e.getValue().lastSeen().isBefore(cutoff)) {
                gone.add(e.getKey());
            }
        }
        for (String id : gone) {
            known.remove(id);
            store.remove(id);
            metrics.registryRemoved("expired");
        }
        if (!gone.isEmpty()) {
            LOG.infof("removed %d cameras offline for more than %s from the registry", gone.size(), offlineExpiry);
        }
        return gone;
    }

    /** Cameras the registry holds. */
    public synchronized int size() {
        return known.size();
    }

    private boolean evictOldestOffline() {
        String oldest = null;
        Instant oldestSeen = null;
        for (Map.Entry<String, Known> e : known.entrySet()) {
            Known k = e.getValue();
            if (!k.online() && (oldestSeen == null || k.lastSeen().isBefore(oldestSeen))) {
                oldest = e.getKey();
                oldestSeen = k.lastSeen();
            }
        }
        if (oldest == null) {
            return false;
        }
        known.remove(oldest);
        store.remove(oldest);
        metrics.registryRemoved("full");
        LOG.debugf("registry full (%d cameras): removed %s, offline since %s", maxCameras, oldest, oldestSeen);
        return true;
    }
}
