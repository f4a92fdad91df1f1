package io.github.cctv.recorder;

import io.github.cctv.protocol.Subjects;
import io.github.cctv.protocol.event.CameraEvent;
import io.github.cctv.protocol.event.DisconnectReason;
import io.github.cctv.protocol.event.Events;
import io.github.cctv.protocol.event.RecordingCommand;
import io.github.cctv.protocol.event.RecordingReply;
import io.github.cctv.recorder.domain.store.Recording;
import io.github.cctv.recorder.domain.store.RecordingIndex;
import io.github.cctv.testing.NatsServerResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@QuarkusTest
@QuarkusTestResource(value = NatsServerResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = RecordingsRootResource.class, restrictToAnnotatedClass = false)
class RecordingFlowIT {

    @Inject
    RecordingIndex index;

    @TestHTTPResource("/")
    URL base;

    NatsFixture nats;

    @BeforeEach
    void connect() throws Exception {
        nats = new NatsFixture(NatsServerResource.server().url()).withFrameStream();
    }

    @AfterEach
    void close() throws Exception {
        nats.close();
    }

    private List<Recording> recordings(String cam) {
        List<Recording> list = new ArrayList<>(index.list(cam, null, null, 1000));
        list.sort(Comparator.comparing(Recording::start));
        return list;
    }

    private long framesOf(String cam) {
        return recordings(cam).stream().mapToLong(Recording::frames).sum();
    }

    private List<TestFrames.Decoded> decodeAll(String cam) throws Exception {
        List<TestFrames.Decoded> all = new ArrayList<>();
        for (Recording r : recordings(cam)) {
            all.addAll(TestFrames.decode(index.layout().root().resolve(r.path())));
        }
        return all;
    }

    private static List<Integer> range(int from, int to) {
        return IntStream.range(from, to).boxed().toList();
    }

    @Test
    void recordingOfNFramesDecodesToExactlyNFramesInOrderWithCaptureTimestamps() throws Exception {
        String cam = "flow-order";
        nats.register(cam);
        assertThat(nats.control(cam, "start").result()).isEqualTo(RecordingReply.STARTED);
        assertThat(nats.control(cam, "start").result()).isEqualTo(RecordingReply.ALREADY_RECORDING);
        long t0 = NatsFixture.nowUs();
        nats.framesReceivedAsCaptured(cam, 0, 40, t0, 40);
        await().atMost(Duration.ofSeconds(20)).until(() -> framesOf(cam) == 40);
        assertThat(recordings(cam)).singleElement().satisfies(r -> assertThat(r.open()).isTrue());

        assertThat(nats.control(cam, "stop").result()).isEqualTo(RecordingReply.STOPPED);
        assertThat(nats.control(cam, "stop").result()).isEqualTo(RecordingReply.NOT_RECORDING);

        Recording r = recordings(cam).get(0);
        assertThat(r.open()).isFalse();
        assertThat(r.frames()).isEqualTo(40);
        assertThat(r.start()).as("the first frame's ingest time").isEqualTo(Instant.ofEpochSecond(0, t0 * 1000));
        assertThat(r.path()).matches("flow-order/\\d{4}-\\d{2}-\\d{2}/flow-order_\\d{4}-\\d{2}-\\d{2}_\\d{2}-\\d{2}-\\d{2}\\.mkv");
        List<TestFrames.Decoded> frames = TestFrames.decode(index.layout().root().resolve(r.path()));
        assertThat(TestFrames.counters(frames)).isEqualTo(range(0, 40));
        for (int i = 0; i < frames.size(); i++) {
            assertThat(frames.get(i).timestampUs() - frames.get(0).timestampUs()).isEqualTo(i * 40_000L);
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> !nats.events(cam, CameraEvent.SegmentCompleted.class).isEmpty());
        CameraEvent.SegmentCompleted done = nats.events(cam, CameraEvent.SegmentCompleted.class).get(0);
        assertThat(done.frames()).isEqualTo(40);
        assertThat(done.recordingId()).isEqualTo(r.id());
        assertThat(nats.events(cam, CameraEvent.RecordingStarted.class)).hasSize(1);
        assertThat(nats.events(cam, CameraEvent.RecordingStopped.class)).hasSize(1);
    }

    @Test
    void segmentRollOverLosesNoFrameAtTheBoundary() throws Exception {
        String cam = "flow-roll";
        nats.register(cam);
        nats.control(cam, "start");
        // 10 s by the server's clock (ingest times), segments of 3 s
        nats.framesReceivedAsCaptured(cam, 0, 100, NatsFixture.nowUs(), 100);
        await().atMost(Duration.ofSeconds(20)).until(() -> framesOf(cam) == 100);
        nats.control(cam, "stop");

        List<Recording> segments = recordings(cam);
        assertThat(segments).hasSize(4).allSatisfy(s -> assertThat(s.open()).isFalse());
        assertThat(segments.stream().mapToLong(Recording::frames).sum()).isEqualTo(100);
        assertThat(segments.get(0).frames()).isEqualTo(30);
        assertThat(TestFrames.counters(decodeAll(cam))).isEqualTo(range(0, 100));
    }

    @Test
    void preRollContainsTheFramesFromBeforeStart() throws Exception {
        String cam = "flow-preroll";
        nats.register(cam);
        long t0 = NatsFixture.nowUs();
        nats.frames(cam, 0, 10, t0, 40);
        nats.control(cam, "start");
        nats.frames(cam, 10, 20, t0, 40);
        await().atMost(Duration.ofSeconds(20)).until(() -> framesOf(cam) == 20);
        nats.control(cam, "stop");
        assertThat(TestFrames.counters(decodeAll(cam))).isEqualTo(range(0, 20));
        assertThat(nats.events(cam, CameraEvent.RecordingStarted.class)).singleElement()
                .satisfies(e -> assertThat(e.preRollSeconds()).isEqualTo(5));
    }

    @Test
    void twoCamerasAreRecordedIndependently() throws Exception {
        String a = "flow-two-a";
        String b = "flow-two-b";
        nats.register(a);
        nats.register(b);
        long t0 = NatsFixture.nowUs();
        nats.control(a, "start");
        nats.frames(a, 0, 10, t0, 40);
        nats.frames(b, 0, 10, t0, 40);
        nats.control(b, "start");
        nats.frames(a, 10, 20, t0, 40);
        nats.frames(b, 10, 20, t0, 40);
        await().atMost(Duration.ofSeconds(20)).until(() -> framesOf(a) == 20);
        nats.control(a, "stop");
        nats.frames(a, 20, 30, t0, 40);
        nats.frames(b, 20, 30, t0, 40);
        await().atMost(Duration.ofSeconds(20)).until(() -> framesOf(b) == 30);
        nats.control(b, "stop");

        assertThat(TestFrames.counters(decodeAll(a))).isEqualTo(range(0, 20));
        assertThat(TestFrames.counters(decodeAll(b))).isEqualTo(range(0, 30)); // the first 10 by pre-roll
    }

    @Test
    void disconnectClosesTheSegmentAndTheReturningCameraGetsANewOne() throws Exception {
        String cam = "flow-reconnect";
        nats.register(cam);
        nats.control(cam, "start");
        long t0 = NatsFixture.nowUs();
        nats.frames(cam, 0, 10, t0, 40);
        await().atMost(Duration.ofSeconds(20)).until(() -> framesOf(cam) == 10);
        nats.nc.publish(Subjects.event(cam, CameraEvent.DISCONNECTED), Events.toJson(
                new CameraEvent.CameraDisconnected(cam, Instant.now(), DisconnectReason.CONNECTION_LOST, "test", 10)));
        await().atMost(Duration.ofSeconds(20)).until(() -> recordings(cam).stream().noneMatch(Recording::open));
        nats.frames(cam, 10, 20, t0 + 1_000_000, 40);
        await().atMost(Duration.ofSeconds(20)).until(() -> framesOf(cam) == 20);
        nats.control(cam, "stop");
        assertThat(recordings(cam)).hasSize(2);
        assertThat(TestFrames.counters(decodeAll(cam))).isEqualTo(range(0, 20));
    }

    @Test
    void aStartThatReachesTheRecorderAfterItsSenderGaveUpIsNeverCarriedOut() throws Exception {
        String cam = "flow-late";
        nats.register(cam);
        // a dashboard sent this with a 2 s deadline and told the operator it failed; NATS delivers it only now
        // (the recorder was down, or its connection was coming back)
        RecordingCommand late = new RecordingCommand(RecordingCommand.START, "dashboard",
                java.time.Instant.now().minusSeconds(3));
        RecordingReply r = Events.read(nats.nc.request(Subjects.recordingControl(cam), Events.write(late),
                Duration.ofSeconds(5)).getData(), RecordingReply.class);
        assertThat(r.result()).isEqualTo(RecordingReply.EXPIRED);
        assertThat(r.recording()).isFalse();
        nats.framesReceivedAsCaptured(cam, 0, 10, NatsFixture.nowUs(), 40);
        assertThat(nats.control(cam, "status").recording()).as("nothing was started").isFalse();
        assertThat(recordings(cam)).isEmpty();
    }

    @Test
    void unknownCameraIsRefusedWithAClearMessage() throws Exception {
        RecordingReply r = nats.control("flow-never-seen", "start");
        assertThat(r.result()).isEqualTo(RecordingReply.INVALID);
        assertThat(r.message()).contains("unknown").contains("flow-never-seen");
        RecordingReply bad = Events.read(nats.nc.request(Subjects.recordingControl("flow-never-seen"),
                "not json".getBytes(), Duration.ofSeconds(5)).getData(), RecordingReply.class);
        assertThat(bad.result()).isEqualTo(RecordingReply.INVALID);
        assertThat(nats.control("flow-never-seen", "dance").result()).isEqualTo(RecordingReply.INVALID);
    }

    @Test
    void unwritableFolderInterruptsThatCameraWhileAnotherKeepsRecordingAndItResumesWhenFixed() throws Exception {
        String broken = "flow-broken";
        String good = "flow-good";
        nats.register(broken);
        nats.register(good);
        // a plain file where the camera's folder must go: no user, not even root, can write under it
        Path blocker = index.layout().root().resolve(broken);
        Files.writeString(blocker, "not a folder");
        try {
            nats.control(broken, "start");
            nats.control(good, "start");
            long t0 = NatsFixture.nowUs();
            nats.frames(broken, 0, 10, t0, 40);
            nats.frames(good, 0, 10, t0, 40);
            await().atMost(Duration.ofSeconds(20)).until(() -> !nats.events(broken, CameraEvent.RecordingFailed.class).isEmpty());
            nats.frames(good, 10, 20, t0, 40);
            await().atMost(Duration.ofSeconds(20)).until(() -> framesOf(good) == 20);

            assertThat(nats.events(broken, CameraEvent.RecordingFailed.class).get(0).message()).contains(broken);
            assertThat(nats.events(broken, CameraEvent.RecordingStopped.class)).isEmpty();
            assertThat(nats.control(broken, "status").recording()).as("interrupted, still wanted").isTrue();
            assertThat(nats.control(good, "status").recording()).isTrue();

            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create(base + "q/health")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(health.body()).contains("\"recordings\"").contains(broken);
            HttpResponse<String> ready = http.send(HttpRequest.newBuilder(URI.create(base + "q/health/ready")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(ready.statusCode()).isEqualTo(200);
            nats.control(good, "stop");
            assertThat(TestFrames.counters(decodeAll(good))).isEqualTo(range(0, 20));
        } finally {
            Files.deleteIfExists(blocker);
        }
        // once the folder can be written, the recording resumes by itself, from the frames the stream kept
        await().atMost(Duration.ofSeconds(20)).until(() -> !nats.events(broken, CameraEvent.RecordingResumed.class).isEmpty());
        await().atMost(Duration.ofSeconds(20)).until(() -> framesOf(broken) == 10);
        nats.control(broken, "stop");
        assertThat(TestFrames.counters(decodeAll(broken))).isEqualTo(range(0, 10));
    }
}
