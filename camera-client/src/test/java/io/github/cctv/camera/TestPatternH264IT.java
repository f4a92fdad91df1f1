package io.github.cctv.camera;

import io.github.cctv.protocol.wire.Codec;
import io.github.cctv.protocol.wire.Message;
import io.github.cctv.protocol.wire.Wire;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The test pattern encoded to H.264 here (libopenh264 on this machine), read back by real decoders. */
class TestPatternH264IT {

    @TempDir
    Path tmp;

    @Test
    void theTestPatternIsSentAsH264ThatDecodesFrameForFrameWithAKeyFrameEachSecond() throws Exception {
        Tools.requireFfmpeg();
        try (FakeIngestServer server = new FakeIngestServer()) {
            FakeIngestServer.Conn conn = server.streamToEnd(CameraStreamer.builder().id("h264cam")
                    .codec(Codec.H264).size(640, 360).fps(30).frameLimit(75), Duration.ofSeconds(30)).conn();
            assertThat(conn.hello).isEqualTo(new Message.Hello(Wire.VERSION, "h264cam", "h264cam", "", Codec.H264, 640, 360, 30_000));
            List<Message.Frame> frames = conn.frames();
            assertThat(frames).hasSize(75);
            assertThat(frames).extracting(Message.Frame::seq).containsExactlyElementsOf(
                    IntStream.rangeClosed(1, 75).mapToObj(i -> (long) i).toList());
            H264Check.assertProtocolRules(frames);
            assertThat(IntStream.range(0, 75).filter(i -> frames.get(i).keyFrame()).boxed().toList())
                    .as("an IDR every 30 frames (1 s), the first frame one").containsExactly(0, 30, 60);

            Path file = H264Check.write(frames, tmp.resolve("pattern.h264"));
            assertThat(H264Check.ffprobeFrames(file)).isEqualTo(75);
            List<Long> counters = H264Check.counters(file);
            assertThat(counters).hasSize(75);
            assertThat(counters.get(0)).isEqualTo(1);
            H264Check.assertConsecutive(counters);
        }
    }

    @Test
    void aNewConnectionStartsOnAKeyFrame() throws Exception {
        Tools.requireFfmpeg();
        try (FakeIngestServer server = new FakeIngestServer();
             CameraStreamer cam = CameraStreamer.builder().server("127.0.0.1", server.port()).id("h264cam2")
                     .codec(Codec.H264).size(320, 240).fps(30)
                     .encoding(new EncoderSettings("auto", 0, 10, 0.8f)) // a key frame every 10 s only
                     .build()) {
            cam.start();
            await().atMost(Duration.ofSeconds(10)).until(() -> server.connections().size() == 1
                    && server.connection(0).frames().size() >= 15);
            server.connection(0).drop();
            await().atMost(Duration.ofSeconds(10)).until(() -> server.connections().size() == 2
                    && server.connection(1).frames().size() >= 5);
            cam.stop();
            List<Message.Frame> second = server.connection(1).frames();
            // the new receiver does not wait 10 s for the encoder's next scheduled IDR
            assertThat(second.get(0).keyFrame()).isTrue();
            assertThat(second.get(0).seq()).isEqualTo(1);
            H264Check.assertProtocolRules(second);
            assertThat(second.subList(1, second.size())).noneMatch(Message.Frame::keyFrame);
            List<Long> counters = H264Check.counters(H264Check.write(second, tmp.resolve("second.h264")));
            assertThat(counters).hasSize(second.size());
            H264Check.assertConsecutive(counters);
        }
    }
}
