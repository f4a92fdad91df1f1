package io.github.cctv.camera;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * One thread and one selector that drive any number of {@link Session}s: a simulator streaming sixteen
 * cameras costs one thread, not two per camera.
 */
final class StreamLoop {

    /** How long a stop waits for goodbyes to be written before closing sockets anyway. */
    static final Duration STOP_GRACE = Duration.ofSeconds(2);

    private final List<Session> sessions;
    private final List<FrameSource> sources;
    private final Selector selector;
    private final Thread thread;
    private final CountDownLatch done = new CountDownLatch(1);
    private volatile boolean stopRequested;

    StreamLoop(String name, List<Session> sessions, List<FrameSource> sources) {
        this.sessions = List.copyOf(sessions);
        this.sources = List.copyOf(sources);
        try {
            this.selector = Selector.open();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open a selector", e);
        }
        this.thread = new Thread(this::run, name);
        for (FrameSource source : this.sources) {
            source.onFrameReady(selector::wakeup); // a live camera's frame goes out as soon as it is read
        }
    }

    void start() {
        thread.start();
    }

    /** Asks every session to say goodbye and end; returns at once. */
    void requestStop() {
        stopRequested = true;
        selector.wakeup();
    }

    boolean await(Duration timeout) throws InterruptedException {
        return done.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    boolean isDone() {
        return done.getCount() == 0;
    }

    List<Session> sessions() {
        return sessions;
    }

    private void timers(Session s, long now) {
        try {
            s.onTimers(selector, now);
        } catch (RuntimeException e) {
            isolate(s, e);
        }
    }

    /** A failing listener or source ends its own camera, never the others on this thread. */
    private static void isolate(Session s, RuntimeException e) {
        Log.warn(s.cameraId(), "stopped after an unexpected error: " + e);
        s.abort();
    }

    private void run() {
        try {
            long start = System.nanoTime();
            for (Session s : sessions) {
                s.begin(start);
            }
            boolean stopping = false;
            long stopDeadline = Long.MAX_VALUE;
            while (true) {
                long now = System.nanoTime();
                if (stopRequested && !stopping) {
                    stopping = true;
                    stopDeadline = now + STOP_GRACE.toNanos();
                    for (Session s : sessions) {
                        s.stop(selector, now);
                    }
                }
                boolean allDone = true;
                long next = stopDeadline;
                for (Session s : sessions) {
                    if (!s.done()) {
                        timers(s, now);
                    }
                    if (!s.done()) {
                        allDone = false;
                        next = Math.min(next, s.nextWakeup());
                    }
                }
                if (allDone) {
                    break;
                }
                if (now >= stopDeadline) {
                    for (Session s : sessions) {
                        s.abort();
                    }
                    break;
                }
                long waitNanos = next - System.nanoTime();
                if (waitNanos > 0) {
                    // select(ms) rounds down: round up so that a slot is not polled a hair too early, in a spin
                    selector.select(Math.max(1, Math.min(1000, (waitNanos + 999_999) / 1_000_000)));
                } else {
                    selector.selectNow();
                }
                long ready = System.nanoTime();
                for (SelectionKey key : selector.selectedKeys()) {
                    Session s = (Session) key.attachment();
                    try {
                        s.onReady(ready);
                    } catch (RuntimeException e) {
                        isolate(s, e);
                    }
                }
                selector.selectedKeys().clear();
            }
        } catch (IOException | RuntimeException e) {
            Log.warn(null, "streaming thread failed: " + e);
            for (Session s : sessions) {
                s.abort();
            }
        } finally {
            try {
                selector.close();
            } catch (IOException ignored) {
                // closing: nothing to recover
            }
            for (FrameSource source : sources) {
                try {
                    source.close();
                } catch (RuntimeException e) {
                    Log.warn(null, "closing a frame source failed: " + e);
                }
            }
            done.countDown();
        }
    }
}
