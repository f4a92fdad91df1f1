package io.github.cctv.recorder;

import io.github.cctv.protocol.event.CameraEvent;
import io.github.cctv.recorder.domain.recording.Frame;
import io.github.cctv.recorder.domain.recording.RecordingEvents;
import io.github.cctv.recorder.domain.recording.SegmentWriter;
import io.github.cctv.recorder.domain.retention.DiskSpace;
import io.github.cctv.recorder.domain.retention.RetentionPolicy;
import io.github.cctv.recorder.domain.store.Recording;
import io.github.cctv.recorder.domain.store.RecordingId;
import io.github.cctv.recorder.domain.store.RecordingIndex;
import io.github.cctv.recorder.domain.store.RecordingLayout;
import io.github.cctv.recorder.health.RecorderMetrics;
import io.github.cctv.recorder.media.FfmpegSegmentProbe;
import io.github.cctv.recorder.media.MkvCopyWriter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
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
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RetentionAndIndexTest {

    static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");

    @TempDir
    Path root;

    final List<CameraEvent> events = new CopyOnWriteArrayList<>();
    final RecordingEvents sink = events::add;

    /** Writes a real segment of {@code frames} frames starting at {@code start}. */
    private Recording segment(RecordingIndex index, String cam, Instant start, int frames, boolean open) throws Exception {
        RecordingId id = index.layout().newSegment(cam, start);
        Path file = index.layout().videoOf(id, "mkv");
        try (MkvCopyWriter w = new MkvCopyWriter(file, TestFrames.WIDTH, TestFrames.HEIGHT)) {
            for (int i = 0; i < frames; i++) {
                w.write(new Frame(cam, i + 1, i, 0, 0, TestFrames.WIDTH, TestFrames.HEIGHT, "jpeg", TestFrames.jpeg(i), 0, () -> { }), i * 40L);
            }
        }
        Recording r = new Recording(id.value(), cam, start, start.plusMillis((frames - 1) * 40L), frames, Files.size(file),
                index.layout().relative(file), open, frames);
        index.save(r);
        return r;
    }

    private RetentionPolicy policy(RecordingIndex index, Duration maxAge, long maxBytes, Set<String> open) {
        return new RetentionPolicy(index, sink, new RecorderMetrics(new SimpleMeterRegistry()),
                Clock.fixed(NOW, ZoneOffset.UTC), new RetentionPolicy.Limits(maxAge, maxBytes, 0), disk(Long.MAX_VALUE),
                () -> open);
    }

    /** A disk of {@code capacity} bytes holding only the files under the root. */
    private DiskSpace disk(long capacity) {
        return new DiskSpace() {
            @Override
            public long usableBytes() {
                try (var files = Files.walk(root)) {
                    return capacity - files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }

            @Override
            public long totalBytes() {
                return capacity;
            }
        };
    }

    @Test
    void aKeptRecordingSurvivesEveryRetentionRuleAndStaysKeptAfterARestart() throws Exception {
        RecordingLayout layout = new RecordingLayout(root, ZoneId.of("UTC"));
        RecordingIndex index = new RecordingIndex(layout, new FfmpegSegmentProbe());
        Recording evidence = segment(index, "cam1", NOW.minus(Duration.ofDays(40)), 5, false);
        Recording old = segment(index, "cam1", NOW.minus(Duration.ofDays(39)), 5, false);
        Recording recent = segment(index, "cam1", NOW.minusSeconds(60), 5, false);
        assertThat(index.setKept(evidence.id(), true).kept()).isTrue();
        Recording open = segment(index, "cam1", NOW, 5, true);
        assertThatThrownBy(() -> index.setKept(open.id(), true)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("still being written");

        // by age, then by a total size that only the kept one would satisfy, then by free space
        assertThat(policy(index, Duration.ofDays(30), 1, Set.of()).apply()).isEqualTo(2);
        assertThat(index.oldestFirst()).extracting(Recording::id).containsExactly(evidence.id(), open.id());
        assertThat(layout.videoOf(evidence)).isRegularFile();
        assertThat(events).extracting(e -> ((CameraEvent.RecordingDeleted) e).recordingId())
                .containsExactly(old.id(), recent.id());

        RecordingIndex reloaded = new RecordingIndex(layout, new FfmpegSegmentProbe());
        reloaded.load();
        assertThat(reloaded.get(evidence.id())).hasValueSatisfying(r -> assertThat(r.kept()).isTrue());
        reloaded.setKept(evidence.id(), false);
        assertThat(policy(reloaded, Duration.ofDays(30), 0, Set.of()).apply()).as("released, it goes by age").isEqualTo(1);
        assertThat(layout.videoOf(evidence)).doesNotExist();
    }

    @Test
    void minFreeDeletesTheOldestFinishedSegmentsUntilTheDiskHasThatMuchFreeAgain() throws Exception {
        RecordingIndex index = new RecordingIndex(new RecordingLayout(root, ZoneId.of("UTC")), new FfmpegSegmentProbe());
        Recording oldest = segment(index, "cam1", NOW.minusSeconds(3 * 3600), 5, false);
        Recording middle = segment(index, "cam2", NOW.minusSeconds(2 * 3600), 5, false);
        Recording newest = segment(index, "cam1", NOW.minusSeconds(3600), 5, false);
        Recording open = segment(index, "cam1", NOW.minusSeconds(4 * 3600), 5, true);
        long used = -disk(0).usableBytes(); // what the files take
        // a disk with room for all of it and a little: the minimum free space needs the two oldest finished ones gone
        long capacity = used + 1000;
        long minFree = 1000 + oldest.bytes() + middle.bytes() / 2;
        RetentionPolicy p = new RetentionPolicy(index, sink, new RecorderMetrics(new SimpleMeterRegistry()),
                Clock.fixed(NOW, ZoneOffset.UTC), new RetentionPolicy.Limits(Duration.ZERO, 0, minFree),
                disk(capacity), Set::of);
        assertThat(p.apply()).isEqualTo(2);
        assertThat(index.oldestFirst()).extracting(Recording::id).containsExactly(open.id(), newest.id());
        assertThat(events).extracting(e -> ((CameraEvent.RecordingDeleted) e).reason()).containsOnly("min-free");
        assertThat(disk(capacity).usableBytes()).isGreaterThanOrEqualTo(minFree);
        assertThat(p.apply()).as("nothing more to do").isZero();
    }

    @Test
    void anH264SegmentLeftOpenByACrashIsCutBackBeforeItsLastKeyframe() throws Exception {
        RecordingLayout layout = new RecordingLayout(root, ZoneId.of("UTC"));
        RecordingIndex index = new RecordingIndex(layout, new FfmpegSegmentProbe());
        RecordingId id = layout.newSegment("cam1", NOW);
        Path file = layout.videoOf(id, "mp4");
        List<H264TestStream.AccessUnit> units = H264TestStream.units(TestFrames.WIDTH, TestFrames.HEIGHT, 30, 45);
        SegmentWriter w = TestSegments.WRITERS.open(file, "h264", TestFrames.WIDTH, TestFrames.HEIGHT);
        long t0 = io.github.cctv.protocol.EpochMicros.of(NOW);
        Recording.Cut cut = null;
        for (int i = 0; i < 45; i++) {
            w.write(H264TestStream.frame("cam1", units.get(i), t0 + i * 33_333L, t0 + i * 33_333L, TestFrames.WIDTH,
                    TestFrames.HEIGHT), 0);
            if (i == 30) { // the keyframe: the file up to it holds frames 0..29, stream sequences 1..30
                cut = new Recording.Cut(w.lastKeyframeOffset(), 30, NOW.plusNanos(29 * 33_333_000L), 30, 0);
            }
        }
        w.flush();
        long flushed = Files.size(file);
        Recording.Cut atKey = cut;
        index.save(new Recording(id.value(), "cam1", NOW, NOW.plusNanos(44 * 33_333_000L), 45, flushed,
                layout.relative(file), true, 45, atKey, t0, t0));
        assertThat(atKey.bytes()).isBetween(1L, flushed - 1);
        // no close: the process died here; the next frames after 45 would have come from the stream

        RecordingIndex restarted = new RecordingIndex(layout, new FfmpegSegmentProbe());
        restarted.load();
        assertThat(restarted.get(id.value())).hasValueSatisfying(r -> {
            assertThat(r.open()).isFalse();
            assertThat(r.frames()).isEqualTo(30);
            assertThat(r.lastStreamSeq()).as("the restart continues on keyframe 30").isEqualTo(30);
            assertThat(r.bytes()).isEqualTo(atKey.bytes());
            assertThat(r.cut()).isNull();
        });
        assertThat(Files.size(file)).isEqualTo(atKey.bytes());
        assertThat(TestFrames.counters(TestFrames.decode(file))).isEqualTo(java.util.stream.IntStream.range(0, 30).boxed().toList());
        assertThat(MediaProbe.decodeErrors(file)).isEmpty();
        w.abort();
    }

    @Test
    void aSidecarWrittenBeforeCutPointsAndCameraTimesStillLoads() throws Exception {
        RecordingLayout layout = new RecordingLayout(root, ZoneId.of("UTC"));
        Recording r = segment(new RecordingIndex(layout, new FfmpegSegmentProbe()), "cam1", NOW, 3, false);
        Path sidecar = layout.sidecarOf(RecordingId.parse(r.id()));
        Files.writeString(sidecar, "{\"id\":\"" + r.id() + "\",\"cameraId\":\"cam1\",\"start\":\"" + NOW
                + "\",\"end\":\"" + r.end() + "\",\"frames\":3,\"bytes\":" + r.bytes() + ",\"path\":\"" + r.path()
                + "\",\"open\":false,\"lastStreamSeq\":3}");
        RecordingIndex restarted = new RecordingIndex(layout, new FfmpegSegmentProbe());
        restarted.load();
        assertThat(restarted.get(r.id())).hasValueSatisfying(back -> {
            assertThat(back.frames()).isEqualTo(3);
            assertThat(back.cut()).isNull();
            assertThat(back.firstCaptureUs()).isZero();
            assertThat(back.bytes()).isEqualTo(r.bytes());
        });
    }

    @Test
    void loadingRemovesSidecarsNeverCompletedAndIgnoresTheExportFolder() throws Exception {
        RecordingLayout layout = new RecordingLayout(root, ZoneId.of("UTC"));
        RecordingIndex index = new RecordingIndex(layout, new FfmpegSegmentProbe());
        Recording kept = segment(index, "cam1", NOW, 3, false);
        Path tmp = layout.sidecarOf(RecordingId.parse(kept.id())).resolveSibling(kept.id() + ".json.tmp");
        Files.write(tmp, new byte[0]);
        Path export = root.resolve(".exports").resolve("cam1_2026-11-25_12-00-00.mp4");
        Files.createDirectories(export.getParent());
        Files.write(export, new byte[100]);

        RecordingIndex restarted = new RecordingIndex(layout, new FfmpegSegmentProbe());
        restarted.load();
        assertThat(tmp).doesNotExist();
        assertThat(restarted.oldestFirst()).extracting(Recording::id).containsExactly(kept.id());
        assertThat(export).exists();
    }

    @Test
    void maxBytesDeletesTheOldestFirstAndNeverTheOpenSegment() throws Exception {
        RecordingIndex index = new RecordingIndex(new RecordingLayout(root, ZoneId.of("UTC")), new FfmpegSegmentProbe());
        Recording oldest = segment(index, "cam1", NOW.minusSeconds(3 * 3600), 5, false);
        Recording middle = segment(index, "cam2", NOW.minusSeconds(2 * 3600), 5, false);
        Recording newest = segment(index, "cam1", NOW.minusSeconds(3600), 5, false);
        Recording open = segment(index, "cam1", NOW.minusSeconds(4 * 3600), 5, true); // open and oldest of all
        long total = oldest.bytes() + middle.bytes() + newest.bytes() + open.bytes();

        assertThat(policy(index, Duration.ZERO, total - 1, Set.of()).apply()).isEqualTo(1);
        assertThat(index.get(oldest.id())).isEmpty();
        assertThat(root.resolve(oldest.path())).doesNotExist();
        assertThat(events).singleElement().isInstanceOfSatisfying(CameraEvent.RecordingDeleted.class, e -> {
            assertThat(e.recordingId()).isEqualTo(oldest.id());
            assertThat(e.reason()).isEqualTo("max-bytes");
        });

        // even a tiny budget leaves the segment being written
        assertThat(policy(index, Duration.ZERO, 1, Set.of(open.id())).apply()).isEqualTo(2);
        assertThat(index.oldestFirst()).extracting(Recording::id).containsExactly(open.id());
        assertThat(root.resolve(open.path())).exists();
        assertThat(events).extracting(e -> ((CameraEvent.RecordingDeleted) e).recordingId())
                .containsExactly(oldest.id(), middle.id(), newest.id());
    }

    @Test
    void maxAgeDeletesOnlySegmentsOlderThanTheLimit() throws Exception {
        RecordingIndex index = new RecordingIndex(new RecordingLayout(root, ZoneId.of("UTC")), new FfmpegSegmentProbe());
        Recording old = segment(index, "cam1", NOW.minus(Duration.ofDays(31)), 3, false);
        Recording recent = segment(index, "cam1", NOW.minus(Duration.ofDays(29)), 3, false);
        assertThat(policy(index, Duration.ofDays(30), 0, Set.of()).apply()).isEqualTo(1);
        assertThat(index.get(old.id())).isEmpty();
        assertThat(index.get(recent.id())).isPresent();
        assertThat(((CameraEvent.RecordingDeleted) events.get(0)).reason()).isEqualTo("max-age");
    }

    @Test
    void indexIsRebuiltFromTheFilesWhenSidecarsAreLost() throws Exception {
        RecordingLayout layout = new RecordingLayout(root, ZoneId.of("Europe/Paris"));
        RecordingIndex index = new RecordingIndex(layout, new FfmpegSegmentProbe());
        Recording a = segment(index, "cam1", NOW, 7, false);
        Recording b = segment(index, "cam1", NOW, 4, false); // same second: "-1" suffix
        assertThat(b.id()).isEqualTo(a.id() + "-1");
        assertThat(a.id()).isEqualTo("cam1_2026-11-25_13-00-00"); // local time of the configured zone
        for (Recording r : List.of(a, b)) {
            Files.delete(layout.sidecarOf(RecordingId.parse(r.id())));
        }
        RecordingIndex rebuilt = new RecordingIndex(layout, new FfmpegSegmentProbe());
        rebuilt.load();
        assertThat(rebuilt.get(a.id())).hasValueSatisfying(r -> {
            assertThat(r.frames()).isEqualTo(7);
            assertThat(r.start()).isEqualTo(NOW);
            assertThat(r.end()).isEqualTo(NOW.plusMillis(6 * 40));
            assertThat(r.bytes()).isEqualTo(a.bytes());
        });
        assertThat(rebuilt.get(b.id())).hasValueSatisfying(r -> assertThat(r.frames()).isEqualTo(4));
        assertThat(layout.sidecarOf(RecordingId.parse(a.id()))).exists();
    }

    @Test
    void segmentLeftOpenByACrashIsCutBackToItsLastFlush() throws Exception {
        RecordingLayout layout = new RecordingLayout(root, ZoneId.of("UTC"));
        RecordingIndex index = new RecordingIndex(layout, new FfmpegSegmentProbe());
        RecordingId id = layout.newSegment("cam1", NOW);
        Path file = layout.videoOf(id, "mkv");
        MkvCopyWriter w = new MkvCopyWriter(file, TestFrames.WIDTH, TestFrames.HEIGHT);
        List<Integer> written = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            w.write(new Frame("cam1", i + 1, i, 0, 0, TestFrames.WIDTH, TestFrames.HEIGHT, "jpeg", TestFrames.jpeg(i), 0, () -> { }), i * 40L);
            written.add(i);
        }
        w.flush();
        long flushed = Files.size(file);
        index.save(new Recording(id.value(), "cam1", NOW, NOW.plusMillis(160), 5, flushed, layout.relative(file), true, 5));
        for (int i = 5; i < 8; i++) { // written after the last flush: never acknowledged
            w.write(new Frame("cam1", i + 1, i, 0, 0, TestFrames.WIDTH, TestFrames.HEIGHT, "jpeg", TestFrames.jpeg(i), 0, () -> { }), i * 40L);
        }
        w.flush(); // reaches the disk, but the sidecar still says 5 frames, as after a crash before the sidecar write
        assertThat(Files.size(file)).isGreaterThan(flushed);

        RecordingIndex restarted = new RecordingIndex(layout, new FfmpegSegmentProbe());
        restarted.load();
        assertThat(restarted.get(id.value())).hasValueSatisfying(r -> {
            assertThat(r.open()).isFalse();
            assertThat(r.frames()).isEqualTo(5);
            assertThat(r.bytes()).isEqualTo(flushed);
        });
        assertThat(TestFrames.counters(TestFrames.decode(file))).isEqualTo(written);
    }

    /**
     * A segment of 8 frames forced to the disk whose sidecar says 5 (a crash after the progress mark, before the
     * sidecar); returns the entry the mark holds.
     */
    private Recording crashedBetweenMarkAndSidecar(RecordingLayout layout, RecordingIndex index) throws Exception {
        RecordingId id = layout.newSegment("cam1", NOW);
        Path file = layout.videoOf(id, "mkv");
        MkvCopyWriter w = new MkvCopyWriter(file, TestFrames.WIDTH, TestFrames.HEIGHT);
        for (int i = 0; i < 8; i++) {
            w.write(new Frame("cam1", i + 1, i, 0, 0, TestFrames.WIDTH, TestFrames.HEIGHT, "jpeg", TestFrames.jpeg(i), 0, () -> { }), i * 40L);
            if (i == 4) {
                w.flush();
                index.save(new Recording(id.value(), "cam1", NOW, NOW.plusMillis(160), 5, Files.size(file),
                        layout.relative(file), true, 5));
            }
        }
        w.flush();
        return new Recording(id.value(), "cam1", NOW, NOW.plusMillis(280), 8, Files.size(file), layout.relative(file),
                true, 8);
    }

    @Test
    void aSegmentLeftOpenBetweenItsProgressMarkAndItsSidecarIsKeptAsTheMarkSays() throws Exception {
        RecordingLayout layout = new RecordingLayout(root, ZoneId.of("UTC"));
        Recording marked = crashedBetweenMarkAndSidecar(layout, new RecordingIndex(layout, new FfmpegSegmentProbe()));

        RecordingIndex restarted = new RecordingIndex(layout, new FfmpegSegmentProbe());
        restarted.load(cam -> Optional.of(marked));

        assertThat(restarted.get(marked.id())).hasValueSatisfying(r -> {
            assertThat(r.open()).isFalse();
            assertThat(r.frames()).isEqualTo(8);
        });
        assertThat(restarted.lastStreamSeq("cam1")).as("what the mark says, so a taker starts after it").isEqualTo(8);
        assertThat(TestFrames.counters(TestFrames.decode(layout.root().resolve(marked.path()))))
                .isEqualTo(List.of(0, 1, 2, 3, 4, 5, 6, 7));
    }

    @Test
    void aMarkOfTheSameNameFromAnotherDiskDoesNotChangeTheRecovery() throws Exception {
        RecordingLayout layout = new RecordingLayout(root, ZoneId.of("UTC"));
        Recording marked = crashedBetweenMarkAndSidecar(layout, new RecordingIndex(layout, new FfmpegSegmentProbe()));
        // another recorder's segment of the camera begun in the same second: another first frame
        Recording otherDisk = new Recording(marked.id(), "cam1", NOW.plusMillis(1), marked.end(), 8, marked.bytes(),
                marked.path(), true, 8);

        RecordingIndex restarted = new RecordingIndex(layout, new FfmpegSegmentProbe());
        restarted.load(cam -> Optional.of(otherDisk));

        assertThat(restarted.get(marked.id())).hasValueSatisfying(r -> assertThat(r.frames()).isEqualTo(5));
        assertThat(TestFrames.counters(TestFrames.decode(layout.root().resolve(marked.path()))))
                .isEqualTo(List.of(0, 1, 2, 3, 4));
    }

    @Test
    void recordingIdsAreStrict() {
        assertThat(RecordingId.isValid("cam1_2026-11-25_12-00-00")).isTrue();
        assertThat(RecordingId.isValid("cam_1-x_2026-11-25_12-00-00-3")).isTrue();
        for (String bad : List.of("", "..", "../cam1_2026-11-25_12-00-00", "cam1_2026-11-25_12-00-00.mkv",
                "/etc/passwd", "cam1/2026-11-25_12-00-00", "cam1_2026-13-45_12-00-00", "cam1_2026-11-25_12-00-00-0",
                "cam.1_2026-11-25_12-00-00", "cam1_2026-11-25_12-00-00\u0000")) {
            assertThat(RecordingId.isValid(bad)).as(bad).isFalse();
        }
    }
}
