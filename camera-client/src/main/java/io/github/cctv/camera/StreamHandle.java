package io.github.cctv.camera;

import java.time.Duration;

/** The life cycle shared by one streamed camera and a simulated fleet: one {@link StreamLoop} behind it. */
abstract class StreamHandle implements AutoCloseable {

    final StreamLoop loop;
    private boolean started;

    StreamHandle(StreamLoop loop) {
        this.loop = loop;
    }

    /** Starts connecting and streaming in the background; returns at once. */
    synchronized void startLoop() {
        if (started) {
            throw new IllegalStateException("already started");
        }
        started = true;
        loop.start();
    }

    /** Sends a goodbye on every open session, closes, and waits for it (at most a few seconds). */
    public void stop() {
        loop.requestStop();
        try {
            boolean wasStarted;
            synchronized (this) {
                wasStarted = started;
            }
            if (wasStarted) {
                loop.await(StreamLoop.STOP_GRACE.plusSeconds(1));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Waits until streaming has ended (frame limit, stop, fatal rejection); false on timeout. */
    public boolean awaitDone(Duration timeout) throws InterruptedException {
        return loop.await(timeout);
    }

    public boolean isDone() {
        return loop.isDone();
    }

    /** Counters summed over every session of the loop. */
    public StreamStats stats() {
        return StreamStats.sum(loop.sessions());
    }

    @Override
    public void close() {
        stop();
    }
}
