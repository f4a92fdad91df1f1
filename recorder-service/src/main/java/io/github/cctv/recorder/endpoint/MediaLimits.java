package io.github.cctv.recorder.endpoint;

import io.github.cctv.recorder.health.RecorderMetrics;

import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The bounds of the media work, apart from the HTTP worker pool that the JSON API and the health checks use, so
 * that no number of viewers can take those away: MJPEG playbacks (a thread each, pacing frames) and exports (a
 * thread each) run on their own pools of a fixed size, file transfers (sent by the event loop, no thread) are
 * counted. Beyond a bound a request is answered 503 with {@code Retry-After}.
 */
public final class MediaLimits implements AutoCloseable {

    private final ThreadPoolExecutor playbacks;
    private final ThreadPoolExecutor exports;
    private final Semaphore downloads;
    private final int maxDownloads;
    private final Duration retryAfter;

    public MediaLimits(int maxPlaybacks, int maxExports, int maxDownloads, Duration retryAfter, RecorderMetrics metrics) {
        this.playbacks = pool("recorder-playback-", maxPlaybacks);
        this.exports = pool("recorder-export-", maxExports);
        this.downloads = new Semaphore(maxDownloads);
        this.maxDownloads = maxDownloads;
        this.retryAfter = retryAfter;
        metrics.mediaGauges(playbacks::getActiveCount, exports::getActiveCount,
                () -> maxDownloads - downloads.availablePermits());
    }

    private static ThreadPoolExecutor pool(String name, int size) {
        AtomicInteger n = new AtomicInteger();
        // no queue: a task runs at once on a free thread, or is refused
        ThreadPoolExecutor p = new ThreadPoolExecutor(size, size, 30, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
            Thread t = new Thread(r, name + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        p.allowCoreThreadTimeOut(true);
        return p;
    }

    /** Runs MJPEG playbacks; refuses ({@code RejectedExecutionException}) beyond its size. */
    public Executor playbacks() {
        return playbacks;
    }

    /** Runs exports, one-off and jobs; refuses beyond its size. */
    public Executor exports() {
        return exports;
    }

    /** Takes a file transfer's place, false when all are taken; {@link #downloadDone} gives it back. */
    public boolean tryDownload() {
        return downloads.tryAcquire();
    }

    public void downloadDone() {
        downloads.release();
    }

    /** The {@code Retry-After} of a 503, whole seconds. */
    public long retryAfterSeconds() {
        return Math.max(1, retryAfter.toSeconds());
    }

    /** Stops every playback and export (their threads are interrupted, which ends them). */
    @Override
    public void close() {
        playbacks.shutdownNow();
        exports.shutdownNow();
    }

    int maxDownloads() {
        return maxDownloads;
    }
}
