package io.github.cctv.dashboard;

import io.github.cctv.protocol.Subjects;
import io.github.cctv.protocol.event.Events;
import io.github.cctv.protocol.event.RecordingCommand;
import io.github.cctv.protocol.event.RecordingReply;
import io.nats.client.Dispatcher;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A recorder on the test NATS that answers every recording command of one camera "started" and keeps what it got. */
final class RecorderReplies implements AutoCloseable {

    final List<RecordingCommand> received = new CopyOnWriteArrayList<>();
    private final Dispatcher dispatcher;

    RecorderReplies(String cameraId) {
        dispatcher = NatsFixtures.nats().createDispatcher(msg -> {
            received.add(Events.read(msg.getData(), RecordingCommand.class));
            NatsFixtures.nats().publish(msg.getReplyTo(), Events.write(
                    new RecordingReply(cameraId, RecordingReply.STARTED, true, Instant.now(), "recording")));
        });
        dispatcher.subscribe(Subjects.recordingControl(cameraId));
        try {
            NatsFixtures.nats().flush(Duration.ofSeconds(1));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        NatsFixtures.nats().closeDispatcher(dispatcher);
    }
}
