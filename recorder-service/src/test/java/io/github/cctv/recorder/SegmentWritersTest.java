package io.github.cctv.recorder;

import io.github.cctv.recorder.config.RecorderConfig;
import io.github.cctv.recorder.domain.recording.Frame;
import io.github.cctv.recorder.domain.recording.SegmentWriter;
import io.github.cctv.recorder.media.SegmentWriters;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SegmentWritersTest {

    @TempDir
    Path dir;

    private static Frame frame(int i) {
        return new Frame("cam1", i + 1, i, 0, 0, TestFrames.WIDTH, TestFrames.HEIGHT, "jpeg", TestFrames.jpeg(i), 0, () -> { });
    }

    private static void write(SegmentWriter w, int n) throws Exception {
        for (int i = 0; i < n; i++) {
            w.write(frame(i), i * 40L);
        }
    }

    @Test
    void h264FormatReencodesEveryFrameInOrderWithItsTimestamp() throws Exception {
        Path file = dir.resolve("h264.mkv");
        try (SegmentWriter w = SegmentWriters.forFormat(RecorderConfig.Format.H264, 1_000_000).open(file, "jpeg", TestFrames.WIDTH, TestFrames.HEIGHT)) {
            write(w, 30);
        }
        try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(file.toFile())) {
            g.start();
            assertThat(g.getVideoCodecName()).isEqualTo("h264");
            g.stop();
        }
        List<TestFrames.Decoded> decoded = TestFrames.decode(file);
        assertThat(TestFrames.counters(decoded)).isEqualTo(IntStream.range(0, 30).boxed().toList());
        assertThat(decoded.get(29).timestampUs() - decoded.get(0).timestampUs()).isEqualTo(29 * 40_000L);
    }

    @Test
    void copyFormatKeepsTheJpegBytesAndAFlushedFilePlaysWithoutItsEnd() throws Exception {
        Path file = dir.resolve("copy.mkv");
        SegmentWriter w = SegmentWriters.forFormat(RecorderConfig.Format.COPY, 0).open(file, "jpeg", TestFrames.WIDTH, TestFrames.HEIGHT);
        write(w, 12);
        w.flush();
        // no close: as if the process died right after this flush
        Path copy = dir.resolve("cut.mkv");
        Files.copy(file, copy);
        assertThat(TestFrames.counters(TestFrames.decode(copy))).isEqualTo(IntStream.range(0, 12).boxed().toList());
        w.close();
    }

    @Test
    void unwritableFileIsAClearError() {
        Path file = dir.resolve("missing-folder").resolve("x.mkv");
        assertThatThrownBy(() -> SegmentWriters.forFormat(RecorderConfig.Format.COPY, 0).open(file, "jpeg", 320, 240))
                .hasMessageContaining("cannot open").hasMessageContaining("x.mkv");
    }
}
