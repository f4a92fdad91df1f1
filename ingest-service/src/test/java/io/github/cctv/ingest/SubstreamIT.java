package io.github.cctv.ingest;

import io.github.cctv.protocol.FrameHeaders;
import io.github.cctv.protocol.FrameMetadata;
import io.github.cctv.protocol.Subjects;
import io.github.cctv.protocol.event.CameraStatus;
import io.github.cctv.protocol.wire.Codec;
import io.github.cctv.protocol.wire.Message;
import io.github.cctv.protocol.wire.ReasonCode;
import io.github.cctv.protocol.wire.Wire;
import io.github.cctv.protocol.wire.WireEncoder;
import io.github.cctv.testing.NatsServerResource;
import io.nats.client.Dispatcher;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A camera that sends a second, smaller stream on its session (protocol version 2), and one that does not. */
@QuarkusTest
@QuarkusTestResource(value = NatsServerResource.class, restrictToAnnotatedClass = false)
class SubstreamIT extends IngestTestSupport {

    private static Message.Hello hello(String id, Message.Substream substream) {
        return new Message.Hello(Wire.VERSION_SUBSTREAMS, id, "Sub " + id, TestCamera.token(id), Codec.H264, 320, 240,
                10_000, substream);
    }

    @Test
    void mainAndSubstreamFramesGoToTheirOwnSubjectsWithTheirOwnHeaders() throws Exception {
        List<H264Stream.AccessUnit> main = H264Stream.encode(20, 10, "320x240");
        List<H264Stream.AccessUnit> sub = H264Stream.encode(20, 10, "160x120");
        String id = newId("sub");
        List<io.nats.client.Message> mainFrames = probe.frames(id);
        List<io.nats.client.Message> subFrames = new CopyOnWriteArrayList<>();
        // what a recorder-like reader of every camera's main stream would take: cctv.frames.* (never the substream)
        List<io.nats.client.Message> mainWildcard = new CopyOnWriteArrayList<>();
        Dispatcher d = probe.connection.createDispatcher();
        d.subscribe(Subjects.substreamFrames(id), subFrames::add);
        d.subscribe(Subjects.MAIN_FRAMES_ALL, m -> {
            if (id.equals(Subjects.cameraIdOf(m.getSubject()))) {
                mainWildcard.add(m);
            }
        });
        probe.connection.flush(Duration.ofSeconds(2));

        try (TestCamera cam = TestCamera.connect(port(), id)) {
            cam.send(WireEncoder.encode(hello(id, new Message.Substream(Codec.H264, 160, 120, 5_000))));
            Message answer = cam.next(Duration.ofSeconds(5));
            assertThat(answer).isInstanceOf(Message.Accept.class);
            assertThat(((Message.Accept) answer).version()).isEqualTo(Wire.VERSION_SUBSTREAMS);
            long t = System.currentTimeMillis() * 1000;
            for (int i = 0; i < main.size(); i++) {
                cam.send(WireEncoder.encode(new Message.Frame(100 + i, t + i * 100_000L, main.get(i).key(), main.get(i).data())));
                // the substream keeps its own sequence
                cam.send(WireEncoder.encode(new Message.Frame(7 + i, t + i * 100_000L, sub.get(i).key(), sub.get(i).data(), true)));
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> mainFrames.size() == main.size() && subFrames.size() == sub.size());
            await().atMost(Duration.ofSeconds(3)).until(() -> probe.status(id) != null);
            CameraStatus status = probe.status(id);
            assertThat(status.substream()).isEqualTo(new CameraStatus.Substream("h264", 160, 120, 5.0));
            assertThat(status.width()).isEqualTo(320);
            assertThat(cam.next(Duration.ofMillis(200))).isNull();
            cam.goodbye();
        }
        for (int i = 0; i < main.size(); i++) {
            FrameMetadata m = io.github.cctv.nats.FrameMessages.metadata(mainFrames.get(i).getHeaders());
            assertThat(mainFrames.get(i).getData()).as("main %d", i).isEqualTo(main.get(i).data());
            assertThat(m.seq()).isEqualTo(100 + i);
            assertThat(m.width()).isEqualTo(320);
            assertThat(m.height()).isEqualTo(240);
            assertThat(m.keyFrame()).isEqualTo(main.get(i).key());

            FrameMetadata s = io.github.cctv.nats.FrameMessages.metadata(subFrames.get(i).getHeaders());
            assertThat(subFrames.get(i).getSubject()).isEqualTo("cctv.frames." + id + ".sub");
            assertThat(subFrames.get(i).getData()).as("sub %d", i).isEqualTo(sub.get(i).data());
            assertThat(s.seq()).isEqualTo(7 + i);
            assertThat(s.codec()).isEqualTo("h264");
            assertThat(s.width()).isEqualTo(160);
            assertThat(s.height()).isEqualTo(120);
            assertThat(s.keyFrame()).isEqualTo(sub.get(i).key());
            assertThat(subFrames.get(i).getHeaders().getFirst(FrameHeaders.INGEST_US)).isNotNull();
            assertThat(s.captureUs()).isEqualTo(m.captureUs());
        }
        assertThat(mainWildcard).hasSize(main.size()).allSatisfy(m -> assertThat(m.getSubject()).isEqualTo(Subjects.frames(id)));
        // both are in the frame stream, whose window new viewers start from
        var jsm = probe.connection.jetStreamManagement();
        assertThat(jsm.getLastMessage(Subjects.FRAMES_STREAM, Subjects.substreamFrames(id)).getData())
                .isEqualTo(sub.get(sub.size() - 1).data());
        assertThat(jsm.getLastMessage(Subjects.FRAMES_STREAM, Subjects.frames(id)).getData())
                .isEqualTo(main.get(main.size() - 1).data());
        probe.connection.closeDispatcher(d);
    }

    @Test
    void substreamFramesAreCheckedLikeMainOnes() throws Exception {
        List<H264Stream.AccessUnit> units = H264Stream.encode(3, 10, "160x120");
        String id = newId("subbad");
        try (TestCamera cam = TestCamera.connect(port(), id)) {
            cam.send(WireEncoder.encode(hello(id, new Message.Substream(Codec.H264, 160, 120, 5_000))));
            assertThat(cam.next(Duration.ofSeconds(5))).isInstanceOf(Message.Accept.class);
            cam.send(WireEncoder.encode(new Message.Frame(1, 1, true, units.get(0).data(), true)));
            // a P frame flagged as a key frame
            cam.send(WireEncoder.encode(new Message.Frame(2, 2, true, units.get(1).data(), true)));
            Message m = cam.next(Duration.ofSeconds(5));
            assertThat(m).isInstanceOf(Message.Reject.class);
            assertThat(((Message.Reject) m).reason()).isEqualTo(ReasonCode.INVALID_FRAME);
            assertThat(((Message.Reject) m).message()).contains("substream frame 2");
        }
    }

    @Test
    void aSubstreamFrameInASessionWithoutOneIsAProtocolError() throws Exception {
        String id = newId("nosub");
        try (TestCamera cam = TestCamera.online(port(), id)) {
            cam.send(WireEncoder.encode(new Message.Frame(1, 1, true, image(1, 200), true)));
            Message m = cam.next(Duration.ofSeconds(5));
            assertThat(m).isInstanceOf(Message.Reject.class);
            assertThat(((Message.Reject) m).reason()).isEqualTo(ReasonCode.PROTOCOL_ERROR);
        }
    }

    @Test
    void aVersion1CameraIsAcceptedAsVersion1AndItsEntryHasNoSubstream() throws Exception {
        String id = newId("v1");
        List<io.nats.client.Message> frames = probe.frames(id);
        try (TestCamera cam = TestCamera.connect(port(), id)) {
            Message answer = cam.handshake(TestCamera.token(id));
            assertThat(answer).isInstanceOf(Message.Accept.class);
            assertThat(((Message.Accept) answer).version()).isEqualTo(1);
            cam.frame(1, System.currentTimeMillis() * 1000, image(1, 300));
            await().atMost(Duration.ofSeconds(5)).until(() -> frames.size() == 1);
            await().atMost(Duration.ofSeconds(3)).until(() -> probe.status(id) != null);
            assertThat(probe.status(id).substream()).isNull();
            cam.goodbye();
        }
    }
}
