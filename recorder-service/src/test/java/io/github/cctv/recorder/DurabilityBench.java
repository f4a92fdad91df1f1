package io.github.cctv.recorder;

import io.github.cctv.protocol.EpochMicros;
import io.github.cctv.protocol.event.Events;
import io.github.cctv.recorder.domain.recording.Frame;
import io.github.cctv.recorder.domain.recording.SegmentWriter;
import io.github.cctv.recorder.domain.store.Recording;
import io.github.cctv.recorder.domain.store.RecordingId;
import io.github.cctv.recorder.domain.store.RecordingIndex;
import io.github.cctv.recorder.domain.store.RecordingLayout;
import io.github.cctv.recorder.media.FfmpegSegmentProbe;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Measures what durability costs one camera: a recording of 120 s written as the recorder writes it, a flush every
 * second (end the cluster or fragment, hand it to the operating system, {@code fdatasync}; then the sidecar written
 * to a temporary file, {@code fdatasync}ed, renamed over the old one, the folder {@code fsync}ed), for a JPEG camera
 * (320x240, 25 fps, Matroska) and an H.264 camera (320x240, 30 fps, fragmented MP4). Reported per flush: the time the
 * writing thread waits in the media flush and in the sidecar, and for comparison a sidecar replaced without any
 * force; and the CPU of the whole. Run on the disk that holds the recordings (first argument, a folder), by hand:
 * see docs/recorder.md.
 */
public final class DurabilityBench {

    private static final int SECONDS = 120;

    public static void main(String[] args) throws Exception {
        Path dir = args.length > 0 ? Path.of(args[0]) : Files.createTempDirectory("cctv-durability-bench-");
        Files.createDirectories(dir);
        List<byte[]> jpegs = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            jpegs.add(TestFrames.jpeg(i));
        }
        List<H264TestStream.AccessUnit> h264 = H264TestStream.units(TestFrames.WIDTH, TestFrames.HEIGHT, 30, 60);
        System.out.println("recordings folder: " + dir.toAbsolutePath());
        for (int run = 0; run < 2; run++) { // the first run warms up
            boolean report = run == 1;
            measure(dir.resolve("jpeg-" + run), "jpeg", 25, i -> jpegs.get(i % jpegs.size()), i -> true, report);
            measure(dir.resolve("h264-" + run), "h264", 30, i -> h264.get(i % 60).data(), i -> i % 30 == 0, report);
        }
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private static void measure(Path root, String codec, int fps, java.util.function.IntFunction<byte[]> data,
                                java.util.function.IntPredicate key, boolean report) throws Exception {
        RecordingIndex index = new RecordingIndex(new RecordingLayout(root, ZoneId.of("UTC")), new FfmpegSegmentProbe());
        Instant start = Instant.parse("2026-11-25T12:00:00Z");
        RecordingId id = index.layout().newSegment("bench", start);
        Path file = index.layout().videoOf(id, TestSegments.WRITERS.extension(codec));
        Path plain = file.resolveSibling("plain.json");
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long cpu0 = mx.getCurrentThreadCpuTime();
        long[] media = new long[SECONDS];
        long[] sidecar = new long[SECONDS];
        long[] unforced = new long[SECONDS];
        long us0 = EpochMicros.of(start);
        Recording entry = new Recording(id.value(), "bench", start, start, 0, 0, index.layout().relative(file), true, 0);
        try (SegmentWriter w = TestSegments.WRITERS.open(file, codec, TestFrames.WIDTH, TestFrames.HEIGHT)) {
            int frame = 0;
            for (int s = 0; s < SECONDS; s++) {
                for (int k = 0; k < fps; k++, frame++) {
                    long us = us0 + frame * 1_000_000L / fps;
                    w.write(new Frame("bench", frame + 1, new io.github.cctv.protocol.FrameMetadata(frame, us, us, codec,
                            TestFrames.WIDTH, TestFrames.HEIGHT, key.test(frame)), data.apply(frame), 0, () -> { }),
                            frame * 1000L / fps);
                }
                long t0 = System.nanoTime();
                w.flush();
                long t1 = System.nanoTime();
                entry = entry.progressed(frame, Files.size(file), start.plusSeconds(s), frame, null, us0);
                index.save(entry);
                long t2 = System.nanoTime();
                Path tmp = plain.resolveSibling("plain.json.tmp");
                Files.write(tmp, Events.write(entry));
                Files.move(tmp, plain, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                long t3 = System.nanoTime();
                media[s] = t1 - t0;
                sidecar[s] = t2 - t1;
                unforced[s] = t3 - t2;
            }
        }
        long cpuMs = (mx.getCurrentThreadCpuTime() - cpu0) / 1_000_000;
        if (report) {
            System.out.printf("%s (%s, %d fps, %d flushes, %d kB): media flush with fdatasync %s; forced sidecar %s;"
                            + " sidecar without force %s; writer thread CPU %d ms for %d s of video (%.2f %% of a core)%n",
                    codec, file.getFileName(), fps, SECONDS, Files.size(file) / 1024, stats(media), stats(sidecar),
                    stats(unforced), cpuMs, SECONDS, cpuMs / (SECONDS * 10.0));
        }
    }

    /** Mean, 99th percentile and maximum, ms. */
    private static String stats(long[] nanos) {
        long[] s = nanos.clone();
        Arrays.sort(s);
        double mean = Arrays.stream(s).average().orElse(0) / 1e6;
        return String.format("mean %.2f / p99 %.2f / max %.2f ms", mean, s[(int) Math.ceil(s.length * 0.99) - 1] / 1e6,
                s[s.length - 1] / 1e6);
    }
}
