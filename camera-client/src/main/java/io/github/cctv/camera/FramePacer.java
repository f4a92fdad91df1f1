package io.github.cctv.camera;

/**
 * The frame slots of a paced source: one every period from the start. When the thread or the network
 * falls behind, the slots already past are skipped (and counted), never burst out afterwards, so a paced
 * camera never sends faster than its rate. Times are {@link System#nanoTime()} values.
 */
final class FramePacer {

    static final long NEVER = Long.MAX_VALUE;

    private final long periodNanos;
    private long next = NEVER;

    FramePacer(long periodNanos) {
        if (periodNanos <= 0) {
            throw new IllegalArgumentException("frame period must be positive, got " + periodNanos + " ns");
        }
        this.periodNanos = periodNanos;
    }

    /** The first slot is {@code now}. */
    void start(long now) {
        next = now;
    }

    /** No more slots until {@link #start}. */
    void stop() {
        next = NEVER;
    }

    /** When the next slot is due ({@link #NEVER} when stopped). */
    long nextSlot() {
        return next;
    }

    boolean due(long now) {
        return next != NEVER && now >= next;
    }

    /**
     * Done with the slot that was due: moves to the next one. Returns how many slots after it are already
     * in the past at {@code now} and were skipped.
     */
    long advance(long now) {
        if (next == NEVER) {
            return 0;
        }
        next += periodNanos;
        if (next > now) {
            return 0;
        }
        long missed = (now - next) / periodNanos + 1;
        next += missed * periodNanos;
        return missed;
    }
}
