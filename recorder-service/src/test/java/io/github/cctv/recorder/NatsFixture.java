package io.github.cctv.recorder;

import io.github.cctv.nats.FrameMessages;
import io.github.cctv.nats.Topology;
import io.github.cctv.protocol.EpochMicros;
import io.github.cctv.protocol.FrameMetadata;
import io.github.cctv.protocol.Subjects;
import io.github.cctv.protocol.event.CameraEvent;
import io.github.cctv.protocol.event.CameraStatus;
import io.github.cctv.protocol.event.Events;
import io.github.cctv.protocol.event.RecordingCommand;
import io.github.cctv.protocol.event.RecordingReply;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.JetStreamApiException;
import io.nats.client.Message;
import io.nats.client.Nats;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Plays ingest's part in tests: its streams and camera registry (the production definitions), frames and events as
 * ingest sends them; and the dashboard's: recording control requests, events followed.
 */
public final class NatsFixture implements AutoCloseable {

    public final Connection nc;
    public final List<CameraEvent> events = new CopyOnWriteArrayList<>();
    /** The dashboard's side: control requests, events. */
    private final Connection control;
    private final Dispatcher dispatcher;

    /** Both parts on one connection, for a NATS server without users. */
    public NatsFixture(String url) throws IOException, InterruptedException {
        this(Nats.connect(url), null);
    }

    /**
     * Ingest's part on {@code ingest}, the dashboard's on {@code dashboard} (null: the same connection): on a server
     * with the system's users, each signed in as its own.
     */
    public NatsFixture(Connection ingest, Connection dashboard) {
        nc = ingest;
        control = dashboard == null ? ingest : dashboard;
        dispatcher = control.createDispatcher(m -> events.add(Events.eventFromJson(m.getData())));
        dispatcher.subscribe(Subjects.EVENTS_ALL);
    }

    /** Creates what ingest creates at start-up, from the production definitions: both streams and the camera registry. */
    public NatsFixture withFrameStream() throws IOException, JetStreamApiException {
        Topology.defaults().ensureIngestPart(nc);
        return this;
    }

    /** Registers a camera in the registry bucket, as ingest does when it connects. */
    public void register(String cameraId) throws IOException, JetStreamApiException {
        Topology.defaults().ensureIngestPart(nc);
        Instant now = Instant.now();
        nc.keyValue(Subjects.CAMERAS_BUCKET).put(cameraId, Events.write(new CameraStatus(cameraId, cameraId, true,
                "jpeg", TestFrames.WIDTH, TestFrames.HEIGHT, 25, now, now, now, "127.0.0.1:1", 0, null)));
    }

    /** Publishes frame {@code counter} with capture time {@code captureUs}, through JetStream (stored before return). */
    public void frame(String cameraId, int counter, long captureUs) throws IOException, JetStreamApiException {
        frame(cameraId, counter, captureUs, nowUs());
    }

    /** Publishes JPEG frame {@code counter} as ingest would have received it at {@code ingestUs} (server clock). */
    public void frame(String cameraId, int counter, long captureUs, long ingestUs) throws IOException, JetStreamApiException {
        FrameMetadata frame = new FrameMetadata(counter, captureUs, ingestUs, "jpeg", TestFrames.WIDTH, TestFrames.HEIGHT, true);
        nc.jetStream().publish(FrameMessages.message(cameraId, frame, TestFrames.jpeg(counter)));
    }

    /** Publishes frames {@code from..to-1}, {@code stepMs} apart in capture and in ingest time from {@code t0Us}. */
    public void framesReceivedAsCaptured(String cameraId, int from, int to, long t0Us, long stepMs)
            throws IOException, JetStreamApiException {
        for (int i = from; i < to; i++) {
            long us = t0Us + i * stepMs * 1000;
            frame(cameraId, i, us, us);
        }
    }

    /** Publishes an H.264 access unit as ingest does, received now. */
    public void h264(String cameraId, H264TestStream.AccessUnit au, long captureUs, int width, int height)
            throws IOException, JetStreamApiException {
        h264(cameraId, au, captureUs, nowUs(), width, height);
    }

    /** Publishes an H.264 access unit as ingest would have received it at {@code ingestUs}. */
    public void h264(String cameraId, H264TestStream.AccessUnit au, long captureUs, long ingestUs, int width, int height)
            throws IOException, JetStreamApiException {
        FrameMetadata frame = new FrameMetadata(au.counter(), captureUs, ingestUs, "h264", width, height, au.key());
        nc.jetStream().publish(FrameMessages.message(cameraId, frame, au.data()));
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
            reply = control.request(Subjects.recordingControl(cameraId),
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
        return EpochMicros.of(Instant.now());
    }

    @Override
    public void close() throws InterruptedException {
        nc.close();
        if (control != nc) {
            control.close();
        }
    }
}
