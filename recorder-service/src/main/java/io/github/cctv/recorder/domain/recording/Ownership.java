package io.github.cctv.recorder.domain.recording;

/**
 * Whether this recorder may write a camera: with several recorders, a camera is written by the one holding its
 * lease. The manager claims a camera before it starts recording it and releases it once its files are closed.
 */
public interface Ownership {

    /** A {@link #validUntilNanos} that never comes: the camera is this recorder's for good. */
    long FOREVER = Long.MAX_VALUE;

    /** A lone recorder: every camera is its own. */
    Ownership SOLE = new Ownership() {
        @Override
        public boolean claim(String cameraId) {
            return true;
        }

        @Override
        public long validUntilNanos(String cameraId, long nowNanos) {
            return FOREVER;
        }

        @Override
        public void release(String cameraId) {
        }
    };

    /**
     * True while this recorder may write the camera's frames: its lease, by this recorder's own monotonic clock, has
     * not run out: a recorder that was paused longer than the lease writes nothing more once another may have taken
     * over. A recorder checks it before every frame is written and before every flush, progress mark and
     * acknowledgement, through {@link #validUntilNanos}.
     */
    default boolean valid(String cameraId) {
        return true;
    }

    /**
     * Until when ({@link System#nanoTime()} terms) this recorder may write the camera as things stand at
     * {@code nowNanos}: the end of its lease by its own monotonic clock ({@link #FOREVER} for a lone recorder), or
     * {@code nowNanos} (or earlier) when it may not. A recorder holds the answer and asks again once it has passed,
     * so that the check before each frame is a comparison. An implementation that knows no deadline answers for this
     * moment only, by {@link #valid}.
     */
    default long validUntilNanos(String cameraId, long nowNanos) {
        return valid(cameraId) ? nowNanos + 1 : nowNanos;
    }

    /** True when this recorder holds the camera now (it already did, or it just took the free lease). */
    boolean claim(String cameraId);

    /** Gives the camera up, so that another recorder can take it at once. */
    void release(String cameraId);
}
