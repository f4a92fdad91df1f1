package io.github.cctv.recorder;

import io.github.cctv.recorder.config.RecorderConfig;
import io.github.cctv.recorder.domain.recording.Frame;
import io.github.cctv.recorder.domain.recording.SegmentWriter;
import io.github.cctv.recorder.media.Mp4Exporter;
import io.github.cctv.recorder.media.SegmentWriters;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Measures the CPU cost of one camera (25 fps, 30 s of test frames) in each format and the speed of an MP4
 * export. Not a test: run by hand, see docs/recorder.md.
 */
public final class WriterBench {

    public static void main(String[] args) throws Exception {
        int fps = 25;
        int seconds = 30;
        Path dir = Files.createTempDirectory("cctv-bench-");
        byte[][] jpegs = new byte[fps * seconds][];
        for (int i = 0; i < jpegs.length; i++) {
            jpegs[i] = TestFrames.jpeg(i);
        }
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        for (RecorderConfig.Format format : RecorderConfig.Format.values()) {
            Path file = dir.resolve(format + ".mkv");
            for (int warm = 0; warm < 2; warm++) {
                long cpu0 = mx.getCurrentThreadCpuTime();
                try (SegmentWriter w = SegmentWriters.forFormat(format, 1_000_000).open(file, "jpeg", TestFrames.WIDTH, TestFrames.HEIGHT)) {
                    for (int i = 0; i < jpegs.length; i++) {
                        w.write(new Frame("bench", i + 1, i, 0, 0, TestFrames.WIDTH, TestFrames.HEIGHT, "jpeg", jpegs[i], 0, () -> { }), i * 1000L / fps);
                        if (i % fps == 0) {
                            w.flush();
                        }
                    }
                }
                long cpuMs = (mx.getCurrentThreadCpuTime() - cpu0) / 1_000_000;
                if (warm == 1) {
                    System.out.printf("%s: %d frames %dx%d @%d fps, CPU %d ms for %d s of video = %.2f %% of one core per camera, file %d kB (%.0f kbit/s)%n",
                            format, jpegs.length, TestFrames.WIDTH, TestFrames.HEIGHT, fps, cpuMs, seconds,
                            cpuMs / (seconds * 10.0), Files.size(file) / 1024, Files.size(file) * 8.0 / 1000 / seconds);
                }
            }
        }
        Mp4Exporter exporter = new Mp4Exporter(1_000_000);
        Path mp4 = dir.resolve("export.mp4");
        exporter.export(dir.resolve("COPY.mkv"), mp4, 0, 0, () -> false);
        long t0 = System.nanoTime();
        long frames = exporter.export(dir.resolve("COPY.mkv"), mp4, 0, 0, () -> false);
        double wall = (System.nanoTime() - t0) / 1e9;
        System.out.printf("MP4 export: %d frames (%d s) in %.2f s = %.1f x real time, %d kB%n", frames, seconds, wall,
                seconds / wall, Files.size(mp4) / 1024);
        try (var s = Files.list(dir)) {
            s.forEach(p -> p.toFile().delete());
        }
        Files.delete(dir);
    }
}
