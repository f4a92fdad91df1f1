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

/** Publishes each frame as one core NATS message ({@link FrameMessages}): image bytes as body, metadata in headers. */
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
        Connection c = nats.connection();
        // while reconnecting jnats would buffer stale frames; a live view wants them dropped instead
        if (c == null || c.getStatus() != Connection.Status.CONNECTED) {
            metrics.frameDropped("nats-down");
            return false;
        }
        try {
            c.publish(FrameMessages.message(cameraId, frame, data));
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
