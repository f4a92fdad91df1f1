package io.github.cctv.recorder.domain.recording;

import io.github.cctv.protocol.EpochMicros;
import io.github.cctv.protocol.event.CameraEvent;
import io.github.cctv.recorder.domain.store.Recording;
import io.github.cctv.recorder.domain.store.RecordingIndex;
import io.github.cctv.recorder.health.RecorderMetrics;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Records one camera on its own thread: the consume/ack loop. It takes frames from the camera's durable stream
 * position, writes them into {@link OpenSegment}s, flushes at least every flush interval and only then acknowledges
 * them. The files are the truth: each segment's sidecar holds the stream sequence of its last flushed frame, a
 * crashed segment is cut back to that flush, and a restart reads the stream again from the next sequence, so nothing
 * is lost and nothing is written twice (a frame at or below the last written sequence is skipped).
 */
public final class CameraRecorder {

    private static final Logger LOG = Logger.getLogger(CameraRecorder.class);
    private static final Duration POLL = Duration.ofMillis(200);

    /** What the recorder needs to know about its settings. */
    public record Settings(Duration segmentLength, Duration flushInterval, int batchFrames, Duration streamRetry) {
    }

    /** Told when the recording ends by itself because of an error. */
    public interface FailureListener {
        void failed(String cameraId, String message);
    }

    private final String cameraId;
    private final Settings settings;
    private final FrameSource source;
    private final SegmentWriterFactory writers;
    private final RecordingIndex index;
    private final RecordingEvents events;
    private final RecorderMetrics metrics;
    private final Clock clock;
    private final FailureListener failureListener;
    private final Instant startAt;
    private final boolean resume;
    private final Thread thread;
    private final CountDownLatch stopSignal = new CountDownLatch(1);

    private volatile long stopAtUs = Long.MAX_VALUE;
    private volatile boolean forgetOnStop;
    private volatile long disconnectedAtUs = -1;
    private volatile OpenSegment segment;

    private FrameStream stream;
    private long lastSeq;
    private Frame toAck;
    private long lastFlushNanos;

    public CameraRecorder(String cameraId, Settings settings, FrameSource source, SegmentWriterFactory writers,
                          RecordingIndex index, RecordingEvents events, RecorderMetrics metrics, Clock clock,
                          FailureListener failureListener, Instant startAt, boolean resume) {
        this.cameraId = cameraId;
        this.settings = settings;
        this.source = source;
        this.writers = writers;
        this.index = index;
        this.events = events;
        this.metrics = metrics;
        this.clock = clock;
        this.failureListener = failureListener;
        this.startAt = startAt;
        this.resume = resume;
        this.thread = new Thread(this::run, "recorder-" + cameraId);
    }

    public void start() {
        thread.start();
    }

    /**
     * Asks the recorder to write what arrived until now, close its file and end. {@code forget} also drops the
     * durable stream position (operator stop); without it (shutdown) a restart continues where this one ended.
     */
    public void requestStop(boolean forget) {
        forgetOnStop = forget;
        stopAtUs = EpochMicros.now(clock);
        stopSignal.countDown();
    }

    public boolean awaitStopped(Duration timeout) {
        try {
            thread.join(timeout.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return !thread.isAlive();
    }

    /** The camera's session ended at {@code atUs} (server time): its segment closes, a new one starts when it returns. */
    public void cameraDisconnected(long atUs) {
        disconnectedAtUs = atUs;
    }

    /** The segment being written, if any (read from other threads for retention; may be slightly stale). */
    public String openRecordingId() {
        OpenSegment s = segment;
        return s == null ? null : s.id();
    }

    private boolean stopRequested() {
        return stopSignal.getCount() == 0;
    }

    private void run() {
        // the flush interval counts from the start, not from the JVM's arbitrary nanoTime origin
        lastFlushNanos = System.nanoTime();
        try {
            loop();
            closeSegment();
            flushAndAck();
        } catch (IOException | RuntimeException e) {
            LOG.errorf(e, "recording of %s failed", cameraId);
            abandonSegment();
            failureListener.failed(cameraId, describe(e));
        } finally {
            if (stream != null) {
                stream.close();
            }
            metrics.forget(cameraId);
            if (forgetOnStop) {
                try {
                    source.forget(cameraId);
                } catch (RuntimeException e) {
                    LOG.warnf("could not drop the stream position of %s: %s", cameraId, e.getMessage());
                }
            }
        }
    }

    private void loop() throws IOException {
        // resuming continues after the newest frame on disk; an operator start takes the pre-roll by time
        long afterSeq = resume ? index.lastStreamSeq(cameraId) : 0;
        while (true) {
            if (stream == null) {
                stream = openStream(afterSeq);
                if (stream == null) {
                    return;
                }
                lastSeq = stream.resumed() ? afterSeq : 0;
            }
            List<Frame> batch;
            try {
                batch = stream.poll(settings.batchFrames(), POLL);
            } catch (FrameSource.FrameStreamUnavailableException e) {
                LOG.warnf("frames of %s unavailable (%s); reopening", cameraId, e.getMessage());
                stream.close();
                stream = null;
                afterSeq = lastSeq > 0 ? lastSeq : afterSeq;
                if (waitForStop(settings.streamRetry())) {
                    return;
                }
                continue;
            }
            if (batch.isEmpty()) {
                if (stopRequested()) {
                    return;
                }
                if (disconnectedAtUs >= 0) {
                    disconnectedAtUs = -1;
                    closeSegment();
                }
            }
            for (Frame f : batch) {
                if (f.metadata().ingestUs() > stopAtUs) {
                    return;
                }
                metrics.behind(cameraId, f.pending());
                if (f.streamSeq() <= lastSeq) {
                    toAck = f;
                    continue;
                }
                write(f);
            }
            if (System.nanoTime() - lastFlushNanos >= settings.flushInterval().toNanos()) {
                flushAndAck();
            }
        }
    }

    private FrameStream openStream(long afterSeq) {
        boolean warned = false;
        while (!stopRequested()) {
            try {
                return source.open(cameraId, startAt, afterSeq);
            } catch (FrameSource.FrameStreamUnavailableException e) {
                if (!warned) {
                    LOG.warnf("waiting for the frame stream to record %s: %s (retrying every %s)", cameraId,
                            e.getMessage(), settings.streamRetry());
                    warned = true;
                }
                if (waitForStop(settings.streamRetry())) {
                    return null;
                }
            }
        }
        return null;
    }

    private boolean waitForStop(Duration d) {
        try {
            return stopSignal.await(d.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
    }

    private void write(Frame f) throws IOException {
        if (disconnectedAtUs >= 0 && f.metadata().ingestUs() > disconnectedAtUs) {
            disconnectedAtUs = -1;
            closeSegment();
        }
        if (segment != null && segment.endsBefore(f, settings.segmentLength())) {
            closeSegment();
        }
        if (segment == null) {
            segment = OpenSegment.open(cameraId, f, lastSeq, index, writers);
            metrics.segmentOpened();
            LOG.infof("recording %s into %s", cameraId, segment.path());
        }
        segment.write(f);
        lastSeq = f.streamSeq();
        toAck = f;
        metrics.frameWritten(f.data().length);
    }

    private void flushAndAck() throws IOException {
        if (segment != null) {
            segment.flush();
        }
        ack();
        lastFlushNanos = System.nanoTime();
    }

    private void ack() {
        if (toAck != null) {
            toAck.ack().run();
            toAck = null;
        }
    }

    private void closeSegment() throws IOException {
        OpenSegment s = segment;
        if (s == null) {
            return;
        }
        Recording done;
        try {
            done = s.close();
        } catch (IOException | RuntimeException e) {
            // a file that failed to close is left to the start-up recovery, which cuts it back to its last flush
            segment = null;
            throw e;
        }
        ack();
        events.publish(new CameraEvent.SegmentCompleted(cameraId, clock.instant(), done.id(), done.path(),
                done.start(), done.end(), done.frames(), done.bytes()));
        LOG.infof("segment %s complete: %d frames, %d bytes", done.id(), done.frames(), done.bytes());
        // only now: retention leaves the segment alone until it is complete
        segment = null;
    }

    /** After an error: close what can be closed and keep the index consistent with the last flush. */
    private void abandonSegment() {
        OpenSegment s = segment;
        if (s == null) {
            return;
        }
        segment = null;
        try {
            s.abandon();
        } catch (IOException | RuntimeException e) {
            LOG.warnf("could not update the index of %s: %s", s.id(), e.getMessage());
        }
    }

    private static String describe(Throwable e) {
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }
}
