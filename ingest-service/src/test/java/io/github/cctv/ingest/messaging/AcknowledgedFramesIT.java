package io.github.cctv.ingest.messaging;

import io.github.cctv.ingest.health.IngestMetrics;
import io.github.cctv.nats.FrameMessages;
import io.github.cctv.nats.Topology;
import io.github.cctv.protocol.FrameHeaders;
import io.github.cctv.protocol.FrameMetadata;
import io.github.cctv.protocol.Subjects;
import io.github.cctv.testing.NatsTestServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.nats.client.Connection;
import io.nats.client.JetStreamSubscription;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.PushSubscribeOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class AcknowledgedFramesIT {

    static final int CAMERAS = 10;
    static final int FRAMES = 20;
    static final int FRAME_BYTES = 1_000;

    NatsTestServer server;
    Connection nc;
    IngestMetrics metrics;
    AcknowledgedFrames frames;

    @BeforeEach
    void start() throws Exception {
        server = NatsTestServer.start();
        nc = Nats.connect(server.url());
        metrics = new IngestMetrics(new SimpleMeterRegistry());
    }

    @AfterEach
    void stop() throws Exception {
        if (frames != null) {
            frames.close();
        }
        nc.close();
        server.close();
    }

    @Test
    void whatWaitsForAnAbsentStreamIsBoundedInTotalAndTheRestIsStoredInOrderOnceTheStreamIsBack() throws Exception {
        // room for 3 frames of each camera, but 30 frames and 25 frames' bytes in all
        frames = new AcknowledgedFrames(() -> nc, metrics,
                new AcknowledgedFrames.Limits(Duration.ofMillis(500), 3, 1 << 20, 30, 25L * FRAME_BYTES));
        int refused = 0;
        for (int seq = 0; seq < FRAMES; seq++) {
            for (int cam = 0; cam < CAMERAS; cam++) {
                long started = System.nanoTime();
                if (!frames.publish(FrameMessages.identifiedMessage("cam" + cam, frame(seq), new byte[FRAME_BYTES], false))) {
                    refused++;
                }
                assertThat(System.nanoTime() - started).as("publish returns at once").isLessThan(Duration.ofMillis(200).toNanos());
                assertThat(frames.pendingFrames()).isLessThanOrEqualTo(30);
                assertThat(frames.pendingBytes()).isLessThanOrEqualTo(25L * FRAME_BYTES);
            }
        }
        // no stream: every publish is answered with no responders and sent again
        await().atMost(Duration.ofSeconds(5)).until(() -> metrics.framesResentCount() >= CAMERAS);
        assertThat(frames.pendingBytes()).isLessThanOrEqualTo(25L * FRAME_BYTES);
        int waiting = frames.pendingFrames();
        assertThat(metrics.framesDropped("unstored")).isEqualTo(CAMERAS * FRAMES - waiting);
        assertThat(metrics.framesDropped("unstored")).isPositive();
        assertThat(refused).isLessThanOrEqualTo((int) metrics.framesDropped("unstored"));

        Topology.defaults().ensureIngestPart(nc);
        await().atMost(Duration.ofSeconds(20)).until(() -> frames.pendingFrames() == 0);
        int stored = 0;
        for (int cam = 0; cam < CAMERAS; cam++) {
            List<Long> seqs = stored(Subjects.frames("cam" + cam));
            assertThat(seqs).as("cam" + cam + ": what was kept, each once, in order").isSorted().doesNotHaveDuplicates();
            stored += seqs.size();
        }
        assertThat(stored).as("every frame stored or counted as dropped").isEqualTo(waiting);
        assertThat(metrics.framesAcknowledgedLateCount()).isPositive();
    }

    @Test
    void aFrameSentAgainAfterItsAcknowledgementWasLostIsStoredOnce() throws Exception {
        Topology.defaults().ensureIngestPart(nc);
        frames = new AcknowledgedFrames(() -> nc, metrics,
                new AcknowledgedFrames.Limits(Duration.ofSeconds(2), 10, 1 << 20, 100, 1 << 20));
        // the stream already holds frame 0 from an attempt whose acknowledgement never came
        nc.jetStream().publish(FrameMessages.identifiedMessage("cam", frame(0), new byte[FRAME_BYTES], false));
        for (int seq = 0; seq < 3; seq++) {
            frames.publish(FrameMessages.identifiedMessage("cam", frame(seq), new byte[FRAME_BYTES], false));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> frames.pendingFrames() == 0);
        assertThat(stored(Subjects.frames("cam"))).containsExactly(0L, 1L, 2L);
    }

    private static FrameMetadata frame(long seq) {
        return new FrameMetadata(seq, 1_000_000 + seq, 2_000_000 + seq, "jpeg", 0, 0, true);
    }

    private List<Long> stored(String subject) throws Exception {
        JetStreamSubscription sub = nc.jetStream().subscribe(subject, PushSubscribeOptions.builder().ordered(true).build());
        List<Long> seqs = new ArrayList<>();
        Message m;
        while ((m = sub.nextMessage(Duration.ofMillis(500))) != null) {
            seqs.add(Long.parseLong(m.getHeaders().getFirst(FrameHeaders.SEQ)));
        }
        sub.unsubscribe();
        return seqs;
    }
}
