package io.github.cctv.camera;

import io.github.cctv.protocol.wire.Codec;
import io.github.cctv.protocol.wire.Message;
import io.github.cctv.testing.CounterStrip;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Video files through FFmpeg: H.264 passed through, everything else encoded; files made by the real ffmpeg. */
class GrabberSourceIT {

    @TempDir
    Path tmp;

    /** {@code frames} frames of ffmpeg's test picture with the counter strip (1, 2, 3…), encoded with {@code codecArgs}. */
    private Path video(String name, int frames, String... codecArgs) throws Exception {
        Path out = tmp.resolve(name);
        List<String> cmd = new java.util.ArrayList<>(List.of("ffmpeg", "-y", "-hide_banner", "-loglevel", "error",
                "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=50", "-filter_complex", CounterStrip.ffmpegFilter(320, 240),
                "-map", "[camera]", "-frames:v", String.valueOf(frames)));
        cmd.addAll(List.of(codecArgs));
        cmd.add(out.toString());
        Tools.run(tmp.resolve(name + ".log").toFile(), cmd.toArray(String[]::new));
        return out;
    }

    private static List<Message.Frame> stream(FrameSource source, String id, long frames) throws Exception {
        try (FakeIngestServer server = new FakeIngestServer()) {
            return server.streamToEnd(CameraStreamer.builder().id(id).frameLimit(frames).source(source),
                    Duration.ofSeconds(60)).frames();
        }
    }

    @Test
    void anH264Mp4FileIsPassedThroughAsAnnexBByteForByteWithParameterSetsBeforeEveryIdr() throws Exception {
        Tools.requireFfmpeg();
        Path mp4 = video("clip.mp4", 40, "-c:v", "libx264", "-preset", "ultrafast", "-bf", "0", "-g", "10",
                "-pix_fmt", "yuv420p");
        // the reference: ffmpeg's own copy of the stream as Annex B
        Path reference = tmp.resolve("reference.h264");
        Tools.run(tmp.resolve("ref.log").toFile(), "ffmpeg", "-y", "-hide_banner", "-loglevel", "error", "-i", mp4.toString(),
                "-c:v", "copy", "-bsf:v", "h264_mp4toannexb", "-f", "h264", reference.toString());

        GrabberSource source = GrabberSource.open(mp4.toString(), SourceRequest.asSent(), Clock.systemUTC());
        assertThat(source.kind()).isEqualTo(GrabberSource.Kind.FILE);
        assertThat(source.passThrough()).isTrue();
        assertThat(source.format()).isEqualTo(new StreamFormat(Codec.H264, 320, 240, 50));
        List<Message.Frame> frames = stream(source, "mp4cam", 40);

        assertThat(frames).hasSize(40);
        H264Check.assertProtocolRules(frames);
        assertThat(java.util.stream.IntStream.range(0, 40).filter(i -> frames.get(i).keyFrame()).boxed().toList())
                .containsExactly(0, 10, 20, 30);
        ByteArrayOutputStream sent = new ByteArrayOutputStream();
        frames.forEach(f -> sent.writeBytes(f.data()));
        assertThat(sent.toByteArray()).as("the access units are ffmpeg's Annex B copy of the file, byte for byte")
                .isEqualTo(Files.readAllBytes(reference));
        List<Long> counters = H264Check.counters(H264Check.write(frames, tmp.resolve("sent.h264")));
        assertThat(counters).hasSize(40);
        assertThat(counters.get(0)).isEqualTo(1);
        H264Check.assertConsecutive(counters);
    }

    @Test
    void h264WithBFramesIsEncodedAgainInDisplayOrder() throws Exception {
        Tools.requireFfmpeg();
        Path mp4 = video("bframes.mp4", 30, "-c:v", "libx264", "-preset", "ultrafast", "-bf", "2", "-g", "15",
                "-pix_fmt", "yuv420p");
        GrabberSource source = GrabberSource.open(mp4.toString(), SourceRequest.asSent(), Clock.systemUTC());
        assertThat(source.passThrough()).isFalse();
        List<Message.Frame> frames = stream(source, "bcam", 25);
        H264Check.assertProtocolRules(frames);
        List<Long> counters = H264Check.counters(H264Check.write(frames, tmp.resolve("b.h264")));
        assertThat(counters).hasSize(25);
        assertThat(counters.get(0)).isEqualTo(1);
        H264Check.assertConsecutive(counters);
    }

    @Test
    void aFileInAnotherCodecIsEncodedToH264() throws Exception {
        Tools.requireFfmpeg();
        Path avi = video("clip.avi", 20, "-c:v", "mpeg4", "-q:v", "2");
        GrabberSource source = GrabberSource.open(avi.toString(), SourceRequest.asSent(), Clock.systemUTC());
        assertThat(source.passThrough()).isFalse();
        assertThat(source.format().codec()).isEqualTo(Codec.H264);
        List<Message.Frame> frames = stream(source, "avicam", 15);
        H264Check.assertProtocolRules(frames);
        assertThat(H264Check.ffprobeFrames(H264Check.write(frames, tmp.resolve("avi.h264")))).isEqualTo(15);
    }

    @Test
    void videoFileLoopsForever() throws Exception {
        Tools.requireFfmpeg();
        File video = tmp.resolve("ten-frames.mp4").toFile();
        // ten clearly distinct frames (the hue turns 36 degrees a frame), all key frames so a loop restarts exactly
        Tools.run(tmp.resolve("ffmpeg.log").toFile(), "ffmpeg", "-y", "-hide_banner", "-f", "lavfi",
                "-i", "testsrc=size=320x240:rate=10", "-vf", "hue=h=36*n", "-frames:v", "10", "-c:v", "mpeg4", "-g", "1", "-q:v", "2",
                video.getAbsolutePath());

        SourceRequest jpegSmall = SourceRequest.asSent().withCodec(Codec.JPEG).withSize(160, 120).withFps(50);
        GrabberSource source = GrabberSource.open(video.getAbsolutePath(), jpegSmall, Clock.systemUTC());
        assertThat(source.kind()).isEqualTo(GrabberSource.Kind.FILE);
        assertThat(source.format()).isEqualTo(new StreamFormat(Codec.JPEG, 160, 120, 50));
        List<Message.Frame> frames = stream(source, "file1", 25);
        assertThat(frames).hasSize(25);
        for (Message.Frame f : frames) {
            BufferedImage img = ImageIO.read(new ByteArrayInputStream(f.data()));
            assertThat(img.getWidth()).isEqualTo(160);
            assertThat(img.getHeight()).isEqualTo(120);
        }
        assertThat(source.loops()).isGreaterThanOrEqualTo(2);
        // the file played in order and started over: frame 11 is frame 1 again, frame 2 is not
        assertThat(meanDifference(frames.get(0).data(), frames.get(10).data())).isLessThan(2.0);
        assertThat(meanDifference(frames.get(0).data(), frames.get(20).data())).isLessThan(2.0);
        assertThat(meanDifference(frames.get(0).data(), frames.get(1).data())).isGreaterThan(10.0);
        assertThat(meanDifference(frames.get(3).data(), frames.get(13).data())).isLessThan(2.0);
    }

    /** Mean absolute difference per channel between two same-size JPEGs, 0..255. */
    static double meanDifference(byte[] a, byte[] b) throws Exception {
        BufferedImage x = ImageIO.read(new ByteArrayInputStream(a));
        BufferedImage y = ImageIO.read(new ByteArrayInputStream(b));
        long sum = 0;
        for (int j = 0; j < x.getHeight(); j++) {
            for (int i = 0; i < x.getWidth(); i++) {
                int p = x.getRGB(i, j);
                int q = y.getRGB(i, j);
                sum += Math.abs(((p >> 16) & 0xFF) - ((q >> 16) & 0xFF)) + Math.abs(((p >> 8) & 0xFF) - ((q >> 8) & 0xFF))
                        + Math.abs((p & 0xFF) - (q & 0xFF));
            }
        }
        return sum / (3.0 * x.getWidth() * x.getHeight());
    }
}
