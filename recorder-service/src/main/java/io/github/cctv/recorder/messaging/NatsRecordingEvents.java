package io.github.cctv.recorder.messaging;

import io.github.cctv.protocol.Subjects;
import io.github.cctv.protocol.event.CameraEvent;
import io.github.cctv.protocol.event.Events;
import io.github.cctv.recorder.domain.recording.RecordingEvents;
import io.nats.client.Connection;
import org.jboss.logging.Logger;

/** Publishes recording events on {@code cctv.events.<cameraId>.<type>} (kept by the event stream). */
public final class NatsRecordingEvents implements RecordingEvents {

    private static final Logger LOG = Logger.getLogger(NatsRecordingEvents.class);

    private final Connection nc;

    public NatsRecordingEvents(Connection nc) {
        this.nc = nc;
    }

    @Override
    public void publish(CameraEvent event) {
        try {
            nc.publish(Subjects.event(event.cameraId(), event.type()), Events.toJson(event));
        } catch (RuntimeException e) {
            // an event that cannot go out must not stop a recording
            LOG.warnf("could not publish %s: %s", event, e.toString());
        }
    }
}
