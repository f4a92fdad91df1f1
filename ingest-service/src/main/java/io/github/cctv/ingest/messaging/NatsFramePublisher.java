package io.github.cctv.ingest.messaging;

import io.github.cctv.ingest.config.IngestConfig;
import io.github.cctv.ingest.domain.FramePublisher;
import io.github.cctv.ingest.health.IngestMetrics;
import io.github.cctv.nats.FrameMessages;
import io.github.cctv.nats.NatsConfig;
import io.github.cctv.nats.NatsConnection;
import io.github.cctv.protocol.FrameMetadata;
import io.nats.client.Connection;
import io.nats.client.Message;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * Publishes each frame as one NATS message ({@link FrameMessages}): image bytes as body, metadata in headers; main
 * frames on {@code cctv.frames.<id>}, substream frames on {@code cctv.frames.<id>.sub}. A core publish, unless
 * {@link IngestConfig#framesAcknowledged()} (a replicated frame stream): then a JetStream publish whose acknowledgement
 * is awaited, and repeated when none comes ({@link AcknowledgedFrames}).
 */
@ApplicationScoped
public class NatsFramePublisher implements FramePublisher {

    private static final Logger LOG = Logger.getLogger(NatsFramePublisher.class);
    private static final String FRAMES_PREFIX = "cctv.frames.";

    private final NatsConnection nats;
    private final IngestMetrics metrics;
    private final long graceNanos;
    /** The acknowledged publishing, or null for core publishes. */
    private final AcknowledgedFrames acknowledged;
    /** When the connection was first seen down (System.nanoTime), or 0 while it is up. */
    private volatile long downSince;

    public NatsFramePublisher(NatsConnection nats, IngestMetrics metrics, IngestConfig config, NatsConfig natsConfig) {
        this.nats = nats;
        this.metrics = metrics;
        this.graceNanos = config.natsReconnectGrace().toNanos();
        boolean acked = config.framesAcknowledged().orElse(natsConfig.framesReplicas() > 1);
        this.acknowledged = acked ? new AcknowledgedFrames(nats::connection, metrics, limits(config)) : null;
        if (acked) {
            LOG.infof("frames are published with JetStream acknowledgements (ack timeout %s)", config.framesAck().timeout());
        }
        nats.addListener(new NatsConnection.Listener() {
            @Override
            public void messageDiscarded(Message message) {
                // an acknowledged frame that was discarded gets no acknowledgement and is sent again
                if (!acked && message.getSubject() != null && message.getSubject().startsWith(FRAMES_PREFIX)) {
                    metrics.frameDropped("queue-full");
                }
            }
        });
    }

    static AcknowledgedFrames.Limits limits(IngestConfig config) {
        IngestConfig.FramesAck a = config.framesAck();
        return new AcknowledgedFrames.Limits(a.timeout(), a.maxFramesPerCamera(), a.maxBytesPerCamera(), a.maxFrames(),
                a.maxBytes() > 0 ? a.maxBytes() : Runtime.getRuntime().maxMemory() / 8);
    }

    @Override
    public boolean publish(String cameraId, FrameMetadata frame, byte[] data) {
        if (acknowledged != null) {
            return acknowledged.publish(FrameMessages.identifiedMessage(cameraId, frame, data, false));
        }
        return send(cameraId, FrameMessages.message(cameraId, frame, data));
    }

    @Override
    public boolean publishSubstream(String cameraId, FrameMetadata frame, byte[] data) {
        if (acknowledged != null) {
            return acknowledged.publish(FrameMessages.identifiedMessage(cameraId, frame, data, true));
        }
        return send(cameraId, FrameMessages.substreamMessage(cameraId, frame, data));
    }

    @PreDestroy
    void stop() {
        if (acknowledged != null) {
            acknowledged.close();
        }
    }

    private boolean send(String cameraId, io.nats.client.impl.NatsMessage message) {
        Connection c = nats.connection();
        Connection.Status status = c == null ? Connection.Status.CLOSED : c.getStatus();
        if (status == Connection.Status.CONNECTED) {
            if (downSince != 0) {
                downSince = 0; // a volatile read per frame, a write only when the connection came back
            }
        } else if (!withinGrace(status)) {
            metrics.frameDropped("nats-down");
            return false;
        }
        try {
            c.publish(message);
            return true;
        } catch (IllegalStateException e) {
            // the client's reconnect buffer is full (or the connection closed) while it is away
            metrics.frameDropped("nats-down");
            return false;
        } catch (RuntimeException e) {
            // closed connection, payload over max_payload, reconnect buffer full
            metrics.publishFailure("frame");
            metrics.frameDropped("error");
            LOG.debugf("frame of %s not published: %s", cameraId, e.toString());
            return false;
        }
    }

    /**
     * Whether a frame is still handed to a connection that is down: within {@link IngestConfig#natsReconnectGrace()}
     * of the break while the client is reconnecting (it holds the frame in its reconnect buffer), never once closed.
     */
    private boolean withinGrace(Connection.Status status) {
        if (status != Connection.Status.DISCONNECTED && status != Connection.Status.RECONNECTING) {
            return false;
        }
        long now = System.nanoTime();
        long since = downSince;
        if (since == 0) {
            downSince = now;
            since = now;
        }
        return now - since < graceNanos;
    }
}
