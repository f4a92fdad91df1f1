package io.github.cctv.camera;

import io.github.cctv.protocol.wire.Codec;
import io.github.cctv.protocol.wire.Message;
import io.github.cctv.testing.MjpegTestCamera;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A real HTTP MJPEG camera (ffmpeg serving multipart JPEG at 720p30) bridged by pass-through. */
class MjpegCameraIT {

    @TempDir
    Path tmp;

    @Test
    void everyJpegTheCameraServesReachesTheServerByteForByte() throws Exception {
        try (MjpegTestCamera camera = MjpegTestCamera.builder().size(640, 360).fps(30).start(tmp)) {
            GrabberSource source = GrabberSource.open(camera.url(), SourceRequest.asSent(), Clock.systemUTC());
            assertThat(source.kind()).isEqualTo(GrabberSource.Kind.LIVE);
            assertThat(source.passThrough()).isTrue();
            assertThat(source.format()).extracting(StreamFormat::codec, StreamFormat::width, StreamFormat::height)
                    .containsExactly(Codec.JPEG, 640, 360);
            // multipart MJPEG states no rate: it is measured, the burst of buffered frames at the start left out
            // (30 fps, or less when this shared machine keeps ffmpeg from keeping up; never more)
            assertThat(source.format().fps()).isBetween(15.0, 30.0);
            try (FakeIngestServer server = new FakeIngestServer()) {
                FakeIngestServer.Streamed streamed = server.streamToEnd(
                        CameraStreamer.builder().id("mjpeg-cam").frameLimit(90).source(source), Duration.ofSeconds(30));
                FakeIngestServer.Conn conn = streamed.conn();
                assertThat(conn.hello.codec()).isEqualTo(Codec.JPEG);
                assertThat(conn.hello.width()).isEqualTo(640);
                assertThat(conn.hello.fpsMilli()).isEqualTo((int) Math.round(source.format().fps() * 1000));
                List<Message.Frame> received = conn.frames();
                assertThat(received).hasSize(90);
                assertThat(streamed.stats().framesDropped()).as("frames lost after the first one sent").isZero();

                // what the camera served over HTTP, captured by ffmpeg itself: the frames arrived as a run of it
                List<byte[]> served = camera.servedFrames();
                int first = indexOf(served, received.get(0).data());
                assertThat(first).as("the first frame sent is one the camera served").isNotNegative();
                assertThat(served.size()).isGreaterThanOrEqualTo(first + 90);
                long lastCapture = 0;
                for (int i = 0; i < received.size(); i++) {
                    Message.Frame f = received.get(i);
                    assertThat(f.data()).as("frame %d byte for byte as served", i).isEqualTo(served.get(first + i));
                    assertThat(f.keyFrame()).isTrue();
                    assertThat(f.captureMicros()).isGreaterThan(lastCapture);
                    lastCapture = f.captureMicros();
                }
                long c0 = TestPatternSource.readCounter(received.get(0).data()).orElseThrow();
                for (int i = 0; i < received.size(); i++) {
                    assertThat(TestPatternSource.readCounter(received.get(i).data())).as("burned-in counter of frame %d", i)
                            .hasValue(c0 + i);
                }
            }
        }
    }

    @Test
    void everyJpegFromTheCamerasFirstReachesAServerThatAcceptsLate() throws Exception {
        try (MjpegTestCamera camera = MjpegTestCamera.builder().size(640, 360).fps(30).start(tmp)) {
            GrabberSource source = GrabberSource.open(camera.url(), SourceRequest.asSent(), Clock.systemUTC());
            // a busy server: the accept comes 2.5 s after the hello, while the camera keeps sending
            try (FakeIngestServer server = new FakeIngestServer(hello -> {
                try {
                    Thread.sleep(2500); // the server's slowness, not a wait for a result
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return FakeIngestServer.ACCEPT;
            }, true)) {
                FakeIngestServer.Streamed streamed = server.streamToEnd(
                        CameraStreamer.builder().id("mjpeg-late").frameLimit(150).source(source), Duration.ofSeconds(40));
                List<Message.Frame> received = streamed.frames();
                assertThat(received).hasSize(150);
                assertThat(streamed.stats().framesDropped()).isZero();
                List<byte[]> served = camera.servedFrames();
                assertThat(served.size()).as("the camera served more than was queued at the accept").isGreaterThan(150);
                for (int i = 0; i < received.size(); i++) {
                    assertThat(received.get(i).data()).as("frame %d: the camera's frame %d, byte for byte", i, i)
                            .isEqualTo(served.get(i));
                }
                long c0 = TestPatternSource.readCounter(received.get(0).data()).orElseThrow();
                long c149 = TestPatternSource.readCounter(received.get(149).data()).orElseThrow();
                assertThat(c149 - c0).as("burned-in counters, first to last").isEqualTo(149);
            }
        }
    }

    private static int indexOf(List<byte[]> frames, byte[] frame) {
        for (int i = 0; i < frames.size(); i++) {
            if (Arrays.equals(frames.get(i), frame)) {
                return i;
            }
        }
        return -1;
    }
}
