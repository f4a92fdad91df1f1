package io.github.cctv.camera;

import java.util.ArrayDeque;

/**
 * The hand-off between a live source's reading thread and the network thread: every frame the camera
 * sends waits here until the network takes it, so nothing is lost while the network keeps up, nor while
 * the first connection is being made. Bounded by bytes (and, against tiny frames, a generous frame count):
 * when the network is slower than the camera for longer than the queue holds, new frames are dropped and
 * counted, and so is every following frame up to the next key frame (an H.264 frame without the one before
 * it cannot be decoded); each such overflow is logged when it starts and when it ends. Thread-safe.
 */
final class FrameQueue {

    private final int maxFrames;
    private final long maxBytes;
    private final String label;
    private final ArrayDeque<SourceFrame> frames = new ArrayDeque<>();
    private long bytes;
    private long dropped;
    private long stale;
    private boolean awaitingKey;
    private boolean startSkipping;
    /** Frames dropped by the overflow going on, or -1 when none is. */
    private long overflowDropped = -1;

    FrameQueue(int maxFrames, long maxBytes) {
        this(maxFrames, maxBytes, null);
    }

    /** {@code label} names the source in the overflow log lines (null: no log lines). */
    FrameQueue(int maxFrames, long maxBytes, String label) {
        if (maxFrames < 1 || maxBytes < 1) {
            throw new IllegalArgumentException("queue bounds must be positive: " + maxFrames + " frames, " + maxBytes + " bytes");
        }
        this.maxFrames = maxFrames;
        this.maxBytes = maxBytes;
        this.label = label;
    }

    /** Queues {@code frame}; false when it was dropped (queue full, or waiting for a key frame after a drop). */
    synchronized boolean offer(SourceFrame frame) {
        if (awaitingKey && !frame.keyFrame()) {
            if (!startSkipping) {
                drop();
            }
            return false;
        }
        startSkipping = false;
        int size = frame.data().length;
        if (frames.size() >= maxFrames || (!frames.isEmpty() && bytes + size > maxBytes)) {
            if (overflowDropped < 0) {
                overflowDropped = 0;
                log("queue full (" + frames.size() + " frames, " + bytes / 1024 + " KiB waiting for the network): "
                        + "dropping new frames until it has room");
            }
            drop();
            awaitingKey = true;
            startSkipping = false;
            return false;
        }
        if (overflowDropped >= 0) {
            log("queue has room again: " + overflowDropped + " frames dropped (" + dropped + " since the start)");
            overflowDropped = -1;
        }
        awaitingKey = false;
        frames.add(frame);
        bytes += size;
        return true;
    }

    private void drop() {
        dropped++;
        if (overflowDropped >= 0) {
            overflowDropped++;
        }
    }

    private void log(String message) {
        if (label != null) {
            Log.warn(null, label + ": " + message);
        }
    }

    /** The oldest queued frame, or null. */
    synchronized SourceFrame poll() {
        SourceFrame f = frames.poll();
        if (f != null) {
            bytes -= f.data().length;
        }
        return f;
    }

    /**
     * A connection was accepted: what the queue holds is sent, from its oldest key frame on, so the frames
     * read while the source opened and the server accepted (or while the connection was down) reach the
     * server with their capture times. Only frames captured before {@code staleBeforeMicros} are discarded
     * first ({@link Long#MIN_VALUE}: none, as on a run's first connection). Frames discarded, stale or before
     * the first key frame (which cannot be decoded without the one before), count as dropped; with no key
     * frame left, frames are dropped until the next one arrives.
     */
    synchronized void startConnection(long staleBeforeMicros) {
        long before = dropped;
        while (!frames.isEmpty() && frames.peek().captureMicros() < staleBeforeMicros) {
            poll();
            stale++;
            dropped++;
        }
        while (!frames.isEmpty() && !frames.peek().keyFrame()) {
            poll();
            dropped++;
        }
        if (frames.isEmpty()) {
            awaitingKey = true;
            startSkipping = false;
        }
        if (dropped > before) {
            log((dropped - before) + " queued frames discarded at the new connection ("
                    + (stale > 0 ? "captured before the backlog bound, or " : "") + "before the oldest key frame left)");
        }
    }

    /** Frames discarded as stale at a new connection since the queue was made (also in {@link #dropped}). */
    synchronized long stale() {
        return stale;
    }

    /**
     * A new start after a loss (a frame the server could not take): frames before the newest queued key frame are discarded; with no key
     * frame queued, everything is, and frames are skipped until the next key frame arrives. Neither counts
     * as dropped: they are older than the connection, not lost on it.
     */
    synchronized void startAtKeyFrame() {
        SourceFrame newestKey = null;
        for (SourceFrame f : frames) {
            if (f.keyFrame()) {
                newestKey = f;
            }
        }
        while (!frames.isEmpty() && frames.peek() != newestKey) {
            poll();
        }
        if (newestKey == null) {
            awaitingKey = true;
            startSkipping = true;
        }
    }

    /** Frames dropped for want of room (and the frames depending on them) since the queue was made. */
    synchronized long dropped() {
        return dropped;
    }

    synchronized int size() {
        return frames.size();
    }

    synchronized long bytes() {
        return bytes;
    }
}
