package io.github.cctv.ingest.endpoint;

import io.github.cctv.protocol.wire.WireDecoder;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The memory all connections together may hold for frames still arriving. Each connection's decoder takes from it
 * as a frame's bytes arrive; a connection that finds it exhausted stops reading (its camera's TCP window fills and the
 * camera waits) and is called back when memory is given back. The time one frame may take is bounded separately
 * (the message timeout), so memory held by a connection that stalls is always given back in bounded time.
 */
public final class FrameMemory implements WireDecoder.Budget {

    private final long limit;
    private final AtomicLong held = new AtomicLong();
    private final Queue<Runnable> waiting = new ConcurrentLinkedQueue<>();

    public FrameMemory(long limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("frame memory limit must be positive, got " + limit);
        }
        this.limit = limit;
    }

    @Override
    public boolean reserve(int bytes) {
        while (true) {
            long now = held.get();
            if (now + bytes > limit) {
                return false;
            }
            if (held.compareAndSet(now, now + bytes)) {
                return true;
            }
        }
    }

    @Override
    public void release(int bytes) {
        held.addAndGet(-bytes);
        wakeWaiting();
    }

    /**
     * Runs {@code resume} once memory has been given back (at once if some already has been since the caller was
     * refused). {@code resume} must not block: it should hand over to the connection's own thread.
     */
    public void whenAvailable(Runnable resume) {
        waiting.add(resume);
        // a release between the refused reserve and this add would otherwise wake nobody
        if (held.get() < limit) {
            wakeWaiting();
        }
    }

    /** Bytes held now. */
    public long held() {
        return held.get();
    }

    public long limit() {
        return limit;
    }

    /** Connections waiting for memory. */
    public int waiting() {
        return waiting.size();
    }

    private void wakeWaiting() {
        Runnable r;
        // every waiter tries again on its own thread; one still refused queues itself anew
        while ((r = waiting.poll()) != null) {
            r.run();
        }
    }
}
