package io.github.cctv.recorder.domain.recording;

import io.github.cctv.protocol.EpochMicros;
import io.github.cctv.protocol.event.CameraEvent;
import io.github.cctv.recorder.domain.store.Recording;
import io.github.cctv.recorder.domain.store.RecordingIndex;
import io.github.cctv.recorder.health.RecorderMetrics;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Records one camera on its own thread: the consume/ack loop. It takes frames from the camera's durable stream
 * position, writes them into {@link OpenSegment}s, forces them to the disk at least every flush interval and only
 * then acknowledges them. The files are the truth: each segment's sidecar holds the stream sequence of its last
 * flushed frame, a crashed segment is cut back to that flush (for H.264 to right before its last keyframe), and a
 * restart reads the stream again from the next sequence, so nothing is lost and nothing is written twice (a frame at
 * or below the last one seen is skipped). After each flush, and before the acknowledgement, the sequence a crash
 * keeps is also written to the shared {@link RecordingProgress}, so that another recorder taking the camera over (or
 * this one after its newest recordings were deleted) resumes right after it.
 * <ul>
 *   <li>A segment starts only on a frame the format can start on (any JPEG; an H.264 keyframe): frames before the
 *       first keyframe are skipped and counted. A segment that reached its length ends at the next such frame; a
 *       new picture size, another codec or a camera disconnect end it at once.</li>
 *   <li>Pre-roll: the stream is read from a keyframe interval ({@code keyframeLookback}) before the pre-roll point
 *       {@code startAt}; the recording starts at the first frame at or after the point if it is a keyframe, else at
 *       the last keyframe before it.</li>
 *   <li>Time is the server's: segment names, lengths and the stop follow the frames' ingest times.</li>
 *   <li>A storage error (a full disk, an unwritable folder) ends the segment at what is safe to keep and is retried
 *       with backoff, from the frame after the last one kept, until writing works again; the listener hears of the
 *       interruption once and of the resumption.</li>
 *   <li>Fencing: with several recorders, a frame is written, and a flush, a progress mark and an acknowledgement
 *       done, only while the camera's lease has not run out by this recorder's own clock (the lease's end, from
 *       {@link Ownership#validUntilNanos}, is held here and compared before each). Once it has (the process was paused longer than the lease, another recorder may have resumed after
 *       the mark), the recording ends at once: the open segment is cut back to its last durable point (never past
 *       the mark), nothing more is acknowledged or marked, and the listener hears {@code leaseLost}.</li>
 *   <li>The shared mark leads: a flush whose mark cannot be stored (the progress bucket does not answer) leaves the
 *       sidecar and the acknowledgement where the last mark is, and the next flush tries again; a close waits for its
 *       mark, read back first (a write that timed out may have landed), until it holds or the lease runs out. A
 *       recording stopped by its lease keeps the last mark tried if the progress says it landed, else the last one
 *       stored. So a recorder taking the camera over after the mark never writes a frame this disk keeps, nor
 *       misses one it cut.</li>
 *   <li>Never a frame twice: a frame at or below the newest one in the files, by stream sequence and by ingest time,
 *       is acknowledged and counted ({@code duplicate}), not written, however the stream was reopened.</li>
 *   <li>A shutdown (a stop that keeps the stream position) in the middle of an H.264 group of pictures writes on to
 *       the next keyframe (at most a {@code keyframeLookback}), so that the next run starts on it.</li>
 * </ul>
 */
public final class CameraRecorder {

    private static final Logger LOG = Logger.getLogger(CameraRecorder.class);
    private static final Duration POLL = Duration.ofMillis(200);
    private static final long WARN_EVERY_NANOS = TimeUnit.MINUTES.toNanos(1);
    /** Bounds of the frames held for the pre-roll (one group of pictures): beyond, it starts at the next keyframe. */
    private static final int PRE_ROLL_MAX_FRAMES = 1_000;
    private static final long PRE_ROLL_MAX_BYTES = 32L << 20;

    /**
     * What the recorder needs to know about its settings.
     *
     * @param keyframeLookback how far before the pre-roll point the stream is read, at least one keyframe interval;
     *                         also the longest a shutdown waits for the next keyframe
     * @param storageRetry     first wait after a storage error; doubled after each failed attempt
     * @param storageRetryMax  longest wait between two attempts
     * @param batchWait        after a read that found fewer frames than a batch (the recorder has caught up with the
     *                         camera), how long the next frames gather before it reads again; 0 reads each frame as it
     *                         arrives
     */
    public record Settings(Duration segmentLength, Duration flushInterval, int batchFrames, Duration streamRetry,
                           Duration keyframeLookback, Duration storageRetry, Duration storageRetryMax,
                           Duration batchWait) {

        /**
         * Default of {@link #batchWait}: a live 30 fps camera's frames are written three or four at a time, its writer
         * thread waking ten times a second instead of once per frame; well under the flush interval, so no later on
         * the disk.
         */
        public static final Duration BATCH_WAIT = Duration.ofMillis(100);

        /** With a 4 s keyframe lookback and storage retries from 1 s to 30 s. */
        public Settings(Duration segmentLength, Duration flushInterval, int batchFrames, Duration streamRetry) {
            this(segmentLength, flushInterval, batchFrames, streamRetry, Duration.ofSeconds(4), Duration.ofSeconds(1),
                    Duration.ofSeconds(30));
        }

        /** With the default {@link #BATCH_WAIT}. */
        public Settings(Duration segmentLength, Duration flushInterval, int batchFrames, Duration streamRetry,
                        Duration keyframeLookback, Duration storageRetry, Duration storageRetryMax) {
            this(segmentLength, flushInterval, batchFrames, streamRetry, keyframeLookback, storageRetry,
                    storageRetryMax, BATCH_WAIT);
        }
    }

    /** Told what becomes of the recording. */
    public interface Listener {
        /** The recording ended by itself on an error that is not retried. */
        void failed(String cameraId, String message);

        /** Writing failed on a storage error at {@code at}; retried with backoff. Once per outage. */
        void interrupted(String cameraId, Instant at, String message);

        /** Writing works again after the storage error of {@code failedAt}. */
        void resumed(String cameraId, Instant failedAt, String message);

        /** The camera's lease ran out while it was recorded: the recording ended without writing anything more. */
        default void leaseLost(String cameraId) {
        }
    }

    private final String cameraId;
    private final Settings settings;
    private final FrameSource source;
    private final SegmentWriterFactory writers;
    private final RecordingIndex index;
    private final RecordingEvents events;
    private final RecorderMetrics metrics;
    private final Clock clock;
    private final Listener listener;
    private final Instant startAt;
    private final long startAtUs;
    private final boolean resume;
    private final Thread thread;
    private final RecordingProgress progress;
    private final Ownership ownership;
    private final CountDownLatch stopSignal = new CountDownLatch(1);

    private volatile long stopAtUs = Long.MAX_VALUE;
    private volatile boolean forgetOnStop;
    private volatile long disconnectedAtUs = -1;
    private volatile OpenSegment segment;

    private FrameStream stream;
    /** Where the stream is (re)opened: after this sequence when it still holds it, else by time. */
    private long afterSeq;
    /** Stream sequence of the last frame written to a file. */
    private long lastSeq;
    /** Stream sequence of the last frame taken from the stream (written, skipped or held). */
    private long lastSeenSeq;
    /**
     * The guard against a frame written twice: stream sequence and ingest time of the newest frame in the files. A
     * frame at or below both is one the files hold already (a stream reopened by time over a lagging view, a
     * redelivery), whatever the stream position said; kept across reopens, set back only by a cut-back.
     */
    private long writtenSeq;
    private long writtenIngestUs = Long.MIN_VALUE;
    private Frame toAck;
    private long lastFlushNanos;
    private boolean rollPending;
    private boolean preRolling;
    private final List<Frame> preRoll = new ArrayList<>();
    private long preRollBytes;
    /** A segment abandoned after a storage error and not yet cut back (the disk refused even that). */
    private Recording toCutBack;
    /** The entry whose mark could not be stored (it may have landed all the same), until a mark is stored. */
    private Recording unconfirmed;
    private Instant failedAt;
    private String failure;
    private int attempts;
    private long lastRejectWarnNanos = System.nanoTime() - WARN_EVERY_NANOS;
    private long rejectedSinceWarn;
    /** The end of this recorder's lease of the camera as last asked ({@link #fence}); asked at the first check. */
    private long leaseUntilNanos = System.nanoTime();
    /** The last mark written to the shared progress. */
    private long marked;
    private long lastMarkWarnNanos = System.nanoTime() - WARN_EVERY_NANOS;

    /** A recorder with no shared progress mark: only its own disk says where a restart resumes. */
    public CameraRecorder(String cameraId, Settings settings, FrameSource source, SegmentWriterFactory writers,
                          RecordingIndex index, RecordingEvents events, RecorderMetrics metrics, Clock clock,
                          Listener listener, Instant startAt, boolean resume) {
        this(cameraId, settings, source, writers, index, events, metrics, clock, listener, startAt, resume,
                RecordingProgress.NONE);
    }

    /**
     * {@code resume}: continue after the last frame durably recorded, on this disk or (by {@code progress}) on any
     * recorder's; otherwise start by time at {@code startAt} (an operator's start with pre-roll).
     */
    public CameraRecorder(String cameraId, Settings settings, FrameSource source, SegmentWriterFactory writers,
                          RecordingIndex index, RecordingEvents events, RecorderMetrics metrics, Clock clock,
                          Listener listener, Instant startAt, boolean resume, RecordingProgress progress) {
        this(cameraId, settings, source, writers, index, events, metrics, clock, listener, startAt, resume, progress,
                Ownership.SOLE);
    }

    /** The same, writing only while {@code ownership} says this recorder's lease of the camera is valid. */
    public CameraRecorder(String cameraId, Settings settings, FrameSource source, SegmentWriterFactory writers,
                          RecordingIndex index, RecordingEvents events, RecorderMetrics metrics, Clock clock,
                          Listener listener, Instant startAt, boolean resume, RecordingProgress progress,
                          Ownership ownership) {
        this.ownership = ownership;
        this.progress = progress;
        this.cameraId = cameraId;
        this.settings = settings;
        this.source = source;
        this.writers = writers;
        this.index = index;
        this.events = events;
        this.metrics = metrics;
        this.clock = clock;
        this.listener = listener;
        this.startAt = startAt;
        this.startAtUs = EpochMicros.of(startAt);
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
        afterSeq = resume ? resumePoint() : 0;
        marked = afterSeq;
        lastFlushNanos = System.nanoTime();
        try {
            while (true) {
                try {
                    if (!finishCutBack()) {
                        throw new IOException("cannot close " + toCutBack.path() + " at its last good frame");
                    }
                    loop();
                    closeSegment();
                    flushAndAck();
                    return;
                } catch (IOException | UncheckedIOException e) {
                    storageFailed(e);
                    if (waitForStop(backoff())) {
                        finishCutBack();
                        return;
                    }
                }
            }
        } catch (LeaseRanOut e) {
            fenced();
        } catch (RuntimeException e) {
            LOG.errorf(e, "recording of %s failed", cameraId);
            abandonSegment();
            listener.failed(cameraId, describe(e));
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

    /** Reads and writes until a stop; returns at the stop. */
    private void loop() throws IOException {
        while (true) {
            if (stream == null) {
                stream = openStream(afterSeq);
                if (stream == null) {
                    return;
                }
                lastSeq = stream.resumed() ? afterSeq : 0;
                lastSeenSeq = lastSeq;
                preRolling = !stream.resumed();
                clearPreRoll();
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
                if (stopsBefore(f)) {
                    return;
                }
                take(f);
            }
            if (System.nanoTime() - lastFlushNanos >= settings.flushInterval().toNanos()) {
                flushAndAck();
            }
            if (caughtUp(batch) && !settings.batchWait().isZero()) {
                // let the next frames gather rather than wake for each (a stop still ends the wait)
                waitForStop(settings.batchWait());
            }
        }
    }

    /** Whether {@code batch} ends with the newest frame there was: fewer than a batch, none left on the stream. */
    private boolean caughtUp(List<Frame> batch) {
        return !batch.isEmpty() && batch.size() < settings.batchFrames() && batch.get(batch.size() - 1).pending() == 0;
    }

    /** Whether the recording ends before {@code f}, received after the stop. */
    private boolean stopsBefore(Frame f) {
        long ingest = f.metadata().ingestUs();
        if (ingest <= stopAtUs) {
            return false;
        }
        if (forgetOnStop || segment == null || writers.canStartSegment(f)) {
            return true;
        }
        // a shutdown inside a group of pictures: on to the next keyframe, which the next run then starts on
        return ingest - stopAtUs > settings.keyframeLookback().toNanos() / 1000;
    }

    private void take(Frame f) throws IOException {
        metrics.behind(cameraId, f.pending());
        if (f.streamSeq() <= lastSeenSeq) {
            toAck = f;
            return;
        }
        if (f.streamSeq() <= writtenSeq && f.metadata().ingestUs() <= writtenIngestUs) {
            // in the files already: never twice
            metrics.frameSkipped(RecorderMetrics.DUPLICATE);
            toAck = f;
            return;
        }
        lastSeenSeq = f.streamSeq();
        if (preRolling) {
            if (f.metadata().ingestUs() < startAtUs) {
                holdForPreRoll(f);
                toAck = f;
                return;
            }
            preRolling = false;
            if (!writers.canStartSegment(f)) {
                for (Frame held : preRoll) {
                    write(held);
                }
            }
            clearPreRoll();
        }
        write(f);
        toAck = f;
    }

    /** Keeps the frames since the last keyframe before the pre-roll point. */
    private void holdForPreRoll(Frame f) {
        if (writers.canStartSegment(f)) {
            clearPreRoll();
        } else if (preRoll.isEmpty()) {
            return; // no keyframe to start on yet
        }
        preRoll.add(f);
        preRollBytes += f.data().length;
        if (preRoll.size() > PRE_ROLL_MAX_FRAMES || preRollBytes > PRE_ROLL_MAX_BYTES) {
            clearPreRoll(); // a group of pictures too long to hold: start at the next keyframe
        }
    }

    private void clearPreRoll() {
        preRoll.clear();
        preRollBytes = 0;
    }

    private FrameStream openStream(long afterSeq) {
        boolean warned = false;
        Instant from = startAt.minus(settings.keyframeLookback());
        while (!stopRequested()) {
            try {
                return source.open(cameraId, from, afterSeq);
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
        fence();
        if (disconnectedAtUs >= 0 && f.metadata().ingestUs() > disconnectedAtUs) {
            disconnectedAtUs = -1;
            closeSegment();
        }
        if (segment != null) {
            if (segment.formatChanges(f)) {
                closeSegment();
            } else if (rollPending || segment.lengthReached(f, settings.segmentLength())) {
                rollPending = true;
                if (writers.canStartSegment(f)) {
                    closeSegment();
                }
            }
        }
        if (segment == null) {
            if (!writers.canStartSegment(f)) {
                metrics.frameSkipped(RecorderMetrics.BEFORE_KEYFRAME);
                return;
            }
            segment = OpenSegment.open(cameraId, f, lastSeq, index, writers);
            metrics.segmentOpened();
            LOG.infof("recording %s into %s", cameraId, segment.path());
        }
        try {
            segment.write(f);
        } catch (FrameRejectedException e) {
            rejected(f, e);
            return;
        }
        lastSeq = f.streamSeq();
        writtenSeq = Math.max(writtenSeq, lastSeq);
        writtenIngestUs = Math.max(writtenIngestUs, f.metadata().ingestUs());
        metrics.frameWritten(f.data().length);
    }

    private void rejected(Frame f, FrameRejectedException e) {
        metrics.frameSkipped(RecorderMetrics.REJECTED);
        rejectedSinceWarn++;
        long now = System.nanoTime();
        if (now - lastRejectWarnNanos >= WARN_EVERY_NANOS) {
            LOG.warnf("skipped %d frame(s) of %s that cannot be recorded, e.g. stream sequence %d: %s",
                    rejectedSinceWarn, cameraId, f.streamSeq(), e.getMessage());
            lastRejectWarnNanos = now;
            rejectedSinceWarn = 0;
        }
    }

    private void flushAndAck() throws IOException {
        fence();
        lastFlushNanos = System.nanoTime();
        if (segment != null) {
            try {
                segment.flush(this::mark);
            } catch (MarkNotStored e) {
                // the sidecar stays at the last mark and nothing is acknowledged: the next flush tries again
                return;
            }
            wrote();
        }
        ack();
    }

    private void ack() {
        if (toAck != null) {
            fence();
            toAck.ack().run();
            toAck = null;
        }
    }

    /** Closes the open segment; on an error it stays open, for the storage error handling to abandon. */
    private void closeSegment() throws IOException {
        OpenSegment s = segment;
        rollPending = false;
        if (s == null) {
            return;
        }
        fence();
        Recording done;
        try {
            done = s.close(this::mark);
        } catch (MarkNotStored e) {
            // the file is complete and forced: it is closed once the mark says so (or the lease runs out)
            done = unconfirmed;
            confirmMark(done);
            index.save(done);
        }
        // only now: retention leaves the segment alone until it is complete
        segment = null;
        wrote();
        ack();
        events.publish(new CameraEvent.SegmentCompleted(cameraId, clock.instant(), done.id(), done.path(),
                done.start(), done.end(), done.frames(), done.bytes()));
        LOG.infof("segment %s complete: %d frames, %d bytes", done.id(), done.frames(), done.bytes());
    }

    /**
     * Where a resumed recording continues: after the newest frame durably recorded, on this disk or on another
     * recorder's (the shared mark), so that a camera taken over, or one whose newest recordings were deleted, gets
     * no frame twice.
     */
    private long resumePoint() {
        long disk = index.lastStreamSeq(cameraId);
        try {
            return Math.max(disk, progress.writtenUpTo(cameraId));
        } catch (RuntimeException e) {
            LOG.warnf("cannot read the recording progress of %s, resuming after the last frame on this disk: %s",
                    cameraId, e.getMessage());
            return disk;
        }
    }

    /**
     * The file holds {@code durable} on the disk for good (its sidecar is written next): say so before the frames
     * are acknowledged. The mark is the stream sequence a crash keeps (for H.264 right before the last keyframe).
     */
    private void mark(Recording durable) {
        long seq = durable.closedAtCut().lastStreamSeq();
        if (seq <= marked && durable.open()) {
            return;
        }
        fence(); // after the flush, which may have taken long: before the sidecar and the mark say it is kept
        try {
            progress.written(cameraId, seq, durable);
            marked = seq;
            unconfirmed = null;
        } catch (RuntimeException e) {
            unconfirmed = durable;
            long now = System.nanoTime();
            if (now - lastMarkWarnNanos >= WARN_EVERY_NANOS) {
                LOG.warnf("cannot store the recording progress of %s (stream sequence %d), the segment's sidecar "
                        + "and the acknowledgement wait for it: %s", cameraId, seq, e.getMessage());
                lastMarkWarnNanos = now;
            }
            // the sidecar must never say more than the mark: a recorder taking the camera over resumes after the mark
            throw new MarkNotStored();
        }
    }

    /**
     * The mark of {@code r} (a closed segment) could not be stored, or its answer was lost: tries again, reading the
     * mark back first (a write that timed out may have landed), until it holds or the lease runs out.
     */
    private void confirmMark(Recording r) {
        long seq = r.closedAtCut().lastStreamSeq();
        while (true) {
            fence();
            try {
                if (progress.writtenUpTo(cameraId) != seq) {
                    progress.written(cameraId, seq, r);
                }
                marked = seq;
                unconfirmed = null;
                return;
            } catch (RuntimeException e) {
                try {
                    Thread.sleep(settings.streamRetry().toMillis());
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new LeaseRanOut();
                }
            }
        }
    }

    /** Whether the mark of {@code r}, whose write failed, is what the shared progress holds after all. */
    private boolean landed(Recording r) {
        try {
            return progress.writtenUpTo(cameraId) == r.closedAtCut().lastStreamSeq();
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** Data reached the disk: if writing had failed before, it has resumed. */
    private void wrote() {
        if (failedAt == null) {
            return;
        }
        Instant at = failedAt;
        String why = failure;
        failedAt = null;
        failure = null;
        attempts = 0;
        LOG.infof("recording of %s resumed (it failed at %s: %s)", cameraId, at, why);
        listener.resumed(cameraId, at, why);
    }

    /** A write, flush or close failed on the storage: keep what is safe, then retry from the frame after it. */
    private void storageFailed(Exception e) {
        toAck = null; // nothing written since the last flush is acknowledged: it comes again
        rollPending = false;
        clearPreRoll();
        if (stream != null) {
            stream.close();
            stream = null;
        }
        abandonSegment();
        afterSeq = lastSeq;
        metrics.storageError();
        String message = describe(e);
        attempts++;
        if (failedAt == null) {
            failedAt = clock.instant();
            failure = message;
            LOG.errorf("recording of %s interrupted: %s; retrying in %s", cameraId, message, backoff());
            listener.interrupted(cameraId, failedAt, message);
        } else {
            LOG.debugf("recording of %s still failing (attempt %d): %s", cameraId, attempts, message);
        }
    }

    /** The wait before the next attempt: the first retry delay, doubled per failed attempt, up to the longest. */
    private Duration backoff() {
        Duration d = settings.storageRetry();
        for (int i = 1; i < attempts && d.compareTo(settings.storageRetryMax()) < 0; i++) {
            d = d.multipliedBy(2);
        }
        return d.compareTo(settings.storageRetryMax()) > 0 ? settings.storageRetryMax() : d;
    }

    /** After an error: stop writing the open segment and cut it back to what is safe to keep. */
    private void abandonSegment() {
        OpenSegment s = segment;
        segment = null;
        if (s != null) {
            toCutBack = s.abandon();
            finishCutBack();
        }
    }

    /** Cuts back the segment abandoned after an error, if any; false when the disk still refuses it. */
    private boolean finishCutBack() {
        Recording r = toCutBack;
        if (r == null) {
            return true;
        }
        Recording kept;
        try {
            kept = index.cutBack(r, "a write failed").orElse(null);
        } catch (IOException | RuntimeException e) {
            LOG.debugf("cannot cut back %s yet: %s", r.path(), e.getMessage());
            return false;
        }
        toCutBack = null;
        // continue right after the last frame the file keeps: the stream gives the rest again
        lastSeq = r.closedAtCut().lastStreamSeq();
        afterSeq = lastSeq;
        writtenSeq = lastSeq;
        // the mark may name frames the cut removed (written before a sidecar that failed): set it back
        fence();
        try {
            progress.written(cameraId, lastSeq, kept);
            marked = lastSeq;
        } catch (RuntimeException e) {
            marked = 0;
            LOG.warnf("cannot set the recording progress of %s back to %d: %s", cameraId, lastSeq, e.getMessage());
        }
        return true;
    }

    /**
     * Throws {@link LeaseRanOut} once this recorder's lease of the camera is no longer valid by its own clock: a
     * comparison with the lease's end held here, which is asked for again only once it has passed (a renewal moves it).
     */
    private void fence() {
        if (leaseUntilNanos == Ownership.FOREVER) {
            return;
        }
        long now = System.nanoTime();
        if (leaseUntilNanos - now > 0) {
            return;
        }
        long until = ownership.validUntilNanos(cameraId, now);
        if (until != Ownership.FOREVER && until - now <= 0) {
            throw new LeaseRanOut();
        }
        leaseUntilNanos = until;
    }

    /**
     * The lease ran out: stop at once. The open segment (and one left by a storage error) is cut back to the last
     * point its sidecar holds, which is never past the progress mark (the mark is written before the sidecar), so
     * the recorder that resumes after the mark writes none of its frames again. Nothing more is acknowledged or
     * marked: the frames after the mark stay in the stream for that recorder.
     */
    private void fenced() {
        LOG.warnf("the lease of %s ran out on this recorder's clock: writing stops here, the open segment is cut "
                + "back to its last durable point and the rest is left to the next owner", cameraId);
        toAck = null;
        OpenSegment s = segment;
        segment = null;
        if (s != null) {
            toCutBack = s.abandon();
        }
        Recording r = toCutBack;
        toCutBack = null;
        if (r != null && unconfirmed != null && unconfirmed.id().equals(r.id()) && landed(unconfirmed)) {
            // the last mark's write failed but landed: the file keeps what it says (it was forced before)
            r = unconfirmed;
        }
        if (r != null) {
            try {
                index.cutBack(r, "the lease ran out");
            } catch (IOException | RuntimeException e) {
                LOG.warnf("cannot cut %s back to its last durable point: %s", r.path(), e.getMessage());
            }
        }
        metrics.leaseLost();
        listener.leaseLost(cameraId);
    }

    /** The shared progress mark of a flush or a close could not be stored: the sidecar must not say more. */
    private static final class MarkNotStored extends RuntimeException {
        MarkNotStored() {
            super("the progress mark was not stored", null, false, false);
        }
    }

    /** The camera's lease is no longer valid: nothing more may be written, flushed, marked or acknowledged. */
    private static final class LeaseRanOut extends RuntimeException {
        LeaseRanOut() {
            super("the lease ran out", null, false, false);
        }
    }

    private static String describe(Throwable e) {
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }
}
