package io.github.cctv.recorder;

import io.github.cctv.recorder.domain.recording.Frame;
import io.github.cctv.recorder.domain.recording.SegmentWriter;
import io.github.cctv.recorder.media.Mp4Boxes;
import io.github.cctv.recorder.media.RangeExporter;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static io.github.cctv.recorder.TestSegments.H;
import static io.github.cctv.recorder.TestSegments.S;
import static io.github.cctv.recorder.TestSegments.STEP;
import static io.github.cctv.recorder.TestSegments.W;
import static io.github.cctv.recorder.TestSegments.WRITERS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * Exports across segments by stream copy, checked by decoding the result: which frames, in which order, at which
 * times, with the segments' gaps kept.
 */
class RangeExporterTest {


    /** 240 pictures, a keyframe every 30. */
    static List<H264TestStream.AccessUnit> units;

    @TempDir
    static Path segments;

    /** Three H.264 segments: frames 0–89 from S, a 2 s gap, 90–179 from S+5 s, then 180–239 from S+8 s. */
    static List<RangeExporter.Segment> h264;

    @TempDir
    Path dir;

    final RangeExporter exporter = new RangeExporter();

    @BeforeAll
    static void record() throws Exception {
        units = H264TestStream.units(W, H, 30, 240);
        h264 = List.of(segment("a.mp4", 0, 90, 0), segment("b.mp4", 90, 180, 5_000_000),
                segment("c.mp4", 180, 240, 8_000_000));
    }

    private static RangeExporter.Segment segment(String name, int from, int to, long startUs) throws Exception {
        Path file = segments.resolve(name);
        long capture = micros(S) + startUs;
        try (SegmentWriter w = WRITERS.open(file, "h264", W, H)) {
            for (int i = from; i < to; i++) {
                w.write(H264TestStream.frame("cam1", units.get(i), capture, capture + 15_000, W, H), 0);
                capture += STEP;
                if ((i - from) % 30 == 29) {
                    w.flush();
                }
            }
        }
        return new RangeExporter.Segment(file, S.plusNanos(startUs * 1000));
    }

    private static long micros(Instant t) {
        return t.getEpochSecond() * 1_000_000 + t.getNano() / 1000;
    }

    private static Instant at(double seconds) {
        return S.plusNanos(Math.round(seconds * 1e9));
    }

    @Test
    void startsOnTheKeyframeBeforeFromAndEndsOnTheLastFrameBeforeToAcrossSegmentsKeepingTheGap() throws Exception {
        Path out = dir.resolve("export.mp4");
        List<Double> progress = new CopyOnWriteArrayList<>();
        // from: frame 45 (1.5 s), whose keyframe is frame 30 (1.0 s); to: between frame 195 (8.499995 s) and 196
        RangeExporter.Result r = exporter.export(h264, at(1.5), at(8.51), out, progress::add, () -> false);

        List<Integer> expected = Stream.of(IntStream.range(30, 90), IntStream.range(90, 180), IntStream.range(180, 196))
                .flatMap(IntStream::boxed).toList();
        List<TestFrames.Decoded> decoded = TestFrames.decode(out);
        assertThat(TestFrames.counters(decoded)).isEqualTo(expected);
        assertThat(r.frames()).isEqualTo(expected.size());
        // 30 steps of 33 333 µs; the segments' 90 kHz clock rounds to 11 µs
        assertThat(r.first()).isCloseTo(S.plusNanos(30 * STEP * 1000), within(12, ChronoUnit.MICROS));
        assertThat(r.last()).isCloseTo(S.plusNanos((8_000_000 + 15 * STEP) * 1000), within(12, ChronoUnit.MICROS));

        // timestamps from the export's start, running on across segments, the 2 s without video kept
        assertThat(decoded.get(0).timestampUs()).isZero();
        assertThat(decoded.get(59).timestampUs()).isCloseTo(59 * STEP, within(12L)); // frame 89
        assertThat(decoded.get(60).timestampUs()).isCloseTo(5_000_000 - 30 * STEP, within(12L)); // frame 90
        assertThat(decoded.get(150).timestampUs()).isCloseTo(8_000_000 - 30 * STEP, within(12L)); // frame 180

        // the same bitstream as the camera's, an ordinary MP4 with its index first
        List<MediaProbe.Packet> packets = MediaProbe.packets(out);
        for (int i = 0; i < packets.size(); i++) {
            assertThat(MediaProbe.nalsOfSample(packets.get(i).data()))
                    .containsExactlyElementsOf(MediaProbe.nalsOfAnnexB(units.get(expected.get(i)).data()));
        }
        MediaProbe.Probe probe = MediaProbe.ffprobe(out);
        assertThat(probe.codec()).isEqualTo("h264");
        assertThat(probe.decodedFrames()).isEqualTo(expected.size());
        assertThat(probe.durationSeconds()).isCloseTo((8_000_000 + 16 * STEP - 1_000_000 + 10) / 1e6, within(0.002));
        assertThat(MediaProbe.decodeErrors(out)).isEmpty();
        assertThat(boxes(out)).startsWith("ftyp", "moov").contains("mdat").doesNotContain("moof");

        assertThat(progress).isSorted().last().isEqualTo(1.0);
        assertThat(progress.size()).isGreaterThan(10);
    }

    @Test
    void aRangeStartingBeforeTheRecordingsStartsOnTheFirstFrame() throws Exception {
        Path out = dir.resolve("all.mp4");
        RangeExporter.Result r = exporter.export(h264, S.minusSeconds(60), S.plusSeconds(3600), out, p -> { }, () -> false);
        assertThat(TestFrames.counters(TestFrames.decode(out))).isEqualTo(IntStream.range(0, 240).boxed().toList());
        assertThat(r.first()).isEqualTo(S);
    }

    @Test
    void jpegSegmentsAreCopiedIntoTheMp4Too() throws Exception {
        List<RangeExporter.Segment> mkv = new ArrayList<>();
        for (int s = 0; s < 2; s++) {
            Path file = segments.resolve("jpeg-" + s + ".mkv");
            try (SegmentWriter w = WRITERS.open(file, "jpeg", TestFrames.WIDTH, TestFrames.HEIGHT)) {
                for (int i = 0; i < 25; i++) {
                    int n = s * 25 + i;
                    w.write(new Frame("cam1", n + 1, n, 0, 0, TestFrames.WIDTH, TestFrames.HEIGHT, "jpeg",
                            TestFrames.jpeg(n), 0, () -> { }), i * 40L);
                }
            }
            mkv.add(new RangeExporter.Segment(file, S.plusSeconds(s * 3L))); // 1 s of video, then 2 s without
        }
        Path out = dir.resolve("jpeg.mp4");
        // from 0.5 s (frame 12 at 0.48 s: every JPEG is a keyframe) until before 3.5 s (frame 37 at 3.48 s)
        RangeExporter.Result r = exporter.export(mkv, at(0.5), at(3.5), out, p -> { }, () -> false);

        List<TestFrames.Decoded> decoded = TestFrames.decode(out);
        assertThat(TestFrames.counters(decoded)).isEqualTo(
                Stream.concat(IntStream.range(12, 25).boxed(), IntStream.range(25, 38).boxed()).toList());
        assertThat(r.frames()).isEqualTo(26);
        assertThat(decoded.get(13).timestampUs()).isCloseTo(3_000_000 - 480_000, within(12L));
        assertThat(MediaProbe.ffprobe(out).codec()).isEqualTo("mjpeg");
        List<MediaProbe.Packet> packets = MediaProbe.packets(out);
        assertThat(packets.get(0).data()).isEqualTo(TestFrames.jpeg(12));
    }

    @Test
    void cancellingStopsTheExportAndLeavesNoFile() throws Exception {
        Path out = dir.resolve("cancelled.mp4");
        List<Double> progress = new CopyOnWriteArrayList<>();
        assertThatThrownBy(() -> exporter.export(h264, S, at(10), out, progress::add, () -> !progress.isEmpty()))
                .isInstanceOf(RangeExporter.CancelledException.class);
        assertThat(progress).isNotEmpty().allMatch(p -> p < 0.5);
        assertThat(listing(dir)).isEmpty();
    }

    @Test
    void anInterruptedExportStopsAndLeavesNoFile() throws Exception {
        Path out = dir.resolve("interrupted.mp4");
        Thread.currentThread().interrupt();
        try {
            assertThatThrownBy(() -> exporter.export(h264, S, at(10), out, p -> { }, () -> false))
                    .isInstanceOf(RangeExporter.CancelledException.class);
        } finally {
            Thread.interrupted();
        }
        assertThat(listing(dir)).isEmpty();
    }

    @Test
    void aDamagedSegmentFailsTheExportAndLeavesNoFile() throws Exception {
        Path bad = dir.resolve("bad.mp4");
        Files.write(bad, new byte[]{0, 0, 0, 8, 'f', 'r', 'e', 'e', 1, 2, 3});
        List<RangeExporter.Segment> list = List.of(h264.get(0), new RangeExporter.Segment(bad, at(5)));
        Path out = dir.resolve("failed.mp4");
        assertThatThrownBy(() -> exporter.export(list, at(2), at(6), out, p -> { }, () -> false))
                .isInstanceOf(IOException.class).hasMessageContaining("bad.mp4");
        assertThat(listing(dir)).containsExactly("bad.mp4");
    }

    @Test
    void aRangeWithoutFramesIsAnError() {
        Path out = dir.resolve("empty.mp4");
        assertThatThrownBy(() -> exporter.export(h264, at(3.5), at(4.5), out, p -> { }, () -> false))
                .hasMessageContaining("no frame");
        assertThat(out).doesNotExist();
        assertThatThrownBy(() -> exporter.export(h264, at(2), at(1), out, p -> { }, () -> false))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void segmentsOfTwoCodecsAreRefused() throws Exception {
        Path jpeg = dir.resolve("j.mkv");
        try (SegmentWriter w = WRITERS.open(jpeg, "jpeg", TestFrames.WIDTH, TestFrames.HEIGHT)) {
            w.write(new Frame("cam1", 1, 0, 0, 0, TestFrames.WIDTH, TestFrames.HEIGHT, "jpeg", TestFrames.jpeg(0), 0,
                    () -> { }), 0);
        }
        Path out = dir.resolve("mixed.mp4");
        List<RangeExporter.Segment> list = List.of(h264.get(0), new RangeExporter.Segment(jpeg, at(4)));
        assertThatThrownBy(() -> exporter.export(list, S, at(5), out, p -> { }, () -> false))
                .hasMessageContaining("another codec");
        assertThat(out).doesNotExist();
    }

    static List<String> boxes(Path file) throws Exception {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return Mp4Boxes.topLevel(ch).stream().map(Mp4Boxes.Box::type).toList();
        }
    }

    static List<String> listing(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
