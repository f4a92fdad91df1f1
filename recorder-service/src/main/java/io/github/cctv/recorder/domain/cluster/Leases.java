package io.github.cctv.recorder.domain.cluster;

import java.util.Optional;
import java.util.Set;

/**
 * Camera leases: at most one recorder holds a camera's lease at a time; it is taken only when free (create if
 * absent), renewed only by its holder (compare and set on the revision it wrote), and expires when not renewed.
 */
public interface Leases {

    /** What became of a renewal. */
    enum Renewal {
        /** Renewed: still ours. */
        HELD,
        /** Someone else holds it now, or it expired: stop writing at once. */
        LOST,
        /** The store did not answer: still ours until the lease runs out, unless a later renewal works. */
        UNKNOWN
    }

    /** Takes the camera's lease if it is free; true when this recorder holds it (also when it already did). */
    boolean acquire(String cameraId);

    /** Renews a lease this recorder holds. */
    Renewal renew(String cameraId);

    /**
     * Whether this recorder may still write the camera: it holds the lease and, by its own monotonic clock, the
     * lease it last took or renewed has not run out (less a margin). Cheap: asked before every frame is written.
     */
    default boolean valid(String cameraId) {
        return held().contains(cameraId);
    }

    /**
     * Until when ({@link System#nanoTime()} terms) the lease {@link #valid} speaks of is valid, as things stand at
     * {@code nowNanos}; {@code nowNanos} (or earlier) when it is not. Without a deadline of its own: this moment only.
     */
    default long validUntilNanos(String cameraId, long nowNanos) {
        return valid(cameraId) ? nowNanos + 1 : nowNanos;
    }

    /** Gives a held lease up (deletes it if it is still ours). */
    void release(String cameraId);

    /** The cameras whose leases this recorder holds. */
    Set<String> held();

    /** Who holds the camera's lease now, if anyone. */
    Optional<String> holder(String cameraId);
}
