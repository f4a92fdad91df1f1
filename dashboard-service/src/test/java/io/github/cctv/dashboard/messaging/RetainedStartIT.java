package io.github.cctv.dashboard.messaging;

import io.github.cctv.dashboard.domain.live.Frame;
import io.github.cctv.nats.FrameMessages;
import io.github.cctv.nats.Topology;
import io.github.cctv.protocol.FrameMetadata;
import io.github.cctv.protocol.Subjects;
import io.github.cctv.testing.NatsTestServer;
import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import io.nats.client.Nats;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Where a new viewer of an H.264 camera starts, read from a real frames stream: the newest key frame and every frame
 * after it, found near the newest frame for a camera that sends key frames often, further back for one that does not.
 */
class RetainedStartIT {

    private static NatsTestServer nats;
    private static Connection connection;

    @BeforeAll
    static void start() throws Exception {
        nats = NatsTestServer.start();
        connection = Nats.connect(nats.url());
        Topology.defaults().ensureAll(connection);
    }

    @AfterAll
    static void stop() throws Exception {
        connection.close();
        nats.close();
    }

    /** Publishes 20 frames a second of two cameras for 3.5 s: one with a key frame every 10, one with a single key frame first. */
    private static void publish(String often, String once) throws Exception {
        for (int i = 0; i < 70; i++) {
            long us = Instant.now().toEpochMilli() * 1000;
            byte[] data = new byte[]{0, 0, 0, 1, 9, (byte) i};
            connection.publish(FrameMessages.message(often, new FrameMetadata(i, us, us, "h264", 640, 360, i % 10 == 0), data));
            connection.publish(FrameMessages.message(once, new FrameMetadata(i, us, us, "h264", 640, 360, i == 0), data));
            Thread.sleep(50);
        }
        connection.flush(java.time.Duration.ofSeconds(5));
    }

    @Test
    void aNewViewerStartsAtTheNewestKeyFrameNearOrFarBack() throws Exception {
        publish("often", "once");
        JetStreamManagement jsm = connection.jetStreamManagement();

        List<Frame> near = NatsFrameSource.startingPoint(jsm, "often", Subjects.frames("often"), 1 << 20);
        assertThat(near).extracting(Frame::seq).containsExactly(60L, 61L, 62L, 63L, 64L, 65L, 66L, 67L, 68L, 69L);
        assertThat(near.get(0).keyFrame()).isTrue();
        // found by reaching back a little: not every retained message of the camera is read
        NatsFrameSource.Walk walk = NatsFrameSource.walkBack(jsm, "often", Subjects.frames("often"),
                jsm.getLastMessage(Subjects.FRAMES_STREAM, Subjects.frames("often")), 1 << 20);
        assertThat(walk.run()).hasSize(10);
        assertThat(walk.messages()).isLessThan(70);

        // the only key frame is the camera's first: reached back to the start of the stream
        List<Frame> far = NatsFrameSource.startingPoint(jsm, "once", Subjects.frames("once"), 1 << 20);
        assertThat(far).hasSize(70);
        assertThat(far.get(0).seq()).isZero();
        assertThat(far.get(69).seq()).isEqualTo(69);

        // a run bigger than the viewer's limit: no starting point (the viewer waits for the next key frame)
        assertThat(NatsFrameSource.startingPoint(jsm, "once", Subjects.frames("once"), 100)).isEmpty();
        // no frame of the camera at all
        org.assertj.core.api.Assertions.assertThatThrownBy(() ->
                NatsFrameSource.startingPoint(jsm, "nobody", Subjects.frames("nobody"), 1 << 20))
                .isInstanceOf(io.nats.client.JetStreamApiException.class);
    }
}
