package io.github.cctv.camera;

import io.github.cctv.protocol.wire.Codec;
import io.github.cctv.protocol.wire.Message;
import io.github.cctv.testing.PublishedRtspTestCamera;
import io.github.cctv.testing.RtspTestCamera;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Real RTSP H.264 cameras bridged by pass-through: GStreamer's RTSP server (x264, 720p30, TCP and UDP), and ffmpeg
 * publishing to rtsp-server-perl (UDP only).
 */
class RtspCameraIT {

    @TempDir
    Path tmp;

    @ParameterizedTest(name = "RTSP over {0}, SPS/PPS in the stream: {1}")
    @CsvSource({"tcp, true", "udp, true", "tcp, false"})
    void everyAccessUnitTheCameraSendsReachesTheServerAsAKeyableAnnexBStream(String transport, boolean inBand)
            throws Exception {
        Tools.requireFfmpeg();
        try (RtspTestCamera camera = RtspTestCamera.builder().size(1280, 720).fps(30).keyInterval(30)
                .inBandParameterSets(inBand).start(tmp)) {
            GrabberSource source = GrabberSource.open(camera.url(), SourceRequest.asSent().withRtspTransport(transport),
                    Clock.systemUTC());
            assertThat(source.passThrough()).isTrue();
            assertThat(source.format()).isEqualTo(new StreamFormat(Codec.H264, 1280, 720, 30));
            try (FakeIngestServer server = new FakeIngestServer()) {
                FakeIngestServer.Streamed streamed = server.streamToEnd(
                        CameraStreamer.builder().id("rtsp-cam").frameLimit(90).source(source), Duration.ofSeconds(40));
                FakeIngestServer.Conn conn = streamed.conn();
                assertThat(conn.hello.codec()).isEqualTo(Codec.H264);
                assertThat(conn.hello.width()).isEqualTo(1280);
                assertThat(conn.hello.height()).isEqualTo(720);
                assertThat(conn.hello.fpsMilli()).isEqualTo(30_000);

                List<Message.Frame> frames = conn.frames();
                assertThat(frames).hasSize(90);
                assertThat(frames.get(0).keyFrame()).as("the stream starts on an IDR").isTrue();
                H264Check.assertProtocolRules(frames); // with SPS/PPS inserted where the camera sent none
                assertThat(frames.stream().filter(Message.Frame::keyFrame).count()).as("an IDR a second").isEqualTo(3);
                assertThat(streamed.stats().framesDropped()).isZero();
                long lastCapture = 0;
                for (Message.Frame f : frames) {
                    assertThat(f.captureMicros()).isGreaterThan(lastCapture);
                    lastCapture = f.captureMicros();
                }
                // the camera's 33 ms spacing, not the network's (a burst would be ~0 ms apart): judged by the median
                // interval, since a camera starved of CPU on a loaded machine stamps a few frames unevenly
                List<Long> gaps = new ArrayList<>();
                for (int i = 1; i < frames.size(); i++) {
                    gaps.add(frames.get(i).captureMicros() - frames.get(i - 1).captureMicros());
                }
                gaps.sort(null);
                assertThat(gaps.get(gaps.size() / 2)).as("median capture interval, µs").isBetween(30_000L, 37_000L);
                assertThat(frames.get(89).captureMicros() - frames.get(0).captureMicros()).isBetween(2_500_000L, 3_300_000L);

                H264Check.assertDecodedInOrder(frames, tmp.resolve("rtsp-" + transport + "-" + inBand + ".h264"));
            }
        }
    }

    @Test
    void aStreamFfmpegPublishesToAnRtspServerReachesTheServerOverUdpEveryAccessUnitInOrder() throws Exception {
        Tools.requireFfmpeg();
        try (PublishedRtspTestCamera camera = PublishedRtspTestCamera.builder().size(640, 360).fps(30).keyInterval(30)
                .start(tmp)) {
            GrabberSource source = GrabberSource.open(camera.url(), SourceRequest.asSent().withRtspTransport("udp"),
                    Clock.systemUTC());
            assertThat(source.passThrough()).isTrue();
            assertThat(source.format()).isEqualTo(new StreamFormat(Codec.H264, 640, 360, 30));
            try (FakeIngestServer server = new FakeIngestServer()) {
                FakeIngestServer.Streamed streamed = server.streamToEnd(
                        CameraStreamer.builder().id("published-cam").frameLimit(90).source(source), Duration.ofSeconds(40));
                List<Message.Frame> frames = streamed.conn().frames();
                assertThat(frames).hasSize(90);
                assertThat(frames.get(0).keyFrame()).as("the stream starts on an IDR").isTrue();
                H264Check.assertProtocolRules(frames);
                assertThat(frames.stream().filter(Message.Frame::keyFrame).count()).as("an IDR a second").isEqualTo(3);
                assertThat(streamed.stats().framesDropped()).isZero();

                H264Check.assertDecodedInOrder(frames, tmp.resolve("published.h264"));
            }
        }
    }

    @Test
    void anRtspServerThatStreamsOverUdpOnlyAskedForTcpFailsWithAHintAtTheOption() throws Exception {
        Tools.requireFfmpeg();
        try (PublishedRtspTestCamera camera = PublishedRtspTestCamera.builder().size(320, 240).fps(30).start(tmp)) {
            assertThatThrownBy(() -> GrabberSource.open(camera.url(), SourceRequest.asSent(), Clock.systemUTC()))
                    .isInstanceOf(java.io.IOException.class)
                    .hasMessageContaining("cannot open " + camera.url())
                    .hasMessageContaining("--rtsp-transport udp");
        }
    }

    @Test
    void afterTheServerDropsTheConnectionTheCameraResumesAtAnIdr() throws Exception {
        Tools.requireFfmpeg();
        try (RtspTestCamera camera = RtspTestCamera.builder().size(640, 360).fps(30).keyInterval(30).start(tmp);
             FakeIngestServer server = new FakeIngestServer()) {
            GrabberSource source = GrabberSource.open(camera.url(), SourceRequest.asSent(), Clock.systemUTC());
            try (CameraStreamer cam = CameraStreamer.builder().server("127.0.0.1", server.port()).id("rtsp-again")
                    .source(source).build()) {
                cam.start();
                await().atMost(Duration.ofSeconds(20)).until(() -> !server.connections().isEmpty()
                        && server.connection(0).frames().size() >= 45);
                server.connection(0).drop();
                await().atMost(Duration.ofSeconds(20)).until(() -> server.connections().size() == 2
                        && server.connection(1).frames().size() >= 45);
                cam.stop();
                List<Message.Frame> again = server.connection(1).frames();
                assertThat(again.get(0).keyFrame()).as("a receiver can start on the first frame").isTrue();
                assertThat(again.get(0).seq()).isEqualTo(1);
                H264Check.assertProtocolRules(again);
                List<Long> counters = H264Check.counters(H264Check.write(again, tmp.resolve("again.h264")));
                assertThat(counters).hasSize(again.size());
                H264Check.assertConsecutive(counters);
            }
        }
    }

    @Test
    void aSmallerSizeAndRateThanTheCameraSendsAreDecodedScaledThinnedAndEncodedAgain() throws Exception {
        Tools.requireFfmpeg();
        try (RtspTestCamera camera = RtspTestCamera.builder().size(640, 360).fps(30).start(tmp);
             FakeIngestServer server = new FakeIngestServer()) {
            GrabberSource source = GrabberSource.open(camera.url(), SourceRequest.asSent().withSize(320, 180).withFps(15),
                    Clock.systemUTC());
            assertThat(source.passThrough()).isFalse();
            assertThat(source.format()).isEqualTo(new StreamFormat(Codec.H264, 320, 180, 15));
            List<Message.Frame> frames = server.streamToEnd(
                    CameraStreamer.builder().id("rtsp-small").frameLimit(30).source(source), Duration.ofSeconds(40)).frames();
            assertThat(frames).hasSize(30);
            assertThat(frames.get(0).keyFrame()).isTrue();
            H264Check.assertProtocolRules(frames);
            Path file = H264Check.write(frames, tmp.resolve("small.h264"));
            assertThat(H264Check.ffprobeFrames(file)).isEqualTo(30);
            List<Long> counters = H264Check.counters(file);
            assertThat(counters).hasSize(30).doesNotContain(-1L);
            // every other camera frame: 30 fps thinned to 15
            for (int i = 1; i < counters.size(); i++) {
                assertThat(counters.get(i) - counters.get(i - 1)).as("step at %d", i).isBetween(1L, 3L);
            }
            assertThat(counters.get(29) - counters.get(0)).isBetween(50L, 64L);
        }
    }
}
