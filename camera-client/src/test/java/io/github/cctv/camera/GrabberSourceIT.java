package io.github.cctv.camera;

import io.github.cctv.protocol.wire.Message;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.File;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Grabbed sources through FFmpeg, against files and a live HTTP MJPEG stream made by the real ffmpeg. */
class GrabberSourceIT {

    @TempDir
    Path tmp;

    @Test
    void videoFileLoopsForever() throws Exception {
        Tools.requireFfmpeg();
        File video = tmp.resolve("ten-frames.mp4").toFile();
        // ten clearly distinct frames (the hue turns 36 degrees a frame), all key frames so a loop restarts exactly
        Tools.run(tmp.resolve("ffmpeg.log").toFile(), "ffmpeg", "-y", "-hide_banner", "-f", "lavfi",
                "-i", "testsrc=size=320x240:rate=10", "-vf", "hue=h=36*n", "-frames:v", "10", "-c:v", "mpeg4", "-g", "1", "-q:v", "2",
                video.getAbsolutePath());

        GrabberSource source = GrabberSource.open(video.getAbsolutePath(), null, 160, 120, 50, 0.9f, Clock.systemUTC());
        assertThat(source.kind()).isEqualTo(GrabberSource.Kind.FILE);
        try (FakeIngestServer server = new FakeIngestServer();
             CameraStreamer cam = CameraStreamer.builder().server("127.0.0.1", server.port()).id("file1")
                     .size(160, 120).fps(50).frameLimit(25).source(source).build()) {
            cam.start();
            assertThat(cam.awaitDone(Duration.ofSeconds(30))).isTrue();
            await().atMost(Duration.ofSeconds(5)).until(() -> server.connection(0).ended);
            List<Message.Frame> frames = server.connection(0).frames();
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
    }

    @Test
    void httpMjpegCameraIsBridged() throws Exception {
        Tools.requireFfmpeg();
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        String url = "http://127.0.0.1:" + port + "/";
        // ffmpeg as a stand-in for an IP camera serving multipart MJPEG over HTTP
        Process camera = new ProcessBuilder("ffmpeg", "-hide_banner", "-loglevel", "error", "-re", "-f", "lavfi",
                "-i", "testsrc=size=320x240:rate=15", "-f", "mpjpeg", "-q:v", "3", "-listen", "1", url)
                .redirectErrorStream(true).redirectOutput(tmp.resolve("ipcam.log").toFile()).start();
        try {
            AtomicReference<GrabberSource> opened = new AtomicReference<>();
            // it listens once it has started: until then the open is refused
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                    .until(() -> {
                        opened.set(GrabberSource.open(url, null, 320, 240, 10, 0.8f, Clock.systemUTC()));
                        return true;
                    });
            GrabberSource source = opened.get();
            assertThat(source.kind()).isEqualTo(GrabberSource.Kind.LIVE);
            try (FakeIngestServer server = new FakeIngestServer();
                 CameraStreamer cam = CameraStreamer.builder().server("127.0.0.1", server.port()).id("ipcam1")
                         .size(320, 240).fps(10).frameLimit(8).source(source).build()) {
                cam.start();
                assertThat(cam.awaitDone(Duration.ofSeconds(30))).isTrue();
                await().atMost(Duration.ofSeconds(5)).until(() -> server.connection(0).ended);
                List<Message.Frame> frames = server.connection(0).frames();
                assertThat(frames).hasSize(8);
                long lastCapture = 0;
                for (Message.Frame f : frames) {
                    BufferedImage img = ImageIO.read(new ByteArrayInputStream(f.data()));
                    assertThat(img.getWidth()).isEqualTo(320);
                    assertThat(img.getHeight()).isEqualTo(240);
                    assertThat(f.captureMicros()).isGreaterThan(lastCapture);
                    lastCapture = f.captureMicros();
                }
                // a live picture: testsrc's counter and sweep change from frame to frame
                assertThat(meanDifference(frames.get(0).data(), frames.get(7).data())).isGreaterThan(1.0);
            }
        } finally {
            camera.destroyForcibly();
            camera.waitFor();
        }
    }

    /** Mean absolute difference per channel between two same-size JPEGs, 0..255. */
    private static double meanDifference(byte[] a, byte[] b) throws Exception {
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
