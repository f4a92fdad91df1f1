package io.github.cctv.recorder.domain.recording;

import io.github.cctv.protocol.EpochMicros;
import io.github.cctv.protocol.event.CameraEvent;
import io.github.cctv.recorder.domain.store.Recording;
import io.github.cctv.recorder.domain.store.RecordingIndex;
import io.github.cctv.recorder.domain.store.RecordingLayout;
import io.github.cctv.recorder.domain.store.SegmentProbe;
import io.github.cctv.recorder.health.RecorderMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
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

    @TempDir
    Path root;

    final FakeFrameSource source = new FakeFrameSource();
    final MemoryWriters writers = new MemoryWriters();
    final MemoryPorts.Events events = new MemoryPorts.Events();
    final List<String> failures = new CopyOnWriteArrayList<>();
    final List<CameraRecorder> started = new ArrayList<>();
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
                Duration.ofMillis(20)), source, writers, index(), events, new RecorderMetrics(new SimpleMeterRegistry()),
                Clock.fixed(NOW, ZoneOffset.UTC), (cam, message) -> failures.add(cam + ": " + message), startAt, resume);
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
        // with an hour's flush interval nothing is flushed, so nothing is acknowledged, until the stop flushes
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
            assertThat(o.startAt()).isEqualTo(startAt);
            assertThat(o.afterSeq()).isZero();
        });
        assertThat(writers.seqs(CAM)).isEqualTo(range(10, 20));
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
    void anUnwritableFileEndsTheRecordingWithAFailureAndLeavesNoOpenEntry() {
        writers.failOpening(p -> true);
        source.addFrames(CAM, 0, 3, T0, 40);
        CameraRecorder r = recorder();
        await().atMost(Duration.ofSeconds(5)).until(() -> !failures.isEmpty());
        assertThat(r.awaitStopped(Duration.ofSeconds(5))).isTrue();
        assertThat(failures).singleElement().asString().contains(CAM).contains("permission denied");
        assertThat(recordings()).noneMatch(Recording::open);
        assertThat(source.acked(CAM)).isZero();
    }
}
