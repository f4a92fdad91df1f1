package io.github.cctv.recorder.domain.recording;

import io.github.cctv.protocol.event.CameraEvent;
import io.github.cctv.protocol.event.RecordingCommand;
import io.github.cctv.protocol.event.RecordingReply;
import io.github.cctv.protocol.event.RecordingState;
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
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Which cameras are recorded, against in-memory ports: no NATS, no FFmpeg. */
class RecordingManagerTest {

    static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");
    static final Duration PRE_ROLL = Duration.ofSeconds(5);
    static final Duration LOOKBACK = Duration.ofSeconds(4);

    @TempDir
    Path root;

    final FakeFrameSource source = new FakeFrameSource();
    final MemoryWriters writers = new MemoryWriters();
    final MemoryPorts.Events events = new MemoryPorts.Events();
    final MemoryPorts.StateStore store = new MemoryPorts.StateStore();
    final MemoryPorts.Registry registry = new MemoryPorts.Registry();
    RecordingManager manager;

    RecordingManager manager(Set<String> alwaysRecord) {
        RecordingIndex index = new RecordingIndex(new RecordingLayout(root, ZoneId.of("UTC")),
                file -> new SegmentProbe.Result(0, 0));
        manager = new RecordingManager(new CameraRecorder.Settings(Duration.ofMinutes(10), Duration.ofMillis(50), 16,
                Duration.ofMillis(20), LOOKBACK, Duration.ofMillis(20), Duration.ofMillis(100)), PRE_ROLL, alwaysRecord, source, writers, index, events, store, registry,
                new RecorderMetrics(new SimpleMeterRegistry()), Clock.fixed(NOW, ZoneOffset.UTC));
        return manager;
    }

    @AfterEach
    void shutdown() {
        if (manager != null) {
            manager.shutdown();
        }
    }

    @Test
    void startsAKnownCameraWithThePreRollAndKeepsTheDesiredState() {
        registry.known.add("cam1");
        RecordingManager m = manager(Set.of());
        source.addFrames("cam1", 0, 8, NOW.minusSeconds(8), 1000); // one a second from 8 s ago

        RecordingReply reply = m.handle("cam1", new RecordingCommand(RecordingCommand.START, "alice"));

        assertThat(reply.result()).isEqualTo(RecordingReply.STARTED);
        assertThat(reply.recording()).isTrue();
        assertThat(reply.since()).isEqualTo(NOW);
        assertThat(store.states.get("cam1")).isEqualTo(new RecordingState("cam1", true, NOW, "alice"));
        assertThat(events.of("cam1", CameraEvent.RecordingStarted.class)).singleElement()
                .satisfies(e -> assertThat(e.preRollSeconds()).isEqualTo(5));
        await().atMost(Duration.ofSeconds(5)).until(() -> !source.opened.isEmpty());
        assertThat(source.opened.get(0).startAt()).isEqualTo(NOW.minus(PRE_ROLL).minus(LOOKBACK));
        // the frames of the 5 s before the start: 3..7
        await().atMost(Duration.ofSeconds(5)).until(() -> writers.seqs("cam1").size() == 5);
        assertThat(writers.seqs("cam1")).containsExactly(3L, 4L, 5L, 6L, 7L);
        assertThat(m.handle("cam1", new RecordingCommand(RecordingCommand.START, null)).result())
                .isEqualTo(RecordingReply.ALREADY_RECORDING);
    }

    @Test
    void aCommandThatArrivesAfterItsDeadlineIsNotCarriedOut() {
        registry.known.add("cam1");
        RecordingManager m = manager(Set.of());
        RecordingReply late = m.handle("cam1", new RecordingCommand(RecordingCommand.START, "alice", NOW.minusMillis(1)));
        assertThat(late.result()).isEqualTo(RecordingReply.EXPIRED);
        assertThat(late.recording()).isFalse();
        assertThat(store.states).doesNotContainKey("cam1");
        assertThat(events.of("cam1", CameraEvent.RecordingStarted.class)).isEmpty();
        assertThat(m.handle("cam1", new RecordingCommand(RecordingCommand.START, "alice", NOW.plusSeconds(2))).result())
                .as("in time").isEqualTo(RecordingReply.STARTED);
    }

    @Test
    void refusesUnknownCamerasInvalidIdsAndUnknownActionsWithAReason() {
        RecordingManager m = manager(Set.of());
        RecordingReply unknown = m.start("never-seen", "operator");
        assertThat(unknown.result()).isEqualTo(RecordingReply.INVALID);
        assertThat(unknown.message()).contains("never-seen").contains("unknown");
        assertThat(m.handle("a.b", new RecordingCommand(RecordingCommand.START, null)).result()).isEqualTo(RecordingReply.INVALID);
        assertThat(m.handle("cam1", new RecordingCommand("dance", null)).message()).contains("dance");
        assertThat(m.handle("cam1", new RecordingCommand(null, null)).message()).contains("missing action");
        assertThat(source.opened).isEmpty();
        assertThat(store.states).isEmpty();
    }

    @Test
    void stopClosesTheFileStoresTheStopAndForgetsTheStreamPosition() {
        registry.known.add("cam1");
        RecordingManager m = manager(Set.of());
        source.addFrames("cam1", 0, 3, NOW.minusSeconds(1), 100);
        m.start("cam1", "alice");
        await().atMost(Duration.ofSeconds(5)).until(() -> writers.seqs("cam1").size() == 3);

        RecordingReply reply = m.stop("cam1", "bob");

        assertThat(reply.result()).isEqualTo(RecordingReply.STOPPED);
        assertThat(reply.recording()).isFalse();
        assertThat(writers.of("cam1")).allSatisfy(w -> assertThat(w.closed).isTrue());
        assertThat(store.states.get("cam1").recording()).isFalse();
        assertThat(store.states.get("cam1").by()).isEqualTo("bob");
        assertThat(source.forgotten).containsExactly("cam1");
        assertThat(events.of("cam1", CameraEvent.RecordingStopped.class)).singleElement()
                .satisfies(e -> assertThat(e.reason()).isEqualTo("operator"));
        assertThat(m.stop("cam1", "bob").result()).isEqualTo(RecordingReply.NOT_RECORDING);
    }

    @Test
    void resumesWhatTheStoreSaysAndStartsTheAlwaysRecordCameras() {
        Instant since = NOW.minusSeconds(3600);
        store.put(new RecordingState("cam1", true, since, "alice"));
        store.put(new RecordingState("cam2", false, since, "alice"));
        RecordingManager m = manager(Set.of("yard"));

        m.resume();

        await().atMost(Duration.ofSeconds(5)).until(() -> source.opened.size() == 2);
        assertThat(source.opened).extracting(FakeFrameSource.Opened::cameraId).containsExactlyInAnyOrder("cam1", "yard");
        assertThat(source.opened).filteredOn(o -> o.cameraId().equals("cam1")).singleElement()
                .satisfies(o -> assertThat(o.startAt()).isEqualTo(since.minus(PRE_ROLL).minus(LOOKBACK)));
        assertThat(store.states.get("yard")).isEqualTo(new RecordingState("yard", true, NOW, "config"));
        assertThat(m.states()).extracting(RecordingState::cameraId, RecordingState::recording)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("cam1", true), org.assertj.core.groups.Tuple.tuple("cam2", false),
                        org.assertj.core.groups.Tuple.tuple("yard", true));
        assertThat(events.of("yard", CameraEvent.RecordingStarted.class)).hasSize(1);
        assertThat(events.of("cam1", CameraEvent.RecordingStarted.class)).as("a resumed recording was started before").isEmpty();
    }

    @Test
    void aStorageErrorInterruptsThatCameraOnlyAndSaysWhyUntilItResumesByItself() {
        registry.known.add("broken");
        registry.known.add("good");
        writers.failOpening(p -> p.getFileName().toString().startsWith("broken_"));
        RecordingManager m = manager(Set.of());
        source.addFrames("broken", 0, 3, NOW.minusSeconds(1), 100);
        source.addFrames("good", 0, 3, NOW.minusSeconds(1), 100);
        m.start("broken", "alice");
        m.start("good", "alice");

        await().atMost(Duration.ofSeconds(5)).until(() -> !events.of("broken", CameraEvent.RecordingFailed.class).isEmpty());
        await().atMost(Duration.ofSeconds(5)).until(() -> writers.seqs("good").size() == 3);

        assertThat(events.of("broken", CameraEvent.RecordingFailed.class).get(0).message()).contains("permission denied");
        assertThat(events.of("broken", CameraEvent.RecordingStopped.class)).as("interrupted, not stopped").isEmpty();
        assertThat(store.states.get("broken").recording()).as("still wanted").isTrue();
        assertThat(m.failures()).containsOnlyKeys("broken");
        assertThat(m.failures().get("broken")).contains("retrying").contains("permission denied");
        assertThat(m.handle("broken", new RecordingCommand(RecordingCommand.STATUS, null)).recording()).isTrue();
        assertThat(m.handle("good", new RecordingCommand(RecordingCommand.STATUS, null)).recording()).isTrue();
        assertThat(m.openRecordings()).hasSize(1);

        writers.failOpening(p -> false);
        await().atMost(Duration.ofSeconds(5)).until(() -> !events.of("broken", CameraEvent.RecordingResumed.class).isEmpty());
        assertThat(events.of("broken", CameraEvent.RecordingResumed.class)).singleElement()
                .satisfies(e -> assertThat(e.error()).contains("permission denied"));
        assertThat(m.failures()).isEmpty();
        await().atMost(Duration.ofSeconds(5)).until(() -> writers.seqs("broken").size() == 3);
    }

    @Test
    void anAlwaysRecordCameraResumesByItselfWhenTheDiskHasSpaceAgain() {
        writers.diskFull(true);
        RecordingManager m = manager(Set.of("yard"));
        java.util.concurrent.atomic.AtomicInteger trouble = new java.util.concurrent.atomic.AtomicInteger();
        m.onStorageTrouble(trouble::incrementAndGet);
        source.addFrames("yard", 0, 5, NOW, 100); // received from the start on
        m.resume();
        await().atMost(Duration.ofSeconds(5)).until(() -> !events.of("yard", CameraEvent.RecordingFailed.class).isEmpty());
        assertThat(trouble.get()).as("retention asked to make room").isEqualTo(1);
        assertThat(m.failures()).containsOnlyKeys("yard");
        assertThat(store.states.get("yard").recording()).isTrue();

        writers.diskFull(false);
        await().atMost(Duration.ofSeconds(5)).until(() -> !events.of("yard", CameraEvent.RecordingResumed.class).isEmpty());
        assertThat(m.failures()).isEmpty();
        assertThat(m.states()).extracting(RecordingState::recording).containsExactly(true);
    }
}
