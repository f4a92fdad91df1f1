package io.github.cctv.ingest;

import io.github.cctv.protocol.Subjects;
import io.github.cctv.protocol.event.CameraEvent;
import io.github.cctv.protocol.event.CameraStatus;
import io.github.cctv.protocol.event.Events;
import io.github.cctv.testing.NatsServerResource;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.api.KeyValueEntry;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** The test's own view of NATS: what ingest published, as any other service would see it. */
final class NatsProbe implements AutoCloseable {

    final Connection connection;
    private final Dispatcher dispatcher;

    NatsProbe() throws Exception {
        connection = Nats.connect(new Options.Builder().server(NatsServerResource.server().url())
                .maxReconnects(-1).reconnectWait(Duration.ofMillis(100))
                .errorListener(new io.nats.client.ErrorListener() { }).build());
        dispatcher = connection.createDispatcher();
    }

    /** Collects every frame message of a camera. */
    List<Message> frames(String cameraId) throws Exception {
        List<Message> out = new CopyOnWriteArrayList<>();
        dispatcher.subscribe(Subjects.frames(cameraId), out::add);
        connection.flush(Duration.ofSeconds(2));
        return out;
    }

    /** Collects every event of a camera. */
    List<CameraEvent> events(String cameraId) throws Exception {
        List<CameraEvent> out = new CopyOnWriteArrayList<>();
        dispatcher.subscribe(Subjects.events(cameraId), m -> out.add(Events.eventFromJson(m.getData())));
        connection.flush(Duration.ofSeconds(2));
        return out;
    }

    /** The camera's registry entry, or null. */
    CameraStatus status(String cameraId) throws Exception {
        KeyValueEntry e = connection.keyValue(Subjects.CAMERAS_BUCKET).get(cameraId);
        return e == null || e.getValue() == null ? null : Events.read(e.getValue(), CameraStatus.class);
    }

    static long disconnects(List<CameraEvent> events) {
        return events.stream().filter(e -> e instanceof CameraEvent.CameraDisconnected).count();
    }

    @Override
    public void close() throws InterruptedException {
        connection.close();
    }
}
