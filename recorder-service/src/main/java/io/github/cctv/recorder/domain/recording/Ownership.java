package io.github.cctv.recorder.domain.recording;

/**
 * Whether this recorder may write a camera: with several recorders, a camera is written by the one holding its
 * lease. The manager claims a camera before it starts recording it and releases it once its files are closed.
 */
public interface Ownership {

    /** A lone recorder: every camera is its own. */
    Ownership SOLE = new Ownership() {
        @Override
        public boolean claim(String cameraId) {
            return true;
        }

        @Override
        public void release(String cameraId) {
        }
    };

    /**
     * True while this recorder may write the camera's frames: its lease, by this recorder's own monotonic clock, has
     * not run out. Asked before every frame is written and before every flush, progress mark and acknowledgement, so
     * that a recorder that was paused longer than the lease writes nothing more once another may have taken over.
     */
    default boolean valid(String cameraId) {
        return true;
    }

    /** True when this recorder holds the camera now (it already did, or it just took the free lease). */
    boolean claim(String cameraId);

    /** Gives the camera up, so that another recorder can take it at once. */
    void release(String cameraId);
}
