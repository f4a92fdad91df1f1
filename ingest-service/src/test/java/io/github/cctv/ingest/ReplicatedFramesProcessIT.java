package io.github.cctv.ingest;

import io.github.cctv.protocol.FrameHeaders;
import io.github.cctv.protocol.Subjects;
import io.github.cctv.testing.NatsTestCluster;
import io.github.cctv.testing.NatsTestServer;
import io.nats.client.Connection;
import io.nats.client.JetStreamOptions;
import io.nats.client.JetStreamSubscription;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.PushSubscribeOptions;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The packaged ingest on a replicated frame stream: frames a leader change of the stream would lose are sent again,
 * so that the stream holds every frame of a camera once and in order; and a frame stream that stores nothing costs
 * ingest bounded memory and its cameras nothing.
 */
class ReplicatedFramesProcessIT {

    /** A camera at 25 fps. */
    static final Duration FRAME_INTERVAL = Duration.ofMillis(40);
    static final int FRAME_BYTES = 3_000;

    @Test
    void storesEveryFrameOnceInOrderWhenTheFrameStreamLeaderIsKilled() throws Exception {
        try (NatsTestCluster cluster = NatsTestCluster.start();
             IngestProcess ingest = IngestProcess.start("ingest-replicated-frames", cluster.url(), "256m", Map.of(
                     "CCTV_INGEST_CAMERA_SECRET_FILE", IngestProcess.secretFile().toString(),
                     "CCTV_NATS_REPLICAS", "3",
                     "CCTV_NATS_FRAMES_REPLICAS", "3",
                     // room for a slow election on a loaded machine: a minute of this camera
                     "CCTV_INGEST_FRAMES_ACK_MAX_FRAMES_PER_CAMERA", "1500")).awaitReady();
             Connection probe = Nats.connect(new Options.Builder().servers(cluster.url().split(",")).maxReconnects(-1).build())) {
            String id = IngestTestSupport.newId("failover");
            long sent;
            try (TestCamera camera = TestCamera.online(ingest.cameraPort, id)) {
                long seq = 0;
                seq = stream(camera, seq, Duration.ofSeconds(3));
                String leader = probe.jetStreamManagement().getStreamInfo(Subjects.FRAMES_STREAM).getClusterInfo().getLeader();
                int node = nodeNamed(cluster, leader);
                cluster.kill(node);
                seq = stream(camera, seq, Duration.ofSeconds(12));
                sent = seq;
                assertThat(camera.disconnected()).as("camera stays connected").isFalse();
                camera.goodbye();
            }
            // nothing waits any more (a build without acknowledgements has no such gauge: -1)
            await().atMost(Duration.ofSeconds(60)).until(() -> ingest.metric("cctv_ingest_frames_unacknowledged") <= 0);

            // the consumer that reads back is created on a cluster that just lost a node: it may take more than one try
            List<Long> stored = await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
                    .until(() -> storedSequences(probe, Subjects.frames(id)), seqs -> true);
            List<Long> missing = new ArrayList<>();
            for (long s = 0; s < sent; s++) {
                if (!stored.contains(s)) {
                    missing.add(s);
                }
            }
            System.out.printf("frames sent %d, stored %d, missing %d %s, resent %.0f, acknowledged late %.0f%n", sent,
                    stored.size(), missing.size(), missing, ingest.metric("cctv_ingest_frames_resent_total"),
                    ingest.metric("cctv_ingest_frames_acknowledged_late_total"));
            assertThat(missing).as("frames in no message of the stream").isEmpty();
            List<Long> expected = new ArrayList<>();
            for (long s = 0; s < sent; s++) {
                expected.add(s);
            }
            assertThat(stored).as("each frame once, in capture order").isEqualTo(expected);
        }
    }

    @Test
    void boundsWhatWaitsAndKeepsTheCameraWhenTheFrameStreamStoresNothing() throws Exception {
        try (NatsTestServer nats = NatsTestServer.start();
             IngestProcess ingest = IngestProcess.start("ingest-unstored-frames", nats, "256m", Map.of(
                     "CCTV_INGEST_CAMERA_SECRET_FILE", IngestProcess.secretFile().toString(),
                     "CCTV_INGEST_FRAMES_ACKNOWLEDGED", "true",
                     "CCTV_INGEST_FRAMES_ACK_MAX_FRAMES_PER_CAMERA", "20",
                     "CCTV_INGEST_FRAMES_ACK_MAX_BYTES_PER_CAMERA", "1000000")).awaitReady();
             Connection probe = Nats.connect(nats.url())) {
            String id = IngestTestSupport.newId("unstored");
            try (TestCamera camera = TestCamera.online(ingest.cameraPort, id)) {
                long seq = stream(camera, 0, Duration.ofSeconds(1));
                await().atMost(Duration.ofSeconds(10)).until(() -> ingest.metric("cctv_ingest_frames_unacknowledged") == 0);
                assertThat(ingest.metric("cctv_ingest_frames_dropped_total")).isLessThanOrEqualTo(0);

                // no stream takes the frames any more: every publish is answered with no responders
                probe.jetStreamManagement().deleteStream(Subjects.FRAMES_STREAM);
                long end = System.nanoTime() + Duration.ofSeconds(4).toNanos();
                double most = 0;
                while (System.nanoTime() < end) {
                    seq = stream(camera, seq, Duration.ofMillis(500));
                    most = Math.max(most, ingest.metric("cctv_ingest_frames_unacknowledged"));
                }
                long sentWithoutStream = seq;
                assertThat(most).as("frames waiting, one camera").isBetween(1.0, 21.0);
                assertThat(ingest.metric("cctv_ingest_frames_unacknowledged_bytes")).isLessThanOrEqualTo(21.0 * FRAME_BYTES);
                await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(
                        dropped(ingest, "unstored")).isGreaterThanOrEqualTo(sentWithoutStream / 2.0 - 21));
                assertThat(ingest.metric("cctv_ingest_frames_resent_total")).isPositive();
                assertThat(camera.disconnected()).as("camera stays connected").isFalse();
                assertThat(ingest.process.isAlive()).isTrue();
            }
        }
    }

    /** Sends frames from {@code seq} on at 25 fps for {@code time}; returns the next sequence. */
    private static long stream(TestCamera camera, long seq, Duration time) throws Exception {
        long end = System.nanoTime() + time.toNanos();
        while (System.nanoTime() < end) {
            camera.frame(seq, System.currentTimeMillis() * 1000, IngestTestSupport.image(seq, FRAME_BYTES));
            seq++;
            Thread.sleep(FRAME_INTERVAL.toMillis()); // pacing the camera, not waiting for a result
        }
        return seq;
    }

    private static int nodeNamed(NatsTestCluster cluster, String name) {
        for (int i = 0; i < NatsTestCluster.SIZE; i++) {
            if (cluster.serverName(i).equals(name)) {
                return i;
            }
        }
        throw new AssertionError("no node named " + name);
    }

    /** The Cctv-Seq of every message the frame stream holds on {@code subject}, in stream order. */
    private static List<Long> storedSequences(Connection probe, String subject) throws Exception {
        JetStreamSubscription sub = probe.jetStream(JetStreamOptions.builder().requestTimeout(Duration.ofSeconds(10)).build())
                .subscribe(subject, PushSubscribeOptions.builder().ordered(true).build());
        List<Long> seqs = new ArrayList<>();
        Message m;
        while ((m = sub.nextMessage(Duration.ofSeconds(3))) != null) {
            seqs.add(Long.parseLong(m.getHeaders().getFirst(FrameHeaders.SEQ)));
        }
        sub.unsubscribe();
        return seqs;
    }

    private static double dropped(IngestProcess ingest, String cause) throws Exception {
        for (String line : ingest.metrics().split("\n")) {
            if (line.startsWith("cctv_ingest_frames_dropped_total{") && line.contains("cause=\"" + cause + "\"")) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return 0;
    }
}
