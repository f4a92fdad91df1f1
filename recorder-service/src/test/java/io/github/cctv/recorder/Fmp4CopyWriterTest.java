package io.github.cctv.recorder;

import io.github.cctv.recorder.domain.recording.Frame;
import io.github.cctv.recorder.domain.store.SegmentProbe;
import io.github.cctv.recorder.domain.recording.SegmentWriter;
import io.github.cctv.recorder.media.FfmpegSegmentProbe;
import io.github.cctv.recorder.media.Fmp4CopyWriter;
import io.github.cctv.recorder.media.Mp4Boxes;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import static io.github.cctv.recorder.TestSegments.H;
import static io.github.cctv.recorder.TestSegments.W;
import static io.github.cctv.recorder.TestSegments.WRITERS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** H.264 access units copied into fragmented MP4, checked with ffprobe and FFmpeg's demuxer and decoder. */
class Fmp4CopyWriterTest {

    static final long T0 = 1_764_000_000_000_000L; // capture time of the first frame, µs

    /** 120 pictures, a keyframe every 30. */
    static List<H264TestStream.AccessUnit> units;

    @TempDir
    Path dir;

    @BeforeAll
    static void encode() {
        units = H264TestStream.units(W, H, 30, 120);
        assertThat(units.get(0).key()).isTrue();
        assertThat(units.get(30).key()).isTrue();
        assertThat(units.get(1).key()).isFalse();
    }

    @AfterAll
    static void release() {
        units = null;
    }

    static Frame frame(int i, long captureUs) {
        return H264TestStream.frame("cam1", units.get(i), captureUs, captureUs + 20_000 + (i % 7) * 3_000, W, H);
    }

    /** Writes units [from, to) 1/30 s apart, flushing every 30 frames as the recorder does every second. */
    static void writeSteady(SegmentWriter w, int from, int to) throws Exception {
        for (int i = from; i < to; i++) {
            w.write(frame(i, T0 + (i - from) * 33_333L), 0);
            if ((i - from) % 30 == 29) {
                w.flush();
            }
        }
    }

    @Test
    void copiesEveryAccessUnitUnchangedAndEveryFrameDecodesInOrder() throws Exception {
        Path file = dir.resolve("seg.mp4");
        try (SegmentWriter w = WRITERS.open(file, "h264", W, H)) {
            writeSteady(w, 0, 90);
        }

        MediaProbe.Probe probe = MediaProbe.ffprobe(file);
        assertThat(probe.codec()).isEqualTo("h264");
        assertThat(probe.format()).contains("mp4");
        assertThat(probe.decodedFrames()).isEqualTo(90);
        assertThat(probe.width()).isEqualTo(W);
        assertThat(probe.height()).isEqualTo(H);
        assertThat(MediaProbe.decodeErrors(file)).isEmpty();
        assertThat(TestFrames.counters(TestFrames.decode(file))).isEqualTo(IntStream.range(0, 90).boxed().toList());

        List<MediaProbe.Packet> packets = MediaProbe.packets(file);
        assertThat(packets).hasSize(90);
        for (int i = 0; i < 90; i++) {
            // the same NAL units, byte for byte, SPS and PPS included: only the framing (start codes → lengths) differs
            assertThat(MediaProbe.nalsOfSample(packets.get(i).data()))
                    .as("NAL units of frame %d", i)
                    .containsExactlyElementsOf(MediaProbe.nalsOfAnnexB(units.get(i).data()));
            assertThat(packets.get(i).key()).as("key flag of frame %d", i).isEqualTo(units.get(i).key());
        }
    }

    @Test
    void keepsVariableFrameTimingAndPausesAcrossFragments() throws Exception {
        Path file = dir.resolve("vfr.mp4");
        List<Long> captures = new ArrayList<>();
        long t = T0;
        try (SegmentWriter w = WRITERS.open(file, "h264", W, H)) {
            for (int i = 0; i < 100; i++) {
                if (i > 0) {
                    t += i == 31 ? 2_500_000 : i % 10 == 5 ? 100_000 : i % 3 == 0 ? 20_000 : 40_000;
                }
                captures.add(t);
                w.write(frame(i, t), 0);
                if (i % 25 == 24 || i == 30) {
                    w.flush(); // fragment boundaries right before the pause and elsewhere
                }
            }
        }
        List<MediaProbe.Packet> packets = MediaProbe.packets(file);
        assertThat(packets).hasSize(100);
        for (int i = 0; i < 100; i++) {
            // the 90 kHz track clock rounds to 11 µs
            assertThat(packets.get(i).ptsUs()).as("time of frame %d", i).isCloseTo(captures.get(i) - T0, within(12L));
        }
        assertThat(TestFrames.counters(TestFrames.decode(file))).isEqualTo(IntStream.range(0, 100).boxed().toList());
    }

    @Test
    void aFrameFlushedRightAfterAPauseEndsBeforeTheNextFrame() throws Exception {
        // the second picture 0.7 s after the first (a camera's encoder starting up), flushed before the third
        Path file = dir.resolve("pause.mp4");
        long t = T0;
        try (SegmentWriter w = WRITERS.open(file, "h264", W, H)) {
            for (int i = 0; i < 40; i++) {
                w.write(frame(i, t), 0);
                if (i == 1 || i == 20) {
                    w.flush();
                }
                t += i == 0 ? 700_000 : 33_333;
            }
        }
        List<MediaProbe.Packet> packets = MediaProbe.packets(file);
        assertThat(packets).hasSize(40);
        for (int i = 0; i + 1 < packets.size(); i++) {
            // a player holds a frame for its whole duration: one lasting into the next would hide it
            assertThat(packets.get(i).ptsUs() + packets.get(i).durationUs()).as("end of frame %d", i)
                    .isLessThanOrEqualTo(packets.get(i + 1).ptsUs() + 12);
        }
    }

    @Test
    void aSegmentStartsOnlyOnAKeyframe() throws Exception {
        Path file = dir.resolve("late.mp4");
        assertThat(WRITERS.canStartSegment(frame(5, T0))).isFalse();
        assertThat(WRITERS.canStartSegment(frame(30, T0))).isTrue();
        try (SegmentWriter w = WRITERS.open(file, "h264", W, H)) {
            assertThatThrownBy(() -> w.write(frame(5, T0), 0))
                    .isInstanceOf(Fmp4CopyWriter.KeyframeRequiredException.class)
                    .hasMessageContaining("keyframe");
            // the caller skips to the next keyframe and starts there, with the same writer
            for (int i = 30; i < 60; i++) {
                w.write(frame(i, T0 + (i - 30) * 33_333L), 0);
            }
        }
        List<MediaProbe.Packet> packets = MediaProbe.packets(file);
        assertThat(packets.get(0).key()).isTrue();
        assertThat(packets.get(0).ptsUs()).isZero();
        assertThat(TestFrames.counters(TestFrames.decode(file))).isEqualTo(IntStream.range(30, 60).boxed().toList());
    }

    @Test
    void eachFlushEndsAFragmentThatPlaysWithoutTheRestOfTheFile() throws Exception {
        Path file = dir.resolve("open.mp4");
        SegmentWriter w = WRITERS.open(file, "h264", W, H);
        writeSteady(w, 0, 60); // two flushes
        for (int i = 60; i < 75; i++) {
            w.write(frame(i, T0 + i * 33_333L), 0); // half a fragment, not flushed
        }
        // no close: the file as a crash right now would leave it
        Path cut = dir.resolve("cut.mp4");
        Files.copy(file, cut);
        assertThat(TestFrames.counters(TestFrames.decode(cut))).isEqualTo(IntStream.range(0, 60).boxed().toList());
        assertThat(MediaProbe.ffprobe(cut).decodedFrames()).isEqualTo(60);
        assertThat(boxes(cut)).containsExactly("ftyp", "moov", "moof", "mdat", "moof", "mdat");
        w.close();
        assertThat(boxes(file)).containsExactly("ftyp", "moov", "moof", "mdat", "moof", "mdat", "moof", "mdat", "mfra");
        assertThat(MediaProbe.ffprobe(file).decodedFrames()).isEqualTo(75);
    }

    @Test
    void aFinishedSegmentReportsItsDuration() throws Exception {
        Path file = dir.resolve("done.mp4");
        try (SegmentWriter w = WRITERS.open(file, "h264", W, H)) {
            writeSteady(w, 0, 120);
        }
        double expected = 120 * 33_333 / 1e6; // 119 steps and the last frame's own 1/30 s
        assertThat(MediaProbe.ffprobe(file).durationSeconds()).isCloseTo(expected, within(0.002));
        try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(file.toFile())) {
            g.start();
            assertThat(g.getLengthInTime() / 1e6).isCloseTo(expected, within(0.002));
            g.stop();
        }
        // what the index reads when it rebuilds a lost sidecar
        SegmentProbe.Result probed = new FfmpegSegmentProbe().probe(file);
        assertThat(probed.frames()).isEqualTo(120);
        assertThat(probed.lastPtsMs()).isCloseTo(119 * 33_333 / 1000, within(1L));
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            Mp4Boxes.Box moov = Mp4Boxes.topLevel(ch).get(1);
            assertThat(moov.type()).isEqualTo("moov");
            assertThat(Mp4Boxes.child(ch, moov, "mvex")).as("still a fragmented file").isNotNull();
        }
    }

    @Test
    void anAbsurdCameraClockFallsBackToTheServersSpacing() throws Exception {
        Path file = dir.resolve("clock.mp4");
        long ingest = T0 + 40_000;
        List<Long> ingests = new ArrayList<>();
        try (SegmentWriter w = WRITERS.open(file, "h264", W, H)) {
            for (int i = 0; i < 40; i++) {
                // the camera's clock steps back to 1970 at frame 10 and forward by a day at frame 25
                long capture = i < 10 ? T0 + i * 33_333L : i < 25 ? i * 33_333L : T0 + 86_400_000_000L + i * 33_333L;
                ingests.add(ingest);
                w.write(H264TestStream.frame("cam1", units.get(i), capture, ingest, W, H), 0);
                ingest += 33_333;
            }
        }
        List<MediaProbe.Packet> packets = MediaProbe.packets(file);
        assertThat(packets).hasSize(40);
        for (int i = 0; i < 40; i++) {
            assertThat(packets.get(i).ptsUs()).as("time of frame %d", i).isCloseTo(ingests.get(i) - ingests.get(0), within(12L));
        }
        assertThat(MediaProbe.ffprobe(file).durationSeconds()).isCloseTo(40 * 0.033333, within(0.002));
    }

    @Test
    void refusesWhatIsNotAnH264AccessUnit() throws Exception {
        Path file = dir.resolve("bad.mp4");
        try (SegmentWriter w = WRITERS.open(file, "h264", W, H)) {
            Frame jpeg = new Frame("cam1", 1, 0, T0, T0, W, H, "h264", TestFrames.jpeg(0), 0, () -> { });
            assertThatThrownBy(() -> w.write(jpeg, 0)).hasMessageContaining("not an H.264 access unit");
        }
        assertThat(WRITERS.extension("h264")).isEqualTo("mp4");
        assertThat(WRITERS.extension("jpeg")).isEqualTo("mkv");
        assertThatThrownBy(() -> WRITERS.open(dir.resolve("x"), "vp8", W, H)).hasMessageContaining("vp8");
    }

    @Test
    void jpegFramesStillGoToMatroska() throws Exception {
        Path file = dir.resolve("jpeg.mkv");
        try (SegmentWriter w = WRITERS.open(file, "jpeg", TestFrames.WIDTH, TestFrames.HEIGHT)) {
            for (int i = 0; i < 10; i++) {
                w.write(new Frame("cam1", i + 1, i, T0, T0, TestFrames.WIDTH, TestFrames.HEIGHT, "jpeg", TestFrames.jpeg(i), 0,
                        () -> { }), i * 40L);
            }
        }
        assertThat(MediaProbe.ffprobe(file).format()).contains("matroska");
        assertThat(TestFrames.counters(TestFrames.decode(file))).isEqualTo(IntStream.range(0, 10).boxed().toList());
    }

    static List<String> boxes(Path file) throws Exception {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return Mp4Boxes.topLevel(ch).stream().map(Mp4Boxes.Box::type).toList();
        }
    }
}
