package io.github.cctv.camera;

import io.github.cctv.protocol.wire.Message;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.Java2DFrameConverter;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** What a test checks of H.264 frames that reached the server: the protocol's rules, and a real decoder's view. */
final class H264Check {

    private H264Check() {
    }

    /**
     * Every frame one access unit in Annex B form; the key flag set exactly on IDR access units; SPS and PPS
     * in-band before the first slice of every IDR.
     */
    static void assertProtocolRules(List<Message.Frame> frames) {
        assertThat(frames).isNotEmpty();
        for (int i = 0; i < frames.size(); i++) {
            byte[] au = frames.get(i).data();
            assertThat(AnnexB.startsWithStartCode(au)).as("frame %d starts with a start code", i).isTrue();
            List<AnnexB.Nal> units = AnnexB.units(au);
            boolean idr = units.stream().anyMatch(n -> n.type() == AnnexB.NAL_IDR);
            assertThat(frames.get(i).keyFrame()).as("frame %d key flag = IDR", i).isEqualTo(idr);
            assertThat(units.stream().filter(n -> n.type() == AnnexB.NAL_IDR || n.type() == AnnexB.NAL_SLICE).count())
                    .as("frame %d holds slices", i).isPositive();
            if (idr) {
                List<Integer> beforeSlices = new ArrayList<>();
                for (AnnexB.Nal n : units) {
                    if (n.type() == AnnexB.NAL_IDR) {
                        break;
                    }
                    beforeSlices.add(n.type());
                }
                assertThat(beforeSlices).as("frame %d: SPS and PPS before the IDR slice", i)
                        .contains(AnnexB.NAL_SPS, AnnexB.NAL_PPS);
            }
        }
    }

    /** The frames' bytes one after the other: a raw H.264 elementary stream any decoder plays. */
    static Path write(List<Message.Frame> frames, Path file) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Message.Frame f : frames) {
            out.writeBytes(f.data());
        }
        Files.write(file, out.toByteArray());
        return file;
    }

    /** The counter strip of every picture FFmpeg decodes from the raw H.264 file, in order; -1 where unreadable. */
    static List<Long> counters(Path h264) throws Exception {
        List<Long> counters = new ArrayList<>();
        try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(h264.toFile());
             Java2DFrameConverter converter = new Java2DFrameConverter()) {
            g.setFormat("h264");
            g.start();
            Frame f;
            while ((f = g.grabImage()) != null) {
                counters.add(TestPatternSource.readCounter(converter.convert(f)).orElse(-1));
            }
            g.stop();
        }
        return counters;
    }

    /** Pictures ffprobe decodes from the file, counted by ffprobe itself. */
    static int ffprobeFrames(Path file) throws Exception {
        File log = file.resolveSibling(file.getFileName() + ".ffprobe").toFile();
        Tools.run(log, "ffprobe", "-v", "error", "-count_frames", "-select_streams", "v:0",
                "-show_entries", "stream=nb_read_frames,codec_name", "-of", "default=noprint_wrappers=1", file.toString());
        String out = Files.readString(log.toPath());
        assertThat(out).contains("codec_name=h264");
        return Integer.parseInt(out.replaceAll("(?s).*nb_read_frames=(\\d+).*", "$1"));
    }

    /**
     * Writes the frames to {@code file} as one Annex B stream, which ffprobe must decode picture for picture and
     * whose burned-in counters must follow each other: no frame lost or damaged between camera and server.
     */
    static void assertDecodedInOrder(List<Message.Frame> frames, Path file) throws Exception {
        write(frames, file);
        assertThat(ffprobeFrames(file)).as("ffprobe decodes every frame").isEqualTo(frames.size());
        List<Long> counters = counters(file);
        assertThat(counters).hasSize(frames.size());
        assertConsecutive(counters);
    }

    /** True when each counter is one more than the one before. */
    static void assertConsecutive(List<Long> counters) {
        assertThat(counters).doesNotContain(-1L);
        for (int i = 1; i < counters.size(); i++) {
            assertThat(counters.get(i)).as("counter %d follows %d", i, i - 1).isEqualTo(counters.get(i - 1) + 1);
        }
    }
}
