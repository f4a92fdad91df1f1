package io.github.cctv.recorder.domain.export;

import io.github.cctv.recorder.domain.store.Recording;
import io.github.cctv.recorder.domain.store.RecordingIndex;
import io.github.cctv.recorder.domain.store.RecordingLayout;
import io.github.cctv.recorder.domain.store.SegmentProbe;
import io.github.cctv.testing.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Export jobs against an exporter in memory: limits, states, cancel, expiry, files left. */
class ExportJobsTest {

    static final Instant T = Instant.parse("2026-11-25T12:00:00Z");

    @TempDir
    Path root;

    final MutableClock clock = new MutableClock(T);
    final ThreadPoolExecutor pool = new ThreadPoolExecutor(1, 1, 1, TimeUnit.SECONDS, new SynchronousQueue<>());
    final CountDownLatch release = new CountDownLatch(1);
    RecordingIndex index;

    /** Writes a few bytes, then waits for {@link #release} or a cancel; as the real one, deletes its file when cancelled. */
    final SegmentExporter exporter = (segments, from, to, out, progress, cancelled) -> {
        Files.write(out, new byte[]{1, 2, 3});
        progress.accept(0.5);
        try {
            while (!release.await(10, TimeUnit.MILLISECONDS)) {
                if (cancelled.getAsBoolean()) {
                    Files.deleteIfExists(out);
                    throw new IOException("export cancelled");
                }
            }
        } catch (InterruptedException e) {
            Files.deleteIfExists(out);
            throw new IOException("export interrupted");
        }
        return segments.size() * 10L;
    };

    @AfterEach
    void stop() {
        release.countDown();
        pool.shutdownNow();
    }

    ExportJobs jobs() throws IOException {
        index = new RecordingIndex(new RecordingLayout(root, ZoneId.of("Europe/Paris")), f -> new SegmentProbe.Result(0, 0));
        return new ExportJobs(index, exporter, root.resolve(".exports"),
                new ExportJobs.Limits(Duration.ofHours(24), Duration.ofHours(1)), pool, clock);
    }

    void segment(String cam, Instant start, String ext) throws IOException {
        String id = cam + "_" + java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd_HH-mm-ss")
                .format(start.atZone(ZoneId.of("Europe/Paris")));
        String path = cam + "/" + start.atZone(ZoneId.of("Europe/Paris")).toLocalDate() + "/" + id + "." + ext;
        Files.createDirectories(root.resolve(path).getParent());
        index.save(new Recording(id, cam, start, start.plusSeconds(60), 100, 1000, path, false, 100));
    }

    @Test
    void aJobRunsToDoneWithItsFileNamedAfterTheCameraAndTheLocalTimes() throws Exception {
        ExportJobs jobs = jobs();
        segment("cam1", T, "mp4");
        segment("cam1", T.plusSeconds(60), "mp4");
        ExportJobs.Job job = jobs.submit("cam1", T.plusSeconds(30), T.plusSeconds(90));
        assertThat(job.state()).isEqualTo(ExportJobs.State.RUNNING);
        assertThat(job.fileName()).isEqualTo("cam1_2026-11-25_13-00-30_2026-11-25_13-01-30.mp4");
        await().atMost(Duration.ofSeconds(5)).until(() -> job.progress() == 0.5);
        release.countDown();
        await().atMost(Duration.ofSeconds(5)).until(() -> job.state() == ExportJobs.State.DONE);
        assertThat(job.frames()).as("both segments").isEqualTo(20);
        assertThat(job.bytes()).isEqualTo(3);
        assertThat(job.file()).exists().hasParent(root.resolve(".exports"));
        assertThat(jobs.get(job.id())).containsSame(job);

        clock.advance(Duration.ofMinutes(61));
        jobs.expire();
        assertThat(jobs.get(job.id())).isEmpty();
        assertThat(job.file()).doesNotExist();
    }

    @Test
    void beyondTheExportsThatMayRunANewJobIsRefusedAndACancelLeavesNoFile() throws Exception {
        ExportJobs jobs = jobs();
        segment("cam1", T, "mp4");
        ExportJobs.Job running = jobs.submit("cam1", T, T.plusSeconds(10));
        await().atMost(Duration.ofSeconds(5)).until(() -> Files.exists(running.file()));
        assertThatThrownBy(() -> jobs.submit("cam1", T, T.plusSeconds(10))).isInstanceOf(ExportJobs.BusyException.class);

        assertThat(jobs.cancel(running.id())).isTrue();
        await().atMost(Duration.ofSeconds(5)).until(() -> running.state() == ExportJobs.State.CANCELLED);
        assertThat(running.file()).doesNotExist();
        assertThat(jobs.get(running.id())).isEmpty();
        assertThat(jobs.cancel(running.id())).isFalse();
        await().atMost(Duration.ofSeconds(5)).until(() -> pool.getActiveCount() == 0);
        assertThat(jobs.submit("cam1", T, T.plusSeconds(10)).state()).as("room again").isEqualTo(ExportJobs.State.RUNNING);
    }

    @Test
    void refusesRangesThatCannotBeExported() throws Exception {
        ExportJobs jobs = jobs();
        segment("cam1", T, "mp4");
        segment("cam1", T.plusSeconds(60), "mkv");
        assertThatThrownBy(() -> jobs.submit("cam1", T.plusSeconds(1), T)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> jobs.submit("../cam1", T, T.plusSeconds(1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> jobs.submit("cam1", T, T.plus(Duration.ofHours(25))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at most");
        assertThatThrownBy(() -> jobs.submit("cam2", T, T.plusSeconds(1))).isInstanceOf(ExportJobs.NothingToExportException.class);
        assertThatThrownBy(() -> jobs.submit("cam1", T.minusSeconds(3600), T.minusSeconds(1800)))
                .isInstanceOf(ExportJobs.NothingToExportException.class);
        assertThatThrownBy(() -> jobs.submit("cam1", T, T.plusSeconds(120))).isInstanceOf(ExportJobs.UnprocessableException.class);
        assertThat(jobs.submit("cam1", T, T.plusSeconds(30)).state()).isEqualTo(ExportJobs.State.RUNNING);
    }

    @Test
    void filesLeftByAPreviousRunAreDeletedAtStartAndAtClose() throws Exception {
        Path dir = root.resolve(".exports");
        Files.createDirectories(dir);
        Path left = dir.resolve("0123456789abcdef01234567.mp4");
        Files.write(left, new byte[10]);
        ExportJobs jobs = jobs();
        assertThat(left).doesNotExist();
        segment("cam1", T, "mp4");
        ExportJobs.Job job = jobs.submit("cam1", T, T.plusSeconds(10));
        await().atMost(Duration.ofSeconds(5)).until(() -> Files.exists(job.file()));
        jobs.close();
        await().atMost(Duration.ofSeconds(5)).until(() -> job.state() == ExportJobs.State.CANCELLED);
        try (var s = Files.list(dir)) {
            assertThat(s.toList()).isEmpty();
        }
    }
}
