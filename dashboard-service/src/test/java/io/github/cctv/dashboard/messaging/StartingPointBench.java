package io.github.cctv.dashboard.messaging;

import io.github.cctv.nats.FrameMessages;
import io.github.cctv.nats.Topology;
import io.github.cctv.protocol.FrameMetadata;
import io.github.cctv.protocol.Subjects;
import io.github.cctv.testing.NatsTestServer;
import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import io.nats.client.Nats;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * How long a new viewer's starting point takes to read from the frames stream, for a wall of H.264 cameras: every
 * retained message of the camera read forward (up to {@link NatsFrameSource#MAX_WALK}) against reaching back in
 * doubling steps ({@link NatsFrameSource#walkBack}). Side by side in one run, on one private NATS; not part
 * of {@code verify}, it prints and asserts nothing:
 * <pre>
 * ./mvnw -B -pl dashboard-service -am test -Dtest=StartingPointBench -Dsurefire.failIfNoSpecifiedTests=false
 *   # -Dbench.cameras=16 -Dbench.fps=10 -Dbench.bytes=6000 -Dbench.seconds=60
 * </pre>
 */
class StartingPointBench {

    @Test
    void bench() throws Exception {
        int cameras = Integer.getInteger("bench.cameras", 16);
        int fps = Integer.getInteger("bench.fps", 10);
        int bytes = Integer.getInteger("bench.bytes", 6000);
        int rounds = Integer.getInteger("bench.rounds", 5);
        // the frames stream's default window: a camera's retained messages after a minute of streaming
        int seconds = Integer.getInteger("bench.seconds", 60);
        try (NatsTestServer nats = NatsTestServer.start(); Connection nc = Nats.connect(nats.url())) {
            Topology.defaults().ensureAll(nc);
            // every camera at fps for the window, a key frame every second, as a substream would be
            byte[] data = new byte[bytes];
            long t0 = System.nanoTime();
            for (int i = 0; i < seconds * fps; i++) {
                long us = Instant.now().toEpochMilli() * 1000;
                for (int c = 0; c < cameras; c++) {
                    nc.publish(FrameMessages.message("cam" + c, new FrameMetadata(i, us, us, "h264", 640, 360, i % fps == 0), data));
                }
                long next = t0 + (i + 1) * 1_000_000_000L / fps;
                Thread.sleep(Math.max(0, (next - System.nanoTime()) / 1_000_000));
            }
            nc.flush(java.time.Duration.ofSeconds(5));
            JetStreamManagement jsm = nc.jetStreamManagement();
            ExecutorService pool = Executors.newFixedThreadPool(cameras);
            System.out.printf(Locale.ROOT, "%d cameras, %d fps, %d B frames, a key frame every second, %d s retained, %d rounds%n",
                    cameras, fps, bytes, seconds, rounds);
            System.out.println("| way | messages read per camera | one camera after another: ms per camera (median) | all at once: ms until the last (median) |");
            for (String way : List.of(FORWARD, "back in doubling steps")) {
                List<Double> each = new ArrayList<>();
                List<Double> together = new ArrayList<>();
                int read = 0;
                for (int r = 0; r < rounds; r++) {
                    long a = System.nanoTime();
                    for (int c = 0; c < cameras; c++) {
                        read = start(jsm, way, "cam" + c);
                    }
                    each.add((System.nanoTime() - a) / 1e6 / cameras);
                    a = System.nanoTime();
                    List<Future<Integer>> all = new ArrayList<>();
                    for (int c = 0; c < cameras; c++) {
                        String cam = "cam" + c;
                        all.add(pool.submit(() -> start(jsm, way, cam)));
                    }
                    for (Future<Integer> f : all) {
                        f.get();
                    }
                    together.add((System.nanoTime() - a) / 1e6);
                }
                System.out.printf(Locale.ROOT, "| %s | %d | %.1f | %.0f |%n", way, read, median(each), median(together));
            }
            pool.shutdownNow();
        }
    }

    private static int start(JetStreamManagement jsm, String way, String cam) throws Exception {
        String subject = Subjects.frames(cam);
        var last = jsm.getLastMessage(Subjects.FRAMES_STREAM, subject);
        if (way.equals(FORWARD)) {
            // the earlier way: forward from the camera's first retained message (NATS 2.9 ignores a start time in
            // a message get), keeping the frames from the newest key frame, at most MAX_WALK messages
            var m = jsm.getFirstMessage(Subjects.FRAMES_STREAM, last.getTime().minusSeconds(10), subject);
            int read = 1;
            while (read < NatsFrameSource.MAX_WALK && m.getSeq() < last.getSeq()) {
                m = jsm.getNextMessage(Subjects.FRAMES_STREAM, m.getSeq() + 1, subject);
                read++;
            }
            return 1 + read;
        }
        return 1 + NatsFrameSource.walkBack(jsm, cam, subject, last, 1 << 24).messages();
    }

    private static final String FORWARD = "forward over the window";

    private static double median(List<Double> xs) {
        List<Double> s = new ArrayList<>(xs);
        s.sort(null);
        return s.get(s.size() / 2);
    }
}
