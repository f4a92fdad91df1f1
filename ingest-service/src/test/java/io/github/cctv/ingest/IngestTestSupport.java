package io.github.cctv.ingest;

import io.github.cctv.ingest.endpoint.CameraServer;
import io.github.cctv.ingest.messaging.NatsOutbox;
import io.github.cctv.nats.NatsConnection;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Random;
import java.util.UUID;

import static org.awaitility.Awaitility.await;

/** What every ingest test needs: the camera port, a NATS probe, a ready service, test images. */
abstract class IngestTestSupport {

    @Inject
    CameraServer server;
    @Inject
    NatsConnection nats;
    @Inject
    NatsOutbox outbox;

    NatsProbe probe;

    @BeforeEach
    void ready() throws Exception {
        await().atMost(Duration.ofSeconds(20)).until(() -> nats.isConnected() && outbox.streamsReady());
        probe = new NatsProbe();
    }

    @AfterEach
    void closeProbe() throws Exception {
        if (probe != null) {
            probe.close();
        }
    }

    int port() {
        return server.port();
    }

    static String newId(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** A JPEG-shaped image (SOI, counter, noise, EOI) whose bytes differ per frame. */
    static byte[] image(long seq, int size) {
        byte[] b = new byte[Math.max(size, 16)];
        new Random(seq).nextBytes(b);
        b[0] = (byte) 0xFF;
        b[1] = (byte) 0xD8;
        ByteBuffer.wrap(b, 2, 8).putLong(seq);
        b[b.length - 2] = (byte) 0xFF;
        b[b.length - 1] = (byte) 0xD9;
        return b;
    }
}
