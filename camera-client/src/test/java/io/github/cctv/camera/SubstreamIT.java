package io.github.cctv.camera;

import io.github.cctv.protocol.wire.Codec;
import io.github.cctv.protocol.wire.Message;
import io.github.cctv.protocol.wire.Wire;
import io.github.cctv.testing.RtspTestCamera;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A second, smaller stream on the same connection: the test pattern encoded twice, a real RTSP camera's second stream
 * passed through, the same camera decoded again at the substream's size, and simulated cameras; checked at the server
 * end with the protocol's decoder and FFmpeg.
 */
class SubstreamIT {

    @TempDir
    Path tmp;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int runInProcess(String... args) {
        return CameraClient.run(args, Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), false);
    }

    /** The substream's frames: valid H.264 access units, its own consecutive sequence from 1, decodable at its size. */
    private void assertDecodableSubstream(List<Message.Frame> sub, String file, boolean countersConsecutive)
            throws Exception {
        assertThat(sub).isNotEmpty();
        assertThat(sub).allMatch(Message.Frame::substream);
        assertThat(sub.get(0).keyFrame()).as("the substream starts on an IDR").isTrue();
        H264Check.assertProtocolRules(sub);
        for (int i = 0; i < sub.size(); i++) {
            assertThat(sub.get(i).seq()).as("substream seq %d", i).isEqualTo(i + 1);
        }
        Path h264 = H264Check.write(sub, tmp.resolve(file));
        assertThat(H264Check.ffprobeFrames(h264)).isEqualTo(sub.size());
        if (countersConsecutive) {
            H264Check.assertConsecutive(H264Check.counters(h264));
        }
    }

    @Test
    void theTestPatternSendsAnH264SubstreamWithItsOwnSizeRateAndSequence() throws Exception {
        Tools.requireFfmpeg();
        try (FakeIngestServer server = new FakeIngestServer()) {
            int code = runInProcess("--server", "127.0.0.1:" + server.port(), "--id", "subpat", "--size", "640x360",
                    "--fps", "15", "--substream-size", "320x180", "--substream-fps", "5", "--frames", "45",
                    "--stats-interval", "0");
            assertThat(code).as(err.toString()).isZero();
            await().atMost(Duration.ofSeconds(5)).until(() -> !server.connections().isEmpty() && server.connection(0).ended);
            FakeIngestServer.Conn conn = server.connection(0);
            assertThat(conn.hello.version()).isEqualTo(Wire.VERSION_SUBSTREAMS);
            assertThat(conn.hello.width()).isEqualTo(640);
            assertThat(conn.hello.substream()).isEqualTo(new Message.Substream(Codec.H264, 320, 180, 5_000));
            List<Message.Frame> main = conn.frames();
            assertThat(main).hasSize(45);
            H264Check.assertProtocolRules(main);
            List<Message.Frame> sub = conn.substreamFrames();
            // 45 main frames at 15 fps are 3 s: about 15 at 5 fps (generous: a loaded machine skips slots)
            assertThat(sub.size()).isBetween(8, 17);
            assertDecodableSubstream(sub, "pattern-sub.h264", false);
            assertThat(err.toString()).contains("substream h264 320x180");
        }
    }

    @Test
    void withoutASubstreamTheHelloStaysVersion1() throws Exception {
        try (FakeIngestServer server = new FakeIngestServer()) {
            assertThat(runInProcess("--server", "127.0.0.1:" + server.port(), "--id", "plain", "--size", "320x180",
                    "--frames", "3", "--stats-interval", "0")).as(err.toString()).isZero();
            await().atMost(Duration.ofSeconds(5)).until(() -> !server.connections().isEmpty() && server.connection(0).ended);
            assertThat(server.connection(0).hello.version()).isEqualTo(Wire.VERSION);
            assertThat(server.connection(0).hello.substream()).isNull();
            assertThat(server.connection(0).substreamFrames()).isEmpty();
        }
    }

    @Test
    void aServerThatSpeaksOnlyVersion1GetsTheMainStreamWithoutTheSubstream() throws Exception {
        try (FakeIngestServer server = new FakeIngestServer(h -> h.version() == 1 ? FakeIngestServer.ACCEPT
                : new Message.Reject(io.github.cctv.protocol.wire.ReasonCode.UNSUPPORTED_VERSION,
                "protocol version 2 is not supported, this server speaks version 1"), true)) {
            int code = runInProcess("--server", "127.0.0.1:" + server.port(), "--id", "oldsrv", "--size", "320x180",
                    "--substream-size", "160x96", "--frames", "10", "--stats-interval", "0");
            assertThat(code).as(err.toString()).isZero();
            await().atMost(Duration.ofSeconds(5)).until(() -> server.connections().size() == 2 && server.connection(1).ended);
            assertThat(server.connection(0).hello.version()).isEqualTo(2);
            FakeIngestServer.Conn second = server.connection(1);
            assertThat(second.hello.version()).isEqualTo(1);
            assertThat(second.frames()).hasSize(10);
            assertThat(second.substreamFrames()).isEmpty();
            assertThat(err.toString()).contains("trying again in an older version");
        }
    }

    @Test
    void anRtspCamerasSecondStreamIsPassedThroughBesideItsFirst() throws Exception {
        Tools.requireFfmpeg();
        try (RtspTestCamera mainCam = RtspTestCamera.builder().size(640, 360).fps(30).keyInterval(30).start(tmp.resolve("main"));
             RtspTestCamera subCam = RtspTestCamera.builder().size(320, 180).fps(15).keyInterval(15).start(tmp.resolve("sub"));
             FakeIngestServer server = new FakeIngestServer()) {
            GrabberSource main = GrabberSource.open(mainCam.url(), SourceRequest.asSent(), Clock.systemUTC());
            ClientOptions o = ClientOptions.parse(new String[]{"--server", "x:1", "--id", "a", "--source", mainCam.url(),
                    "--substream", subCam.url()}, Map.of());
            GrabberSource sub = GrabberSource.open(o.substreamSource(), o.substreamRequest(), Clock.systemUTC());
            assertThat(sub.passThrough()).isTrue();
            FakeIngestServer.Streamed streamed = server.streamToEnd(
                    CameraStreamer.builder().id("rtsp-sub").frameLimit(60).source(main).substream(sub), Duration.ofSeconds(40));
            FakeIngestServer.Conn conn = streamed.conn();
            assertThat(conn.hello.substream()).isEqualTo(new Message.Substream(Codec.H264, 320, 180, 15_000));
            List<Message.Frame> mainFrames = conn.frames();
            assertThat(mainFrames).hasSize(60);
            H264Check.assertProtocolRules(mainFrames);
            H264Check.assertConsecutive(H264Check.counters(H264Check.write(mainFrames, tmp.resolve("main.h264"))));
            // 2 s of main stream: about 30 frames of a 15 fps second stream (more: what it queued while the main one
            // was opened), every one of them in order
            List<Message.Frame> subFrames = conn.substreamFrames();
            assertThat(subFrames.size()).isBetween(15, 75);
            assertDecodableSubstream(subFrames, "sub.h264", true);
            assertThat(streamed.stats().substreamFramesSent()).isEqualTo(subFrames.size());
            assertThat(streamed.stats().framesDropped()).isZero();
        }
    }

    @Test
    void substreamSizeDecodesTheSameRtspCameraAgainAndEncodesItSmaller() throws Exception {
        Tools.requireFfmpeg();
        try (RtspTestCamera cam = RtspTestCamera.builder().size(640, 360).fps(30).keyInterval(30).start(tmp);
             FakeIngestServer server = new FakeIngestServer()) {
            ClientOptions o = ClientOptions.parse(new String[]{"--server", "x:1", "--id", "a", "--source", cam.url(),
                    "--substream-size", "320x180", "--substream-fps", "10"}, Map.of());
            GrabberSource main = GrabberSource.open(o.source(), o.sourceRequest(), Clock.systemUTC());
            GrabberSource sub = GrabberSource.open(o.source(), o.substreamRequest(), Clock.systemUTC());
            assertThat(main.passThrough()).isTrue();
            assertThat(sub.passThrough()).isFalse();
            assertThat(sub.format()).isEqualTo(new StreamFormat(Codec.H264, 320, 180, 10));
            FakeIngestServer.Streamed streamed = server.streamToEnd(
                    CameraStreamer.builder().id("rtsp-enc").frameLimit(90).source(main).substream(sub), Duration.ofSeconds(40));
            List<Message.Frame> subFrames = streamed.conn().substreamFrames();
            assertThat(streamed.conn().frames()).hasSize(90);
            // 3 s at 10 fps, minus what the second decoder's start-up costs
            assertThat(subFrames.size()).isBetween(12, 35);
            assertDecodableSubstream(subFrames, "enc-sub.h264", false);
            List<Long> counters = H264Check.counters(tmp.resolve("enc-sub.h264"));
            assertThat(counters).doesNotContain(-1L);
            for (int i = 1; i < counters.size(); i++) {
                // every third picture of the 30 fps camera
                assertThat(counters.get(i) - counters.get(i - 1)).as("counter step %d", i).isBetween(2L, 4L);
            }
        }
    }

    @Test
    void simulatedCamerasSendAPreEncodedSubstream() throws Exception {
        Tools.requireFfmpeg();
        try (FakeIngestServer server = new FakeIngestServer()) {
            int code = runInProcess("--server", "127.0.0.1:" + server.port(), "--id", "ssim", "--simulate", "2",
                    "--size", "320x180", "--fps", "20", "--substream-size", "160x96", "--substream-fps", "10",
                    "--frames", "40", "--cycle", "20", "--stats-interval", "0");
            assertThat(code).as(err.toString()).isZero();
            await().atMost(Duration.ofSeconds(5)).until(() -> server.connections().size() == 2
                    && server.connections().stream().allMatch(c -> c.ended));
            for (FakeIngestServer.Conn c : server.connections()) {
                assertThat(c.hello.substream()).isEqualTo(new Message.Substream(Codec.H264, 160, 96, 10_000));
                assertThat(c.frames()).hasSize(40);
                assertThat(c.substreamFrames().size()).isBetween(10, 22);
                assertDecodableSubstream(c.substreamFrames(), c.hello.cameraId() + "-sub.h264", false);
            }
        }
    }
}
