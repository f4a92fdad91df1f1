package io.github.cctv.ingest.messaging;

import io.github.cctv.ingest.domain.FramePublisher;
import io.github.cctv.ingest.health.IngestMetrics;
import io.github.cctv.nats.FrameMessages;
import io.github.cctv.nats.NatsConnection;
import io.github.cctv.protocol.FrameMetadata;
import io.nats.client.Connection;
import io.nats.client.Message;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * Publishes each frame as one core NATS message ({@link FrameMessages}): image bytes as body, metadata in headers; main
 * frames on {@code cctv.frames.<id>}, substream frames on {@code cctv.frames.<id>.sub}.
 */
@ApplicationScoped
public class NatsFramePublisher implements FramePublisher {

    private static final Logger LOG = Logger.getLogger(NatsFramePublisher.class);
    private static final String FRAMES_PREFIX = "cctv.frames.";

    private final NatsConnection nats;
    private final IngestMetrics metrics;

    public NatsFramePublisher(NatsConnection nats, IngestMetrics metrics) {
        this.nats = nats;
        this.metrics = metrics;
        nats.addListener(new NatsConnection.Listener() {
            @Override
            public void messageDiscarded(Message message) {
                if (message.getSubject() != null && message.getSubject().startsWith(FRAMES_PREFIX)) {
                    metrics.frameDropped("queue-full");
                }
            }
        });
    }

    @Override
    public boolean publish(String cameraId, FrameMetadata frame, byte[] data) {
        return send(cameraId, FrameMessages.message(cameraId, frame, data));
    }

    @Override
    public boolean publishSubstream(String cameraId, FrameMetadata frame, byte[] data) {
        return send(cameraId, FrameMessages.substreamMessage(cameraId, frame, data));
    }

    private boolean send(String cameraId, io.nats.client.impl.NatsMessage message) {
        Connection c = nats.connection();
        // while reconnecting jnats would buffer stale frames; a live view wants them dropped instead
        if (c == null || c.getStatus() != Connection.Status.CONNECTED) {
            metrics.frameDropped("nats-down");
            return false;
        }
        try {
            c.publish(message);
            return true;
        } catch (RuntimeException e) {
            // closed connection, payload over max_payload, reconnect buffer full
            metrics.publishFailure("frame");
            metrics.frameDropped("error");
            LOG.debugf("frame of %s not published: %s", cameraId, e.toString());
            return false;
        }
    }
}
