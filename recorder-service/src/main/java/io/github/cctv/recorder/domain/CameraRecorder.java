package io.github.cctv.recorder.domain;

import io.github.cctv.protocol.event.CameraEvent;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Records one camera on its own thread: takes frames from the camera's durable stream position, writes them into
 * segment files, flushes at least every flush interval and only then acknowledges them. The files are the truth:
 * each segment's sidecar holds the stream sequence of its last flushed frame, a crashed segment is cut back to that
 * flush, and a restart reads the stream again from the next sequence, so nothing is lost and nothing is written
 * twice (a frame at or below the last written sequence is skipped).
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

    private FrameStream stream;
    private SegmentWriter writer;
    private volatile Recording current;
    private Path currentFile;
    private long segStartUs;
    private long lastPtsMs;
    private long segFrames;
    private long lastFrameUs;
    private int width;
    private int height;
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
        stopAtUs = clock.instant().toEpochMilli() * 1000;
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

    private boolean stopRequested() {
        return stopSignal.getCount() == 0;
    }

    private void run() {
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
                if (f.ingestUs() > stopAtUs) {
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
        if (disconnectedAtUs >= 0 && f.ingestUs() > disconnectedAtUs) {
            disconnectedAtUs = -1;
            closeSegment();
        }
        if (writer != null && (f.captureUs() - segStartUs >= settings.segmentLength().toNanos() / 1000
                || f.width() != width || f.height() != height)) {
            closeSegment();
        }
        if (writer == null) {
            openSegment(f);
        }
        long pts = Math.max((f.captureUs() - segStartUs) / 1000, lastPtsMs + 1);
        writer.write(f, pts);
        lastPtsMs = pts;
        segFrames++;
        lastFrameUs = f.captureUs();
        lastSeq = f.streamSeq();
        toAck = f;
        metrics.frameWritten(f.data().length);
    }

    private void openSegment(Frame f) throws IOException {
        Instant start = Instant.ofEpochSecond(0, f.captureUs() * 1000);
        RecordingId id = index.layout().newSegment(cameraId, start);
        currentFile = index.layout().videoOf(id);
        writer = writers.open(currentFile, f.width(), f.height());
        segStartUs = f.captureUs();
        lastPtsMs = -1;
        segFrames = 0;
        width = f.width();
        height = f.height();
        current = new Recording(id.value(), cameraId, start, start, 0, 0, index.layout().relative(currentFile), true, lastSeq);
        index.save(current);
        metrics.segmentOpened();
        LOG.infof("recording %s into %s", cameraId, current.path());
    }

    private void flushAndAck() throws IOException {
        if (writer != null) {
            writer.flush();
            current = current.progressed(segFrames, Files.size(currentFile), micros(lastFrameUs), lastSeq);
            index.save(current);
        }
        if (toAck != null) {
            toAck.ack().run();
            toAck = null;
        }
        lastFlushNanos = System.nanoTime();
    }

    private void closeSegment() throws IOException {
        if (writer == null) {
            return;
        }
        SegmentWriter w = writer;
        writer = null;
        w.close();
        current = new Recording(current.id(), cameraId, current.start(), micros(lastFrameUs), segFrames,
                Files.size(currentFile), current.path(), false, lastSeq);
        index.save(current);
        if (toAck != null) {
            toAck.ack().run();
            toAck = null;
        }
        events.publish(new CameraEvent.SegmentCompleted(cameraId, clock.instant(), current.id(), current.path(),
                current.start(), current.end(), current.frames(), current.bytes()));
        LOG.infof("segment %s complete: %d frames, %d bytes", current.id(), current.frames(), current.bytes());
        current = null;
    }

    /** After an error: close what can be closed and keep the index consistent with the last flush. */
    private void abandonSegment() {
        if (writer == null) {
            return;
        }
        try {
            writer.close();
        } catch (IOException | RuntimeException ignored) {
            // the file keeps what was flushed; its sidecar says how much
        }
        writer = null;
        try {
            if (current.frames() == 0) {
                index.delete(current);
            } else {
                index.save(current.closed(current.frames(), current.bytes(), current.end()));
            }
        } catch (IOException | RuntimeException e) {
            LOG.warnf("could not update the index of %s: %s", current.id(), e.getMessage());
        }
    }

    private static Instant micros(long us) {
        return Instant.ofEpochSecond(0, us * 1000);
    }

    private static String describe(Throwable e) {
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }

    /** The segment being written, if any (read from other threads for retention; may be slightly stale). */
    public String openRecordingId() {
        Recording r = current;
        return r == null ? null : r.id();
    }
}
