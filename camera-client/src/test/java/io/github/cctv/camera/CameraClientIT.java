package io.github.cctv.camera;

import io.github.cctv.protocol.wire.Message;
import io.github.cctv.protocol.wire.ReasonCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The command line, in-process and as a real separate JVM. */
class CameraClientIT {

    @TempDir
    Path tmp;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int runInProcess(String... args) {
        return CameraClient.run(args, Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), false);
    }

    @Test
    void exitsWithCode2WhenTheServerRejectsTheIdAsInvalid() throws Exception {
        try (FakeIngestServer server = new FakeIngestServer(
                h -> new Message.Reject(ReasonCode.INVALID_CAMERA_ID, "camera id 'lobby' is not registered"), false)) {
            File log = tmp.resolve("client.log").toFile();
            Process p = Tools.startClient(log, "--server", "127.0.0.1:" + server.port(), "--id", "lobby",
                    "--width", "160", "--height", "120");
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).isEqualTo(2);
            assertThat(Files.readString(log.toPath()))
                    .contains("refused by the server: INVALID_CAMERA_ID: camera id 'lobby' is not registered");
        }
    }

    @Test
    void sendsAGoodbyeOnSigterm() throws Exception {
        try (FakeIngestServer server = new FakeIngestServer()) {
            File log = tmp.resolve("client.log").toFile();
            Process p = Tools.startClient(log, "--server", "127.0.0.1:" + server.port(), "--id", "porch",
                    "--width", "160", "--height", "120", "--fps", "20");
            try {
                await().atMost(Duration.ofSeconds(30)).until(() -> !server.connections().isEmpty()
                        && server.connection(0).frames().size() >= 3);
                p.destroy(); // SIGTERM
                assertThat(p.waitFor(15, TimeUnit.SECONDS)).isTrue();
            } finally {
                p.destroyForcibly();
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> server.connection(0).ended);
            FakeIngestServer.Conn conn = server.connection(0);
            assertThat(conn.error).isNull();
            assertThat(conn.messages.get(conn.messages.size() - 1)).isInstanceOf(Message.Goodbye.class);
            assertThat(Files.readString(log.toPath())).contains("porch: disconnected: stopped, goodbye sent");
        }
    }

    @Test
    void simulatesFourCamerasWithDistinctIds() throws Exception {
        try (FakeIngestServer server = new FakeIngestServer()) {
            int code = runInProcess("--server", "127.0.0.1:" + server.port(), "--id", "sim", "--simulate", "4",
                    "--codec", "jpeg", "--width", "320", "--height", "180", "--fps", "25", "--frames", "10", "--cycle", "5",
                    "--stats-interval", "0");
            assertThat(code).as(err.toString()).isEqualTo(0);
            await().atMost(Duration.ofSeconds(5)).until(() -> server.connections().size() == 4
                    && server.connections().stream().allMatch(c -> c.ended));
            List<String> ids = server.connections().stream().map(c -> c.hello.cameraId()).sorted().toList();
            assertThat(ids).containsExactly("sim-01", "sim-02", "sim-03", "sim-04");
            for (FakeIngestServer.Conn c : server.connections()) {
                List<Message.Frame> frames = c.frames();
                assertThat(frames).hasSize(10);
                assertThat(c.sawGoodbye()).isTrue();
                for (int i = 0; i < frames.size(); i++) {
                    assertThat(frames.get(i).seq()).isEqualTo(i + 1);
                    // a cycle of 5 distinct frames, counter burned in
                    assertThat(TestPatternSource.readCounter(frames.get(i).data())).hasValue(i % 5 + 1);
                }
                assertThat(frames.get(0).data()).isNotEqualTo(frames.get(1).data());
                assertThat(c.hello.displayName()).isEqualTo(c.hello.cameraId());
            }
        }
    }

    @Test
    void simulatesH264CamerasFromAPreEncodedCycleByDefault() throws Exception {
        try (FakeIngestServer server = new FakeIngestServer()) {
            int code = runInProcess("--server", "127.0.0.1:" + server.port(), "--id", "hsim", "--simulate", "2",
                    "--size", "320x180", "--fps", "20", "--frames", "45", "--cycle", "15", "--stats-interval", "0");
            assertThat(code).as(err.toString()).isEqualTo(0);
            await().atMost(Duration.ofSeconds(5)).until(() -> server.connections().size() == 2
                    && server.connections().stream().allMatch(c -> c.ended));
            for (FakeIngestServer.Conn c : server.connections()) {
                assertThat(c.hello.codec()).isEqualTo(io.github.cctv.protocol.wire.Codec.H264);
                List<Message.Frame> frames = c.frames();
                assertThat(frames).hasSize(45);
                H264Check.assertProtocolRules(frames);
                // a cycle of 15 frames rounded up to the 20-frame keyframe interval: an IDR where each cycle starts
                assertThat(java.util.stream.IntStream.range(0, 45).filter(i -> frames.get(i).keyFrame()).boxed().toList())
                        .containsExactly(0, 20, 40);
                List<Long> counters = H264Check.counters(H264Check.write(frames, tmp.resolve(c.hello.cameraId() + ".h264")));
                assertThat(counters).hasSize(45);
                for (int i = 0; i < 45; i++) {
                    assertThat(counters.get(i)).as("counter of frame %d", i).isEqualTo(i % 20 + 1);
                }
            }
        }
    }

    @Test
    void refusesAnInvalidIdBeforeConnecting() {
        assertThat(runInProcess("--server", "127.0.0.1:9", "--id", "cam.1")).isEqualTo(2);
        assertThat(err.toString()).contains("camera id 'cam.1' may only contain letters, digits, '_' and '-'");
    }

    @Test
    void explainsBadArguments() {
        assertThat(runInProcess("--server", "localhost", "--id", "cam1")).isEqualTo(1);
        assertThat(err.toString()).contains("--server must be HOST:PORT");
        err.reset();
        assertThat(runInProcess("--server", "localhost:1", "--id", "cam1", "--fps", "fast")).isEqualTo(1);
        assertThat(err.toString()).contains("--fps must be a number, got 'fast'");
        err.reset();
        assertThat(runInProcess("--server", "localhost:1", "--id", "cam1", "--source", tmp.resolve("nope.mp4").toString()))
                .isEqualTo(1);
        assertThat(err.toString()).contains("no such video file");
    }

    @Test
    void printsUsage() {
        assertThat(runInProcess("--help")).isEqualTo(0);
        assertThat(out.toString()).contains("--server HOST:PORT", "--simulate N", "--quality Q", "--codec CODEC",
                "--size WxH", "--transcode", "--bitrate KBPS", "--keyframe-interval S", "Exit codes");
    }
}
