package io.github.cctv.recorder;

import io.github.cctv.protocol.EpochMicros;
import io.github.cctv.protocol.event.Events;
import io.github.cctv.recorder.domain.recording.CameraRecorder;
import io.github.cctv.recorder.domain.recording.FakeFrameSource;
import io.github.cctv.recorder.domain.store.Recording;
import io.github.cctv.recorder.domain.store.RecordingIndex;
import io.github.cctv.recorder.domain.store.RecordingLayout;
import io.github.cctv.recorder.health.RecorderMetrics;
import io.github.cctv.recorder.media.FfmpegSegmentProbe;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A camera recorded onto a real file system of 4 MB (a tmpfs, mounted for the test: needs root, as in CI) that runs
 * full: the recording is interrupted, every video and its sidecar agree and no temporary file is left, and once
 * space is back the recording resumes by itself with no frame missing and none twice; for JPEG in Matroska and for
 * H.264 in fragmented MP4. The real writers, index and file system; the frame stream in memory.
 */
class FullDiskIT {

    private static final String CAM = "full-cam";
    private static final Path MOUNT = Path.of("target", "full-disk-it").toAbsolutePath();

    Path root;
    FakeFrameSource source;
    CameraRecorder recorder;
    RecordingIndex index;
    final List<String> interruptions = new CopyOnWriteArrayList<>();
    final List<String> resumptions = new CopyOnWriteArrayList<>();
    final List<String> failures = new CopyOnWriteArrayList<>();
    /** Holds the recorder, which reports its interruption right after cutting its files back, while they are checked. */
    final CountDownLatch checked = new CountDownLatch(1);

    @BeforeEach
    void mount() throws Exception {
        Files.createDirectories(MOUNT);
        run("umount", MOUNT.toString()); // a mount left by a run that was killed
        MediaProbe.requireTool("cannot mount a 4 MB tmpfs (needs root): SKIPPING the full-disk test",
                "mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", MOUNT.toString());
        root = MOUNT.resolve("recordings");
        Files.createDirectories(root);
        source = new FakeFrameSource();
        index = new RecordingIndex(new RecordingLayout(root, ZoneId.of("UTC")), new FfmpegSegmentProbe());
    }

    @AfterEach
    void unmount() throws Exception {
        checked.countDown();
        if (recorder != null) {
            recorder.requestStop(false);
            recorder.awaitStopped(Duration.ofSeconds(10));
        }
        run("umount", MOUNT.toString());
    }

    private static void run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        p.waitFor(20, TimeUnit.SECONDS);
    }

    private void startRecording() {
        CameraRecorder.Listener listener = new CameraRecorder.Listener() {
            @Override
            public void failed(String cameraId, String message) {
                failures.add(message);
            }

            @Override
            public void interrupted(String cameraId, Instant at, String message) {
                interruptions.add(message);
                try {
                    checked.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }

            @Override
            public void resumed(String cameraId, Instant failedAt, String message) {
                resumptions.add(message);
            }
        };
        recorder = new CameraRecorder(CAM, new CameraRecorder.Settings(Duration.ofMinutes(10), Duration.ofMillis(50),
                16, Duration.ofMillis(20), Duration.ofSeconds(4), Duration.ofMillis(20), Duration.ofMillis(200)),
                source, TestSegments.WRITERS, index, e -> { }, new RecorderMetrics(new SimpleMeterRegistry()),
                Clock.systemUTC(), listener, Instant.EPOCH, false);
        recorder.start();
    }

    /** Fills the file system up to {@code leave} bytes with a file; returns it. */
    private Path fill(long leave) throws IOException {
        Path filler = MOUNT.resolve("filler");
        long usable = Files.getFileStore(MOUNT).getUsableSpace();
        Files.write(filler, new byte[(int) Math.max(0, usable - leave)]);
        return filler;
    }

    /** Every video agrees with its sidecar: as many bytes and frames as the sidecar says; no temporary file. */
    private void assertFilesAgree() throws Exception {
        try (Stream<Path> s = Files.walk(root)) {
            List<Path> all = s.filter(Files::isRegularFile).toList();
            assertThat(all).noneMatch(p -> p.toString().endsWith(".tmp"));
            for (Path sidecar : all.stream().filter(p -> p.toString().endsWith(".json")).toList()) {
                Recording r = Events.read(Files.readAllBytes(sidecar), Recording.class);
                Path video = root.resolve(r.path());
                assertThat(video).exists();
                assertThat(Files.size(video)).as(video.getFileName() + " size").isEqualTo(r.bytes());
                assertThat(TestFrames.decode(video)).as(video.getFileName() + " frames").hasSize((int) r.frames());
            }
        }
    }

    /** The counters of every frame kept, segment after segment. */
    private List<Integer> counters() throws Exception {
        List<Recording> list = new ArrayList<>(index.list(CAM, null, null, 1000));
        list.sort(Comparator.comparing(Recording::start).thenComparing(Recording::id));
        List<Integer> out = new ArrayList<>();
        for (Recording r : list) {
            out.addAll(TestFrames.counters(TestFrames.decode(root.resolve(r.path()))));
        }
        return out;
    }

    @Test
    void aJpegRecordingOnAFullDiskResumesByItselfWhenSpaceReturnsWithNoFrameMissingOrTwice() throws Exception {
        int n = 200; // about 4 kB each: twice the room left
        long t0 = EpochMicros.of(Instant.now());
        for (int i = 0; i < 40; i++) {
            source.add(CAM, i, t0 + i * 40_000L, t0 + i * 40_000L, TestFrames.WIDTH, TestFrames.HEIGHT, "jpeg", true,
                    TestFrames.jpeg(i));
        }
        startRecording();
        await().atMost(Duration.ofSeconds(20)).until(() -> source.acked(CAM) == 40);
        Path filler = fill(400_000);
        for (int i = 40; i < n; i++) {
            source.add(CAM, i, t0 + i * 40_000L, t0 + i * 40_000L, TestFrames.WIDTH, TestFrames.HEIGHT, "jpeg", true,
                    TestFrames.jpeg(i));
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> !interruptions.isEmpty());
        assertThat(interruptions.get(0)).containsIgnoringCase("space");
        assertFilesAgree();
        checked.countDown();

        Files.delete(filler); // space returns
        await().atMost(Duration.ofSeconds(20)).until(() -> !resumptions.isEmpty());
        await().atMost(Duration.ofSeconds(20)).until(() -> source.acked(CAM) == n);
        recorder.requestStop(false);
        assertThat(recorder.awaitStopped(Duration.ofSeconds(10))).isTrue();
        assertFilesAgree();
        assertThat(counters()).isEqualTo(IntStream.range(0, n).boxed().toList());
        assertThat(failures).isEmpty();
    }

    @Test
    void anH264RecordingOnAFullDiskResumesOnAKeyframeWithNoFrameMissingOrTwice() throws Exception {
        int n = 900;
        List<H264TestStream.AccessUnit> units = H264TestStream.units(TestFrames.WIDTH, TestFrames.HEIGHT, 30, n);
        long bytes = units.stream().mapToLong(u -> u.data().length).sum();
        long t0 = EpochMicros.of(Instant.now());
        int first = 90;
        for (int i = 0; i < first; i++) {
            addH264(units.get(i), t0 + i * 33_333L);
        }
        startRecording();
        await().atMost(Duration.ofSeconds(20)).until(() -> source.acked(CAM) == first);
        Path filler = fill(bytes / 3); // the rest needs about twice that
        for (int i = first; i < n; i++) {
            addH264(units.get(i), t0 + i * 33_333L);
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> !interruptions.isEmpty());
        assertFilesAgree();
        checked.countDown();

        Files.delete(filler);
        await().atMost(Duration.ofSeconds(20)).until(() -> !resumptions.isEmpty());
        await().atMost(Duration.ofSeconds(30)).until(() -> source.acked(CAM) == n);
        recorder.requestStop(false);
        assertThat(recorder.awaitStopped(Duration.ofSeconds(10))).isTrue();
        assertFilesAgree();
        assertThat(counters()).isEqualTo(IntStream.range(0, n).boxed().toList());
        for (Recording r : index.list(CAM, null, null, 1000)) {
            assertThat(MediaProbe.packets(root.resolve(r.path())).get(0).key()).as(r.id() + " starts on a keyframe").isTrue();
        }
        assertThat(failures).isEmpty();
    }

    private void addH264(H264TestStream.AccessUnit au, long us) {
        source.add(CAM, au.counter(), us, us, TestFrames.WIDTH, TestFrames.HEIGHT, "h264", au.key(), au.data());
    }
}
