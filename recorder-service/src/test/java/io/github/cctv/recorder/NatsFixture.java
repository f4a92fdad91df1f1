package io.github.cctv.recorder;

import io.github.cctv.protocol.FrameHeaders;
import io.github.cctv.protocol.Subjects;
import io.github.cctv.protocol.event.CameraEvent;
import io.github.cctv.protocol.event.CameraStatus;
import io.github.cctv.protocol.event.Events;
import io.github.cctv.protocol.event.RecordingCommand;
import io.github.cctv.protocol.event.RecordingReply;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.api.KeyValueConfiguration;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Plays ingest's part in tests: the frame stream, the camera registry, frames and events as ingest sends them. */
public final class NatsFixture implements AutoCloseable {

    public final Connection nc;
    public final List<CameraEvent> events = new CopyOnWriteArrayList<>();
    private final Dispatcher dispatcher;

    public NatsFixture(String url) throws IOException, InterruptedException {
        nc = Nats.connect(url);
        dispatcher = nc.createDispatcher(m -> events.add(Events.eventFromJson(m.getData())));
        dispatcher.subscribe(Subjects.EVENTS_ALL);
    }

    /** Creates the frame stream as ingest does (memory, cctv.frames.>, 60 s), if missing. */
    public NatsFixture withFrameStream() throws IOException, JetStreamApiException {
        JetStreamManagement jsm = nc.jetStreamManagement();
        if (!jsm.getStreamNames().contains(Subjects.FRAMES_STREAM)) {
            jsm.addStream(StreamConfiguration.builder()
                    .name(Subjects.FRAMES_STREAM)
                    .subjects(Subjects.FRAMES_ALL)
                    .storageType(StorageType.Memory)
                    .maxAge(Duration.ofSeconds(60))
                    .build());
        }
        return this;
    }

    /** Registers a camera in the registry bucket, as ingest does when it connects. */
    public void register(String cameraId) throws IOException, JetStreamApiException {
        if (!nc.keyValueManagement().getBucketNames().contains(Subjects.CAMERAS_BUCKET)) {
            nc.keyValueManagement().create(KeyValueConfiguration.builder().name(Subjects.CAMERAS_BUCKET)
                    .storageType(StorageType.Memory).build());
        }
        Instant now = Instant.now();
        nc.keyValue(Subjects.CAMERAS_BUCKET).put(cameraId, Events.write(new CameraStatus(cameraId, cameraId, true,
                "jpeg", TestFrames.WIDTH, TestFrames.HEIGHT, 25, now, now, now, "127.0.0.1:1", 0, null)));
    }

    /** Publishes frame {@code counter} with capture time {@code captureUs}, through JetStream (stored before return). */
    public void frame(String cameraId, int counter, long captureUs) throws IOException, JetStreamApiException {
        Headers h = new Headers()
                .put(FrameHeaders.SEQ, String.valueOf(counter))
                .put(FrameHeaders.CAPTURE_US, String.valueOf(captureUs))
                .put(FrameHeaders.INGEST_US, String.valueOf(nowUs()))
                .put(FrameHeaders.CODEC, "jpeg")
                .put(FrameHeaders.WIDTH, String.valueOf(TestFrames.WIDTH))
                .put(FrameHeaders.HEIGHT, String.valueOf(TestFrames.HEIGHT))
                .put(FrameHeaders.KEY_FRAME, "1");
        Message m = NatsMessage.builder().subject(Subjects.frames(cameraId)).headers(h).data(TestFrames.jpeg(counter)).build();
        nc.jetStream().publish(m);
    }

    /** Publishes frames {@code from..to-1}, {@code stepMs} apart in capture time starting at {@code t0Us}. */
    public void frames(String cameraId, int from, int to, long t0Us, long stepMs) throws IOException, JetStreamApiException {
        for (int i = from; i < to; i++) {
            frame(cameraId, i, t0Us + i * stepMs * 1000);
        }
    }

    public RecordingReply control(String cameraId, String action) throws InterruptedException {
        Message reply;
        try {
            reply = nc.request(Subjects.recordingControl(cameraId),
                    Events.write(new RecordingCommand(action, "test")), Duration.ofSeconds(20));
        } catch (InterruptedException e) {
            throw e;
        }
        if (reply == null) {
            throw new AssertionError("no reply to " + action + " of " + cameraId);
        }
        return Events.read(reply.getData(), RecordingReply.class);
    }

    public <T extends CameraEvent> List<T> events(String cameraId, Class<T> type) {
        return events.stream().filter(type::isInstance).map(type::cast).filter(e -> e.cameraId().equals(cameraId)).toList();
    }

    public static long nowUs() {
        Instant n = Instant.now();
        return n.getEpochSecond() * 1_000_000 + n.getNano() / 1000;
    }

    @Override
    public void close() throws InterruptedException {
        nc.close();
    }
}
