package io.github.cctv.dashboard;

import io.github.cctv.protocol.Subjects;
import io.github.cctv.protocol.event.CameraCommand;
import io.github.cctv.protocol.event.CameraCommandReply;
import io.github.cctv.protocol.event.CameraStatus;
import io.github.cctv.protocol.event.Events;
import io.nats.client.Dispatcher;
import io.nats.client.KeyValue;
import io.nats.client.api.KeyValueEntry;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Ingest's side of {@code cctv.control.<id>.camera} on the test NATS, for the given cameras only, deciding as ingest
 * does from the registry: offline → the entry is deleted and {@code ok}; online → {@code online}; none →
 * {@code unknown}. Keeps what it was asked.
 */
final class IngestReplies implements AutoCloseable {

    final List<CameraCommand> received = new CopyOnWriteArrayList<>();
    private final Dispatcher dispatcher;

    IngestReplies(String... cameraIds) {
        dispatcher = NatsFixtures.nats().createDispatcher(msg -> {
            CameraCommand command = Events.read(msg.getData(), CameraCommand.class);
            received.add(command);
            NatsFixtures.nats().publish(msg.getReplyTo(), Events.write(answer(Subjects.cameraIdOf(msg.getSubject()))));
        });
        for (String id : cameraIds) {
            dispatcher.subscribe(Subjects.cameraControl(id));
        }
        try {
            NatsFixtures.nats().flush(Duration.ofSeconds(1));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static CameraCommandReply answer(String cameraId) {
        try {
            KeyValue kv = NatsFixtures.nats().keyValue(Subjects.CAMERAS_BUCKET);
            KeyValueEntry entry = kv.get(cameraId);
            if (entry == null || entry.getValue() == null) {
                return CameraCommandReply.failed(CameraCommandReply.UNKNOWN, null);
            }
            if (Events.read(entry.getValue(), CameraStatus.class).online()) {
                return CameraCommandReply.failed(CameraCommandReply.ONLINE, null);
            }
            kv.delete(cameraId);
            return CameraCommandReply.done();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        NatsFixtures.nats().closeDispatcher(dispatcher);
    }
}
