package io.github.cctv.ingest.endpoint;

import io.github.cctv.ingest.config.IngestConfig;
import io.github.cctv.nats.NatsConnection;
import io.github.cctv.protocol.wire.Wire;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The largest frame a camera may send: the configured limit, lowered so that image plus headers fit the
 * NATS server's max_payload (a frame NATS refuses would be lost after the camera had paid for sending it).
 */
@ApplicationScoped
public class FrameLimit {

    /** Room left in a NATS message for the subject and frame headers. */
    public static final int HEADER_ROOM = 4096;

    private static final Logger LOG = Logger.getLogger(FrameLimit.class);

    private final int configured;
    private final NatsConnection nats;
    private final AtomicLong warnedFor = new AtomicLong(-1);

    public FrameLimit(IngestConfig config, NatsConnection nats) {
        if (config.maxFrameBytes() < 1) {
            throw new IllegalArgumentException("cctv.ingest.max-frame-bytes must be positive, got " + config.maxFrameBytes());
        }
        this.configured = config.maxFrameBytes();
        this.nats = nats;
    }

    /** The limit for a connection opening now. */
    public int current() {
        return clamp(configured, nats.maxPayload());
    }

    int clamp(int limit, long maxPayload) {
        int result = Math.min(limit, Wire.MAX_FRAME_BYTES_CEILING);
        if (maxPayload > HEADER_ROOM && result > maxPayload - HEADER_ROOM) {
            result = (int) (maxPayload - HEADER_ROOM);
            if (warnedFor.getAndSet(maxPayload) != maxPayload) {
                LOG.warnf("cctv.ingest.max-frame-bytes=%d does not fit the NATS server's max_payload of %d bytes: "
                        + "frames are limited to %d bytes; raise max_payload in the NATS config to allow more",
                        limit, maxPayload, result);
            }
        }
        return result;
    }
}
