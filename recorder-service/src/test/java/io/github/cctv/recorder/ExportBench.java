package io.github.cctv.recorder;

import io.github.cctv.recorder.domain.recording.SegmentWriter;
import io.github.cctv.recorder.media.Fmp4CopyWriter;
import io.github.cctv.recorder.media.RangeExporter;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

/**
 * Measures a range export by stream copy: 12 minutes of 1280x720 30 fps H.264 recorded as six 2-minute fragmented
 * MP4 segments (timing each flush, which forces the file to the disk), then the 10 minutes from minute 1 to
 * minute 11 exported into one MP4, three times. The pictures
 * carry noise so that the encoder spends a camera's bit rate on them. Not a test: run by hand, see
 * docs/recorder.md.
 */
public final class ExportBench {

    public static void main(String[] args) throws Exception {
        int w = 1280;
        int h = 720;
        Path dir = args.length > 0 ? Path.of(args[0]) : Files.createTempDirectory("cctv-export-bench-");
        Files.createDirectories(dir);
        long t0 = System.nanoTime();
        List<H264TestStream.AccessUnit> gop = new ArrayList<>();
        Random noise = new Random(1);
        try (H264TestStream camera = new H264TestStream(w, h, 30)) {
            for (int i = 0; i < 300; i++) {
                BufferedImage img = TestFrames.picture(i, w, h);
                byte[] px = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
                for (int k = px.length / 6; k < px.length; k += 1 + noise.nextInt(3)) {
                    px[k] = (byte) (px[k] + noise.nextInt(48) - 24);
                }
                gop.add(camera.encode(i, img));
            }
        }
        long bytesPer10s = gop.stream().mapToLong(a -> a.data().length).sum();
        System.out.printf("encoded 10 s of %dx%d in %.1f s: %.2f Mbit/s%n", w, h, (System.nanoTime() - t0) / 1e9,
                bytesPer10s * 8 / 10.0 / 1e6);

        Instant start = Instant.parse("2026-11-25T12:00:00Z");
        List<RangeExporter.Segment> segments = new ArrayList<>();
        long capture = start.getEpochSecond() * 1_000_000;
        int frame = 0;
        long flushNanos = 0;
        long maxFlushNanos = 0;
        int flushes = 0;
        for (int s = 0; s < 6; s++) {
            Path file = dir.resolve("seg-" + s + ".mp4");
            segments.add(new RangeExporter.Segment(file, start.plusNanos((capture - start.getEpochSecond() * 1_000_000) * 1000)));
            try (SegmentWriter writer = new Fmp4CopyWriter(file, w, h)) {
                for (int i = 0; i < 120 * 30; i++, frame++) {
                    writer.write(H264TestStream.frame("bench", gop.get(frame % gop.size()), capture, capture + 20_000, w, h), 0);
                    capture += 33_333;
                    if (i % 30 == 29) {
                        long f = System.nanoTime();
                        writer.flush();
                        f = System.nanoTime() - f;
                        flushNanos += f;
                        maxFlushNanos = Math.max(maxFlushNanos, f);
                        flushes++;
                    }
                }
            }
        }
        long recorded = 0;
        for (RangeExporter.Segment s : segments) {
            recorded += Files.size(s.file());
        }
        System.out.printf("recorded 12 min in 6 segments: %.1f MB; %d flushes (end the fragment, write it, fdatasync):"
                + " %.2f ms on average, %.2f ms at most%n", recorded / 1e6, flushes, flushNanos / 1e6 / flushes,
                maxFlushNanos / 1e6);

        RangeExporter exporter = new RangeExporter();
        Path out = dir.resolve("export.mp4");
        for (int run = 1; run <= 3; run++) {
            long t = System.nanoTime();
            RangeExporter.Result r = exporter.export(segments, start.plusSeconds(60), start.plusSeconds(660), out,
                    p -> { }, () -> false);
            double seconds = (System.nanoTime() - t) / 1e9;
            System.out.printf("run %d: exported %d frames (%s .. %s), %.1f MB in %.2f s%n", run, r.frames(), r.first(),
                    r.last(), Files.size(out) / 1e6, seconds);
        }
        if (args.length == 0) {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
