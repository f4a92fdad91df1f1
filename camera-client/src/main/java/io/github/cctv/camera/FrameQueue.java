package io.github.cctv.camera;

import java.util.ArrayDeque;

/**
 * The hand-off between a live source's reading thread and the network thread: every frame the camera
 * sends waits here until the network takes it, so nothing is lost while the network keeps up. Bounded by
 * frames and bytes: when the network is slower than the camera for longer than the queue holds, new
 * frames are dropped and counted, and so is every following frame up to the next key frame (an H.264
 * frame without the one before it cannot be decoded). Thread-safe.
 */
final class FrameQueue {

    private final int maxFrames;
    private final long maxBytes;
    private final ArrayDeque<SourceFrame> frames = new ArrayDeque<>();
    private long bytes;
    private long dropped;
    private boolean awaitingKey;
    private boolean startSkipping;

    FrameQueue(int maxFrames, long maxBytes) {
        if (maxFrames < 1 || maxBytes < 1) {
            throw new IllegalArgumentException("queue bounds must be positive: " + maxFrames + " frames, " + maxBytes + " bytes");
        }
        this.maxFrames = maxFrames;
        this.maxBytes = maxBytes;
    }

    /** Queues {@code frame}; false when it was dropped (queue full, or waiting for a key frame after a drop). */
    synchronized boolean offer(SourceFrame frame) {
        if (awaitingKey && !frame.keyFrame()) {
            if (!startSkipping) {
                dropped++;
            }
            return false;
        }
        startSkipping = false;
        int size = frame.data().length;
        if (frames.size() >= maxFrames || (!frames.isEmpty() && bytes + size > maxBytes)) {
            dropped++;
            awaitingKey = true;
            startSkipping = false;
            return false;
        }
        awaitingKey = false;
        frames.add(frame);
        bytes += size;
        return true;
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
     * A new start (a new connection): frames before the newest queued key frame are discarded; with no key
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
