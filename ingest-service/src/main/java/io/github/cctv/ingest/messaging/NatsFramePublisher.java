package io.github.cctv.ingest.messaging;

import io.github.cctv.ingest.domain.CameraInfo;
import io.github.cctv.ingest.domain.FramePublisher;
import io.github.cctv.ingest.health.IngestMetrics;
import io.github.cctv.protocol.FrameHeaders;
import io.github.cctv.protocol.Subjects;
import io.github.cctv.protocol.wire.Message;
import io.nats.client.Connection;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/** Publishes each frame as one core NATS message: image bytes as body, metadata in {@link FrameHeaders}. */
@ApplicationScoped
public class NatsFramePublisher implements FramePublisher {

    private static final Logger LOG = Logger.getLogger(NatsFramePublisher.class);

    private final NatsClient client;
    private final IngestMetrics metrics;

    public NatsFramePublisher(NatsClient client, IngestMetrics metrics) {
        this.client = client;
        this.metrics = metrics;
    }

    @Override
    public boolean publish(CameraInfo camera, Message.Frame frame, long ingestMicros) {
        Connection c = client.connection();
        // while reconnecting jnats would buffer stale frames; a live view wants them dropped instead
        if (c == null || c.getStatus() != Connection.Status.CONNECTED) {
            metrics.frameDropped("nats-down");
            return false;
        }
        Headers headers = new Headers()
                .put(FrameHeaders.SEQ, Long.toUnsignedString(frame.seq()))
                .put(FrameHeaders.CAPTURE_US, Long.toString(frame.captureMicros()))
                .put(FrameHeaders.INGEST_US, Long.toString(ingestMicros))
                .put(FrameHeaders.CODEC, camera.codec().wireName())
                .put(FrameHeaders.WIDTH, Integer.toString(camera.width()))
                .put(FrameHeaders.HEIGHT, Integer.toString(camera.height()))
                .put(FrameHeaders.KEY_FRAME, frame.keyFrame() ? "1" : "0");
        try {
            c.publish(NatsMessage.builder().subject(Subjects.frames(camera.cameraId())).headers(headers)
                    .data(frame.data()).build());
            return true;
        } catch (RuntimeException e) {
            // closed connection, payload over max_payload, reconnect buffer full
            metrics.publishFailure("frame");
            metrics.frameDropped("error");
            LOG.debugf("frame of %s not published: %s", camera.cameraId(), e.toString());
            return false;
        }
    }
}
