package io.github.cctv.recorder.domain.recording;

import io.github.cctv.protocol.EpochMicros;
import io.github.cctv.protocol.event.CameraEvent;
import io.github.cctv.recorder.domain.retention.RetentionPolicy;
import io.github.cctv.recorder.domain.store.Recording;
import io.github.cctv.recorder.domain.store.RecordingIndex;
import io.github.cctv.recorder.domain.store.RecordingLayout;
import io.github.cctv.recorder.domain.store.SegmentProbe;
import io.github.cctv.recorder.health.RecorderMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** One camera's recorder against in-memory ports: no NATS, no FFmpeg. */
class CameraRecorderTest {

    static final String CAM = "cam1";
    /** The server's clock: every frame below was received before it, so a stop now keeps them all. */
    static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");
    static final Instant T0 = NOW.minusSeconds(60);
    static final Duration LOOKBACK = Duration.ofSeconds(4);

    @TempDir
    Path root;

    final FakeFrameSource source = new FakeFrameSource();
    final MemoryWriters writers = new MemoryWriters();
    final MemoryPorts.Events events = new MemoryPorts.Events();
    final List<String> failures = new CopyOnWriteArrayList<>();
    final List<String> interruptions = new CopyOnWriteArrayList<>();
    final List<String> resumptions = new CopyOnWriteArrayList<>();
    final List<CameraRecorder> started = new ArrayList<>();
    final CameraRecorder.Listener listener = new CameraRecorder.Listener() {
        @Override
        public void failed(String cameraId, String message) {
            failures.add(cameraId + ": " + message);
        }

        @Override
        public void interrupted(String cameraId, Instant at, String message) {
            interruptions.add(cameraId + ": " + message);
        }

        @Override
        public void resumed(String cameraId, Instant failedAt, String message) {
            resumptions.add(cameraId + ": " + message);
        }
    };
    RecordingIndex index;

    RecordingIndex index() {
        if (index == null) {
            SegmentProbe probe = file -> new SegmentProbe.Result(0, 0);
            index = new RecordingIndex(new RecordingLayout(root, ZoneId.of("UTC")), probe);
        }
        return index;
    }

    CameraRecorder recorder(Duration segmentLength, Duration flushInterval, Instant startAt, boolean resume) {
        CameraRecorder r = new CameraRecorder(CAM, new CameraRecorder.Settings(segmentLength, flushInterval, 16,
                Duration.ofMillis(20), LOOKBACK, Duration.ofMillis(20), Duration.ofMillis(100)), source, writers,
                index(), events, new RecorderMetrics(new SimpleMeterRegistry()), Clock.fixed(NOW, ZoneOffset.UTC),
                listener, startAt, resume);
        started.add(r);
        r.start();
        return r;
    }

    CameraRecorder recorder() {
        return recorder(Duration.ofMinutes(10), Duration.ofMillis(50), T0, false);
    }

    @AfterEach
    void stopAll() {
        started.forEach(r -> r.requestStop(false));
        started.forEach(r -> r.awaitStopped(Duration.ofSeconds(5)));
    }

    List<Recording> recordings() {
        List<Recording> list = new ArrayList<>(index().list(CAM, null, null, 1000));
        list.sort(Comparator.comparing(Recording::start));
        return list;
    }

    static List<Long> range(long from, long to) {
        return LongStream.range(from, to).boxed().toList();
    }

    void stop(CameraRecorder r, boolean forget) {
        r.requestStop(forget);
        assertThat(r.awaitStopped(Duration.ofSeconds(5))).isTrue();
    }

    /** What the shared progress was told, and what the sidecar and the acknowledgements said at that moment. */
    record Marked(long seq, Recording segment, long sidecarSeq, boolean sidecarOpen, long acked) {
    }

    final List<Marked> marks = new CopyOnWriteArrayList<>();
    volatile long sharedMark;

    final RecordingProgress progress = new RecordingProgress() {
        @Override
        public long writtenUpTo(String cameraId) {
            return sharedMark;
        }

        @Override
        public void written(String cameraId, long streamSeq, Recording segment) {
            long sidecar = segment == null ? -1
                    : index().get(segment.id()).map(Recording::lastStreamSeq).orElse(-1L);
            boolean open = segment != null && index().get(segment.id()).map(Recording::open).orElse(true);
            marks.add(new Marked(streamSeq, segment, sidecar, open, source.acked(cameraId)));
        }
    };

    CameraRecorder sharedRecorder(Instant startAt, boolean resume) {
        CameraRecorder r = new CameraRecorder(CAM, new CameraRecorder.Settings(Duration.ofMinutes(10),
                Duration.ofMillis(30), 4, Duration.ofMillis(20), LOOKBACK, Duration.ofMillis(20), Duration.ofMillis(100)),
                source, writers, index(), events, new RecorderMetrics(new SimpleMeterRegistry()),
                Clock.fixed(NOW, ZoneOffset.UTC), listener, startAt, resume, progress);
        started.add(r);
        r.start();
        return r;
    }

    @Test
    void eachFlushIsMarkedAfterTheFileIsForcedBeforeItsSidecarAndBeforeItsFramesAreAcknowledged() {
        source.addFrames(CAM, 0, 12, T0, 40);
        CameraRecorder r = sharedRecorder(T0, false);
        await().atMost(Duration.ofSeconds(5)).until(() -> writers.seqs(CAM).size() == 12 && source.acked(CAM) == 12);
        source.addFrames(CAM, 12, 8, T0, 40);
        await().atMost(Duration.ofSeconds(5)).until(() -> source.acked(CAM) == 20);
        stop(r, false);

        assertThat(marks).isNotEmpty();
        assertThat(marks).extracting(Marked::seq).isSorted();
        assertThat(marks.get(marks.size() - 1).seq()).isEqualTo(20);
        for (Marked m : marks) {
            assertThat(m.segment().lastStreamSeq()).as("the marked entry holds the marked frames").isEqualTo(m.seq());
            if (m.segment().open()) {
                assertThat(m.sidecarSeq()).as("the sidecar is written after the mark").isLessThan(m.seq());
                assertThat(m.acked()).as("frames are acknowledged after the mark").isLessThan(m.seq());
            } else {
                assertThat(m.sidecarOpen()).as("the closed sidecar is written after the mark of the close").isTrue();
            }
        }
        assertThat(marks.get(marks.size() - 1).segment().open()).as("the close is marked too").isFalse();
    }

    @Test
    void onceItsLeaseIsNoLongerValidItWritesMarksAndAcknowledgesNothingMoreAndKeepsOnlyWhatIsMarked() {
        List<String> lost = new CopyOnWriteArrayList<>();
        java.util.concurrent.atomic.AtomicBoolean valid = new java.util.concurrent.atomic.AtomicBoolean(true);
        Ownership lease = new Ownership() {
            @Override
            public boolean claim(String cameraId) {
                return true;
            }

            @Override
            public void release(String cameraId) {
            }

            @Override
            public boolean valid(String cameraId) {
                return valid.get();
            }
        };
        CameraRecorder.Listener listening = new CameraRecorder.Listener() {
            @Override
            public void failed(String cameraId, String message) {
                failures.add(cameraId + ": " + message);
            }

            @Override
            public void interrupted(String cameraId, Instant at, String message) {
            }

            @Override
            public void resumed(String cameraId, Instant failedAt, String message) {
            }

            @Override
            public void leaseLost(String cameraId) {
                lost.add(cameraId);
            }
        };
        source.addFrames(CAM, 0, 12, T0, 40);
        CameraRecorder r = new CameraRecorder(CAM, new CameraRecorder.Settings(Duration.ofMinutes(10),
                Duration.ofMillis(30), 4, Duration.ofMillis(20), LOOKBACK, Duration.ofMillis(20), Duration.ofMillis(100)),
                source, writers, index(), events, new RecorderMetrics(new SimpleMeterRegistry()),
                Clock.fixed(NOW, ZoneOffset.UTC), listening, T0, false, progress, lease);
        started.add(r);
        r.start();
        await().atMost(Duration.ofSeconds(5)).until(() -> source.acked(CAM) == 12
                && !marks.isEmpty() && marks.get(marks.size() - 1).seq() == 12);
        int marksBefore = marks.size();

        valid.set(false); // paused past the lease: another recorder resumes after the mark, 12
        source.addFrames(CAM, 12, 8, T0.plusMillis(480), 40);
        assertThat(r.awaitStopped(Duration.ofSeconds(5))).as("the recording ended by itself").isTrue();

        assertThat(lost).containsExactly(CAM);
        assertThat(failures).isEmpty();
        assertThat(writers.seqs(CAM)).as("nothing written after the lease ran out").isEqualTo(range(0, 12));
        assertThat(source.acked(CAM)).as("nothing more acknowledged: the rest is left to the taker").isEqualTo(12);
        assertThat(marks).as("nothing more marked").hasSize(marksBefore);
        assertThat(recordings()).singleElement().satisfies(rec -> {
            assertThat(rec.lastStreamSeq()).as("the file keeps no frame past the mark").isEqualTo(12);
            assertThat(rec.frames()).isEqualTo(12);
        });
    }

    @Test
    void aResumedRecordingStartsAfterTheSharedMarkWhenItIsAheadOfThisDisk() {
        source.addFrames(CAM, 0, 30, T0, 40);
        sharedMark = 18; // another recorder recorded up to there (or this one's newer files were deleted)
        sharedRecorder(T0, true);

        await().atMost(Duration.ofSeconds(5)).until(() -> writers.seqs(CAM).size() == 12);
        assertThat(source.opened).singleElement().satisfies(o -> {
            assertThat(o.afterSeq()).isEqualTo(18);
            assertThat(o.resumed()).isTrue();
        });
        assertThat(writers.seqs(CAM)).isEqualTo(range(18, 30));
    }

    @Test
    void onceCaughtUpWithALiveCameraItReadsItsFramesSeveralAtATimeRatherThanWakingForEach() throws Exception {
        CameraRecorder r = recorder();
        int frames = 100;
        Thread camera = new Thread(() -> {
            for (int i = 0; i < frames; i++) {
                source.addFrames(CAM, i, 1, T0, 10);
                try {
                    Thread.sleep(10); // 100 frames a second, one by one
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        camera.start();
        camera.join();
        await().atMost(Duration.ofSeconds(5)).until(() -> writers.seqs(CAM).size() == frames);
        stop(r, false);

        assertThat(writers.seqs(CAM)).isEqualTo(range(0, frames));
        // a second of frames read every batch wait (100 ms) is about ten reads, plus the empty ones while the
        // recorder waited for the first frame; a read per frame would be a hundred
        assertThat(source.polls.get()).as("reads of the stream").isLessThan(frames / 3);
    }

    @Test
    void writesEveryFrameInOrderTimedByItsCaptureTime() {
        source.addFrames(CAM, 0, 10, T0, 40);
        CameraRecorder r = recorder();
        await().atMost(Duration.ofSeconds(5)).until(() -> writers.seqs(CAM).size() == 10);
        stop(r, false);

        MemoryWriters.Writer w = writers.opened.get(0);
        assertThat(w.seqs()).isEqualTo(range(0, 10));
        assertThat(w.frames).extracting(MemoryWriters.Written::ptsMs).containsExactly(0L, 40L, 80L, 120L, 160L, 200L,
                240L, 280L, 320L, 360L);
        assertThat(w.width).isEqualTo(320);
        assertThat(w.closed).isTrue();
        Recording rec = recordings().get(0);
        assertThat(rec.open()).isFalse();
        assertThat(rec.frames()).isEqualTo(10);
        assertThat(rec.start()).isEqualTo(T0);
        assertThat(rec.end()).isEqualTo(T0.plusMillis(360));
        assertThat(rec.lastStreamSeq()).isEqualTo(10);
        assertThat(events.of(CAM, CameraEvent.SegmentCompleted.class)).singleElement()
                .satisfies(e -> assertThat(e.frames()).isEqualTo(10));
    }

    @Test
    void acknowledgesNothingBeforeItHasFlushed() {
        source.addFrames(CAM, 0, 10, T0, 40);
        CameraRecorder r = recorder(Duration.ofMinutes(10), Duration.ofHours(1), T0, false);
        await().atMost(Duration.ofSeconds(5)).until(() -> writers.seqs(CAM).size() == 10);
        // the next flush is an hour away: nothing is acknowledged before it
        long ackedBeforeStop = source.acked(CAM);
        assertThat(ackedBeforeStop).isLessThan(10);
        assertThat(ackedBeforeStop).isLessThanOrEqualTo(writers.opened.get(0).flushedFrames);
        stop(r, false);
        assertThat(source.acked(CAM)).isEqualTo(10);
    }

    @Test
    void rollsOverToANewSegmentByCaptureTimeWithoutLosingAFrameAtTheBoundary() {
        source.addFrames(CAM, 0, 60, T0, 40); // 2.4 s
        CameraRecorder r = recorder(Duration.ofSeconds(1), Duration.ofMillis(50), T0, false);
        await().atMost(Duration.ofSeconds(5)).until(() -> writers.seqs(CAM).size() == 60);
        stop(r, false);

        assertThat(writers.of(CAM)).extracting(w -> w.frames.size()).containsExactly(25, 25, 10);
        assertThat(writers.of(CAM)).allSatisfy(w -> {
            assertThat(w.frames.get(0).ptsMs()).isZero();
            assertThat(w.closed).isTrue();
        });
        assertThat(writers.seqs(CAM)).isEqualTo(range(0, 60));
        assertThat(recordings()).hasSize(3).allSatisfy(rec -> assertThat(rec.open()).isFalse());
        assertThat(events.of(CAM, CameraEvent.SegmentCompleted.class)).extracting(CameraEvent.SegmentCompleted::frames)
                .containsExactly(25L, 25L, 10L);
    }

    @Test
    void startsANewSegmentWhenThePictureSizeChanges() {
        long us = EpochMicros.of(T0);
        source.add(CAM, 0, us, us, 320, 240);
        source.add(CAM, 1, us + 40_000, us + 40_000, 320, 240);
        source.add(CAM, 2, us + 80_000, us + 80_000, 640, 480);
        CameraRecorder r = recorder();
        await().atMost(Duration.ofSeconds(5)).until(() -> writers.seqs(CAM).size() == 3);
        stop(r, false);
        assertThat(writers.of(CAM)).extracting(w -> w.width + "x" + w.height + ":" + w.frames.size())
                .containsExactly("320x240:2", "640x480:1");
    }

    @Test
    void anOperatorsStartTakesThePreRollByTime() {
        source.addFrames(CAM, 0, 20, T0, 500); // 10 s of frames, 2 a second
        Instant startAt = T0.plusSeconds(5);
        CameraRecorder r = recorder(Duration.ofMinutes(10), Duration.ofMillis(50), startAt, false);
        await().atMost(Duration.ofSeconds(5)).until(() -> writers.seqs(CAM).size() == 10);
        stop(r, false);
        assertThat(source.opened).first().satisfies(o -> {
            assertThat(o.startAt()).as("a keyframe interval before the pre-roll point").isEqualTo(startAt.minus(LOOKBACK));
            assertThat(o.afterSeq()).isZero();
        });
        assertThat(writers.seqs(CAM)).as("from the frame at the point, a keyframe").isEqualTo(range(10, 20));
    }

    @Test
    void aResumedRecordingContinuesAfterTheNewestFrameOnDiskAndNeverWritesOneTwice() throws Exception {
        source.addFrames(CAM, 0, 10, T0, 40);
        CameraRecorder first = recorder();
        await().atMost(Duration.ofSeconds(5)).until(() -> writers.seqs(CAM).size() == 10);
        stop(first, false);
        source.addFrames(CAM, 10, 10, T0, 40);

        CameraRecorder again = recorder(Duration.ofMinutes(10), Duration.ofMillis(50), T0, true);
        await().atMost(Duration.ofSeconds(5)).until(() -> writers.seqs(CAM).size() == 20);
        stop(again, false);
        assertThat(source.opened.get(1).afterSeq()).isEqualTo(10);
        assertThat(writers.seqs(CAM)).isEqualTo(range(0, 20));
        assertThat(source.acked(CAM)).isEqualTo(20);
    }

    @Test
    void reopensTheStreamAfterTheLastWrittenFrameWhenItGoesAway() {
        source.addFrames(CAM, 0, 10, T0, 40);
        CameraRecorder r = recorder();
        await().atMost(Duration.ofSeconds(5)).until(() -> writers.seqs(CAM).size() == 10);
        source.failNextPoll();
        await().atMost(Duration.ofSeconds(5)).until(() -> source.opened.size() == 2);
        assertThat(source.opened.get(1).afterSeq()).isEqualTo(10);
        assertThat(source.opened.get(1).resumed()).isTrue();
        source.addFrames(CAM, 10, 10, T0, 40);
        await().atMost(Duration.ofSeconds(5)).until(() -> writers.seqs(CAM).size() == 20);
        stop(r, false);
        assertThat(writers.seqs(CAM)).isEqualTo(range(0, 20));
    }

    @Test
    void aStreamReopenedByTimeOverFramesAlreadyWrittenWritesNoneOfThemTwice() {
        source.addFrames(CAM, 0, 10, T0, 40);
        CameraRecorder r = recorder();
        await().atMost(Duration.ofSeconds(5)).until(() -> writers.seqs(CAM).size() == 10);
        source.lagging(true); // the stream's view after a node loss says the last written frame is beyond its end
        source.failNextPoll();
        await().atMost(Duration.ofSeconds(5)).until(() -> source.opened.size() == 2);
        assertThat(source.opened.get(1).resumed()).as("reopened by time, from the start again").isFalse();
        source.addFrames(CAM, 10, 10, T0, 40);
        await().atMost(Duration.ofSeconds(5)).until(() -> source.acked(CAM) == 20);
        stop(r, false);
        assertThat(writers.seqs(CAM)).as("each frame once, in order").isEqualTo(range(0, 20));
    }

    @Test
    void whileTheSharedMarkCannotBeStoredTheSidecarAndTheAcknowledgementWaitAndAHandoverWaitsForItsMark() {
        java.util.concurrent.atomic.AtomicBoolean down = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.atomic.AtomicBoolean unanswered = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.atomic.AtomicLong mark = new java.util.concurrent.atomic.AtomicLong();
        RecordingProgress shared = new RecordingProgress() {
            @Override
            public long writtenUpTo(String cameraId) {
                if (down.get()) {
                    throw new IllegalStateException("no JetStream leader");
                }
                return mark.get();
            }

            @Override
            public void written(String cameraId, long streamSeq, Recording segment) {
                if (down.get()) {
                    throw new IllegalStateException("no JetStream leader");
                }
                mark.set(streamSeq);
                if (unanswered.get()) {
                    throw new IllegalStateException("timeout waiting for the answer");
                }
            }
        };
        CameraRecorder.Settings settings = new CameraRecorder.Settings(Duration.ofMinutes(10), Duration.ofMillis(30),
                4, Duration.ofMillis(20), LOOKBACK, Duration.ofMillis(20), Duration.ofMillis(100));
        source.addFrames(CAM, 0, 12, T0, 40);
        CameraRecorder r = new CameraRecorder(CAM, settings, source, writers, index(), events,
                new RecorderMetrics(new SimpleMeterRegistry()), Clock.fixed(NOW, ZoneOffset.UTC), listener, T0, false,
                shared);
        started.add(r);
        r.start();
        await().atMost(Duration.ofSeconds(5)).until(() -> source.acked(CAM) == 12 && mark.get() == 12);

        down.set(true); // the progress bucket does not answer (a NATS node's loss)
        source.addFrames(CAM, 12, 8, T0, 40);
        await().atMost(Duration.ofSeconds(5)).until(() -> writers.seqs(CAM).size() == 20);
        await().pollDelay(Duration.ofMillis(200)).atMost(Duration.ofSeconds(5)).until(() -> true);
        assertThat(recordings()).singleElement().satisfies(rec ->
                assertThat(rec.lastStreamSeq()).as("the sidecar says no more than the mark").isLessThanOrEqualTo(12));
        assertThat(source.acked(CAM)).as("nothing acknowledged past the mark").isEqualTo(12);
        r.requestStop(false); // handed over: its close waits for its mark
        assertThat(r.awaitStopped(Duration.ofMillis(300))).as("the close waits for its mark").isFalse();
        unanswered.set(true); // the bucket is back, but the answer to the close's mark is lost
        down.set(false);
        assertThat(r.awaitStopped(Duration.ofSeconds(5))).isTrue();

        assertThat(failures).isEmpty();
        assertThat(mark.get()).isEqualTo(20);
        assertThat(recordings()).singleElement().satisfies(rec -> {
            assertThat(rec.open()).isFalse();
            assertThat(rec.lastStreamSeq()).as("the disk keeps what the mark says").isEqualTo(20);
            assertThat(rec.frames()).isEqualTo(20);
        });
        unanswered.set(false);

        // the taker (another disk) resumes after the mark: every frame once in all
        source.addFrames(CAM, 20, 4, T0, 40);
        RecordingIndex first = index;
        index = new RecordingIndex(new RecordingLayout(root.resolve("other"), ZoneId.of("UTC")),
                file -> new SegmentProbe.Result(0, 0));
        CameraRecorder taker = new CameraRecorder(CAM, settings, source, writers, index, events,
                new RecorderMetrics(new SimpleMeterRegistry()), Clock.fixed(NOW, ZoneOffset.UTC), listener, T0, true,
                shared);
        started.add(taker);
        taker.start();
        await().atMost(Duration.ofSeconds(5)).until(() -> source.acked(CAM) == 24);
        stop(taker, false);
        long kept = first.list(CAM, null, null, 1000).stream().mapToLong(Recording::frames).sum()
                + index.list(CAM, null, null, 1000).stream().mapToLong(Recording::frames).sum();
        assertThat(kept).as("frames in the recordings of both disks").isEqualTo(24);
        assertThat(index.list(CAM, null, null, 1000)).singleElement().satisfies(rec -> {
            assertThat(rec.frames()).isEqualTo(4);
            assertThat(rec.lastStreamSeq()).isEqualTo(24);
        });
    }

    @Test
    void waitsForAFrameStreamThatDoesNotExistYet() {
        source.unavailable(true);
        CameraRecorder r = recorder();
        await().atMost(Duration.ofSeconds(5)).until(() -> source.opened.size() >= 3);
        source.unavailable(false);
        source.addFrames(CAM, 0, 5, T0, 40);
        await().atMost(Duration.ofSeconds(5)).until(() -> writers.seqs(CAM).size() == 5);
        stop(r, false);
        assertThat(failures).isEmpty();
    }

    @Test
    void aCameraThatDisconnectsGetsItsSegmentClosedAndANewOneWhenItReturns() {
        source.addFrames(CAM, 0, 10, T0, 40);
        CameraRecorder r = recorder();
        await().atMost(Duration.ofSeconds(5)).until(() -> writers.seqs(CAM).size() == 10);
        r.cameraDisconnected(EpochMicros.of(T0.plusSeconds(1)));
        await().atMost(Duration.ofSeconds(5)).until(() -> r.openRecordingId() == null);
        assertThat(writers.opened.get(0).closed).isTrue();
        assertThat(events.of(CAM, CameraEvent.SegmentCompleted.class)).hasSize(1);

        source.addFrames(CAM, 10, 10, T0.plusSeconds(2), 40);
        await().atMost(Duration.ofSeconds(5)).until(() -> writers.seqs(CAM).size() == 20);
        assertThat(r.openRecordingId()).isNotNull();
        stop(r, false);
        assertThat(writers.of(CAM)).extracting(w -> w.frames.size()).containsExactly(10, 10);
        assertThat(recordings()).hasSize(2);
    }

    @Test
    void aStopDuringWritingEndsAtTheStopAndClosesTheFile() {
        source.addFrames(CAM, 0, 10, T0, 40);
        // frames the server received after the stop (its clock says NOW) are not part of the recording
        long after = EpochMicros.of(NOW.plusSeconds(1));
        CameraRecorder r = recorder();
        await().atMost(Duration.ofSeconds(5)).until(() -> writers.seqs(CAM).size() == 10);
        r.requestStop(true);
        for (int i = 10; i < 20; i++) {
            source.add(CAM, i, after + i, after + i, 320, 240);
        }
        assertThat(r.awaitStopped(Duration.ofSeconds(5))).isTrue();

        assertThat(writers.seqs(CAM)).isEqualTo(range(0, 10));
        assertThat(writers.opened.get(0).closed).isTrue();
        assertThat(recordings()).singleElement().satisfies(rec -> {
            assertThat(rec.open()).isFalse();
            assertThat(rec.frames()).isEqualTo(10);
        });
        assertThat(source.acked(CAM)).isEqualTo(10);
        assertThat(source.forgotten).containsExactly(CAM);
    }

    @Test
    void aShutdownKeepsTheStreamPositionForTheNextRun() {
        source.addFrames(CAM, 0, 3, T0, 40);
        CameraRecorder r = recorder();
        await().atMost(Duration.ofSeconds(5)).until(() -> writers.seqs(CAM).size() == 3);
        stop(r, false);
        assertThat(source.forgotten).isEmpty();
    }

    @Test
    void anUnwritableFolderInterruptsTheRecordingUntilItCanBeWrittenAgain() {
        writers.failOpening(p -> true);
        source.addFrames(CAM, 0, 3, T0, 40);
        CameraRecorder r = recorder();
        await().atMost(Duration.ofSeconds(5)).until(() -> !interruptions.isEmpty());
        assertThat(interruptions).singleElement().asString().contains(CAM).contains("permission denied");
        assertThat(recordings()).noneMatch(Recording::open);
        assertThat(source.acked(CAM)).isZero();
        assertThat(source.opened.size()).as("retried").isGreaterThan(1);

        writers.failOpening(p -> false);
        await().atMost(Duration.ofSeconds(5)).until(() -> !resumptions.isEmpty());
        await().atMost(Duration.ofSeconds(5)).until(() -> source.acked(CAM) == 3);
        stop(r, false);
        assertThat(writers.seqs(CAM)).isEqualTo(range(0, 3));
        assertThat(failures).isEmpty();
        assertThat(interruptions).hasSize(1);
    }

    /** The frames each segment keeps by its index entry (a writer may have seen more, cut back after an error). */
    List<Long> keptFrames() {
        List<Long> out = new ArrayList<>();
        for (Recording rec : recordings()) {
            MemoryWriters.Writer w = writers.opened.stream()
                    .filter(x -> x.file.equals(index().layout().root().resolve(rec.path()))).findFirst().orElseThrow();
            out.addAll(w.seqs().subList(0, (int) rec.frames()));
        }
        return out;
    }

    @Test
    void aFullDiskInterruptsTheRecordingWhichResumesByItselfWithNoFrameLostOrTwice() throws Exception {
        source.addFrames(CAM, 0, 10, T0, 40);
        CameraRecorder r = recorder();
        await().atMost(Duration.ofSeconds(5)).until(() -> source.acked(CAM) == 10);
        writers.diskFull(true);
        source.addFrames(CAM, 10, 10, T0, 40);
        await().atMost(Duration.ofSeconds(5)).until(() -> !interruptions.isEmpty());
        assertThat(interruptions.get(0)).contains("No space left");
        // the segment was ended at its last flush: index and file agree, nothing is open
        Recording first = recordings().get(0);
        assertThat(first.open()).isFalse();
        assertThat(first.frames()).isEqualTo(10);
        assertThat(Files.size(index().layout().root().resolve(first.path()))).isEqualTo(first.bytes());
        long retries = source.opened.size();
        await().atMost(Duration.ofSeconds(5)).until(() -> source.opened.size() > retries + 1);

        writers.diskFull(false);
        await().atMost(Duration.ofSeconds(5)).until(() -> !resumptions.isEmpty());
        await().atMost(Duration.ofSeconds(5)).until(() -> source.acked(CAM) == 20);
        stop(r, false);
        assertThat(keptFrames()).isEqualTo(range(0, 20));
        assertThat(interruptions).hasSize(1);
        assertThat(failures).isEmpty();
        try (var files = Files.walk(root)) {
            assertThat(files.map(Path::toString)).noneMatch(f -> f.endsWith(".tmp"));
        }
    }

    @Test
    void anH264SegmentStartsOnAKeyframeAndTheFramesBeforeItAreAcknowledgedNotWritten() {
        source.addH264(CAM, 5, 30, T0, 40, 10); // frames 5..34, keyframes 10, 20, 30
        CameraRecorder r = recorder();
        await().atMost(Duration.ofSeconds(5)).until(() -> source.acked(CAM) == 30);
        stop(r, false);
        assertThat(writers.seqs(CAM)).isEqualTo(range(10, 35));
        assertThat(writers.opened.get(0).file.getFileName().toString()).endsWith(".mp4");
        assertThat(recordings()).singleElement().satisfies(rec -> assertThat(rec.path()).endsWith(".mp4"));
    }

    @Test
    void preRollStartsAtTheLastKeyframeAtOrBeforeThePreRollPoint() {
        source.addH264(CAM, 0, 60, T0, 100, 10); // 6 s, a keyframe every second
        Instant point = T0.plusMillis(2500);
        CameraRecorder r = recorder(Duration.ofMinutes(10), Duration.ofMillis(50), point, false);
        await().atMost(Duration.ofSeconds(5)).until(() -> source.acked(CAM) == 60);
        stop(r, false);
        assertThat(source.opened.get(0).startAt()).isEqualTo(point.minus(LOOKBACK));
        assertThat(writers.seqs(CAM)).isEqualTo(range(20, 60));
        assertThat(recordings().get(0).start()).as("the keyframe's ingest time").isEqualTo(T0.plusSeconds(2));
    }

    @Test
    void anH264SegmentThatReachedItsLengthEndsAtTheNextKeyframe() {
        source.addH264(CAM, 0, 60, T0, 100, 10);
        CameraRecorder r = recorder(Duration.ofMillis(2500), Duration.ofMillis(50), T0, false);
        await().atMost(Duration.ofSeconds(5)).until(() -> source.acked(CAM) == 60);
        stop(r, false);
        assertThat(writers.of(CAM)).extracting(w -> w.seqs().get(0) + ".." + w.seqs().get(w.seqs().size() - 1))
                .containsExactly("0..29", "30..59");
        assertThat(writers.seqs(CAM)).isEqualTo(range(0, 60));
    }

    @Test
    void aFullDiskInsideAGroupOfPicturesCutsTheSegmentBeforeItsLastKeyframeAndResumesOnIt() throws Exception {
        source.addH264(CAM, 0, 25, T0, 40, 10);
        CameraRecorder r = recorder();
        await().atMost(Duration.ofSeconds(5)).until(() -> source.acked(CAM) == 25);
        writers.diskFull(true);
        source.addH264(CAM, 25, 15, T0, 40, 10);
        await().atMost(Duration.ofSeconds(5)).until(() -> !interruptions.isEmpty());
        Recording first = recordings().get(0);
        assertThat(first.frames()).as("cut before keyframe 20").isEqualTo(20);
        assertThat(first.lastStreamSeq()).isEqualTo(20);
        assertThat(Files.size(index().layout().root().resolve(first.path()))).isEqualTo(first.bytes());

        writers.diskFull(false);
        await().atMost(Duration.ofSeconds(5)).until(() -> source.acked(CAM) == 40);
        stop(r, false);
        assertThat(keptFrames()).isEqualTo(range(0, 40));
        assertThat(writers.of(CAM).get(writers.of(CAM).size() - 1).seqs().get(0)).isEqualTo(20L);
    }

    @Test
    void aShutdownInsideAGroupOfPicturesWritesOnToTheNextKeyframe() {
        long us = EpochMicros.of(NOW) - 15 * 40_000;
        for (int i = 0; i < 15; i++) { // received before the stop
            source.add(CAM, i, us + i * 40_000, us + i * 40_000, 320, 240, "h264", i % 10 == 0);
        }
        CameraRecorder r = recorder();
        await().atMost(Duration.ofSeconds(5)).until(() -> writers.seqs(CAM).size() == 15);
        source.hold(true);
        for (int i = 15; i < 30; i++) { // after it
            source.add(CAM, i, us + i * 40_000, us + i * 40_000, 320, 240, "h264", i % 10 == 0);
        }
        r.requestStop(false);
        source.hold(false);
        assertThat(r.awaitStopped(Duration.ofSeconds(5))).isTrue();
        assertThat(writers.seqs(CAM)).isEqualTo(range(0, 20));
        assertThat(source.acked(CAM)).isEqualTo(20);
        assertThat(recordings()).singleElement().satisfies(rec -> assertThat(rec.lastStreamSeq()).isEqualTo(20));
    }

    @Test
    void aCameraFortyDaysBehindIsFiledUnderTodayAndKeptByRetention() {
        long behind = Duration.ofDays(40).toNanos() / 1000;
        long us = EpochMicros.of(T0);
        for (int i = 0; i < 10; i++) {
            source.add(CAM, i, us + i * 40_000 - behind, us + i * 40_000, 320, 240);
        }
        CameraRecorder r = recorder();
        await().atMost(Duration.ofSeconds(5)).until(() -> source.acked(CAM) == 10);
        stop(r, false);
        Recording rec = recordings().get(0);
        assertThat(rec.id()).isEqualTo(CAM + "_2026-11-25_11-59-00");
        assertThat(rec.start()).isEqualTo(T0);
        assertThat(rec.end()).isEqualTo(T0.plusMillis(360));
        assertThat(rec.firstCaptureUs()).as("the camera's time, kept").isEqualTo(us - behind);

        RetentionPolicy retention = new RetentionPolicy(index(), events, new RecorderMetrics(new SimpleMeterRegistry()),
                Clock.fixed(NOW, ZoneOffset.UTC), new RetentionPolicy.Limits(Duration.ofDays(30), 0, 0),
                new MemoryPorts.Disk(), Set::of);
        assertThat(retention.apply()).isZero();
        assertThat(recordings()).hasSize(1);
    }

    @Test
    void aCameraClockJumpingForwardDoesNotSplitTheSegmentNorTheTimeline() {
        long us = EpochMicros.of(T0);
        for (int i = 0; i < 60; i++) {
            long jump = i >= 40 ? Duration.ofDays(1).toNanos() / 1000 : i >= 20 ? 3_600_000_000L : 0;
            source.add(CAM, i, us + i * 40_000 + jump, us + i * 40_000, 320, 240);
        }
        CameraRecorder r = recorder(Duration.ofMinutes(10), Duration.ofMillis(50), T0, false);
        await().atMost(Duration.ofSeconds(5)).until(() -> source.acked(CAM) == 60);
        stop(r, false);
        assertThat(writers.of(CAM)).singleElement().satisfies(w -> {
            assertThat(w.frames).hasSize(60);
            List<Long> pts = w.frames.stream().map(MemoryWriters.Written::ptsMs).toList();
            assertThat(pts.get(59)).as("59 steps of 40 ms by the server's clock").isEqualTo(59 * 40L);
        });
    }

    @Test
    void absurdCaptureTimesAreFiledUnderTheIngestDateWithSaneTimestamps() {
        long us = EpochMicros.of(T0);
        long[] captures = {Long.MAX_VALUE, Long.MIN_VALUE, -1_000_000_000_000_000L, 0, Long.MAX_VALUE - 1, 1};
        for (int i = 0; i < 30; i++) {
            source.add(CAM, i, captures[i % captures.length], us + i * 40_000, 320, 240);
        }
        CameraRecorder r = recorder();
        await().atMost(Duration.ofSeconds(5)).until(() -> source.acked(CAM) == 30);
        stop(r, false);
        assertThat(recordings()).singleElement().satisfies(rec -> {
            assertThat(rec.id()).isEqualTo(CAM + "_2026-11-25_11-59-00");
            assertThat(rec.path()).startsWith(CAM + "/2026-11-25/");
            assertThat(rec.end()).isEqualTo(T0.plusMillis(29 * 40));
        });
        List<Long> pts = writers.opened.get(0).frames.stream().map(MemoryWriters.Written::ptsMs).toList();
        assertThat(pts).isSorted().doesNotHaveDuplicates();
        assertThat(pts.get(29)).isEqualTo(29 * 40L);
    }
}
