package io.github.cctv.ingest;

import io.github.cctv.protocol.FrameHeaders;
import io.github.cctv.protocol.Subjects;
import io.github.cctv.protocol.wire.Message;
import io.github.cctv.protocol.wire.WireEncoder;
import io.nats.client.Connection;
import io.nats.client.Nats;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The attack that used to wedge ingest for good, against the packaged service with a 128 MB heap: 500 cameras (with
 * valid tokens: a compromised site) each announce a 4 MiB frame and then send one byte every 0.8 s, reconnecting when
 * they are cut off. A streaming camera loses no frame and a new camera is let in within 2 s throughout.
 */
class FrameFloodProcessIT {

    static final int ATTACKERS = 500;
    static final int ADDRESSES = 20; // 25 attackers per source address, within the default burst of 50
    static final int FRAME = 4 * 1024 * 1024;

    @RegisterExtension
    static final IngestProcess.Fixture system = new IngestProcess.Fixture("ingest-frame-flood", "128m");

    /** One attacking connection: a hello, a header announcing 4 MiB, then a byte now and then. */
    static final class Trickler {
        final String id;
        final InetAddress from;
        TestCamera camera;
        boolean accepted;

        Trickler(int i) throws IOException {
            id = "flood-" + i;
            from = InetAddress.getByName("127.0.0." + (2 + i % ADDRESSES));
        }

        void connect() throws Exception {
            if (camera != null) {
                camera.close();
            }
            camera = TestCamera.connectFrom(from, system.ingest().cameraPort, id);
            accepted = camera.handshake(TestCamera.token(id)) instanceof Message.Accept;
            if (accepted) {
                camera.send(WireEncoder.frameHeader(1, System.currentTimeMillis() * 1000, true, FRAME));
            }
        }

        void trickle() throws Exception {
            try {
                if (camera.disconnected() || !accepted) {
                    throw new IOException("closed");
                }
                camera.send(new byte[]{0x55});
            } catch (IOException e) {
                connect(); // cut off after the message timeout: the attacker comes straight back
            }
        }
    }

    @Test
    void fiveHundredTricklingFourMegabyteFramesLeaveAStreamingCameraWithoutAGapAndANewCameraGetsIn() throws Exception {
        try (Connection nc = Nats.connect(system.nats().url())) {
            List<io.nats.client.Message> frames = new CopyOnWriteArrayList<>();
            nc.createDispatcher(frames::add).subscribe(Subjects.frames("steady"));
            nc.flush(Duration.ofSeconds(2));
            StreamingCamera steady = StreamingCamera.start(system.ingest().cameraPort, "steady");

            List<Trickler> attack = new ArrayList<>();
            // connected in rounds, each round trickling those already connected, so that none falls silent meanwhile
            while (attack.size() < ATTACKERS) {
                long round = System.nanoTime();
                for (int k = 0; k < 100 && attack.size() < ATTACKERS; k++) {
                    Trickler t = new Trickler(attack.size());
                    t.connect();
                    attack.add(t);
                }
                for (Trickler t : attack) {
                    t.trickle();
                }
                pace(round);
            }
            assertThat(attack).as("the attack is real: its connections are accepted").filteredOn(t -> t.accepted)
                    .hasSizeGreaterThan(ATTACKERS * 9 / 10);
            // tricklers cut off by the message timeout come straight back (each a claim of its id again), so the
            // sessions open are counted at their most, during the attack below
            double mostOpen = system.ingest().metric("cctv_ingest_sessions_open");

            long end = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            long nextNewcomer = System.nanoTime() + Duration.ofSeconds(3).toNanos();
            int newcomers = 0;
            double mostMemory = 0;
            while (System.nanoTime() < end) {
                long round = System.nanoTime();
                for (Trickler t : attack) {
                    t.trickle();
                }
                if (System.nanoTime() > nextNewcomer) {
                    long t0 = System.nanoTime();
                    try (TestCamera newcomer = TestCamera.online(system.ingest().cameraPort, "newcomer-" + newcomers)) {
                        long ms = (System.nanoTime() - t0) / 1_000_000;
                        assertThat(ms).as("a new camera is let in within 2 s under attack").isLessThan(2_000);
                        newcomer.goodbye();
                    }
                    newcomers++;
                    nextNewcomer = System.nanoTime() + Duration.ofSeconds(3).toNanos();
                    mostMemory = Math.max(mostMemory, system.ingest().metric("cctv_ingest_frame_memory_bytes"));
                }
                assertThat(system.ingest().process.isAlive()).as("ingest is alive").isTrue();
                mostOpen = Math.max(mostOpen, system.ingest().metric("cctv_ingest_sessions_open"));
                pace(round);
            }
            assertThat(mostOpen).as("the attack's sessions held open at once").isGreaterThan(ATTACKERS * 9 / 10.0);
            assertThat(newcomers).isGreaterThanOrEqualTo(2);
            assertThat(mostMemory).as("frame memory held while 500 frames of 4 MiB are on their way")
                    .isPositive().isLessThan(ATTACKERS * 16 * 1024.0 + FRAME);
            assertThat(system.ingest().metric("cctv_ingest_disconnects_total")).as("tricklers cut off by the message timeout").isPositive();

            long sent = steady.stop();
            await().atMost(Duration.ofSeconds(10)).until(() -> frames.size() >= sent);
            assertThat(steady.camera.disconnected()).as("the streaming camera stayed connected").isFalse();
            for (int i = 0; i < sent; i++) {
                assertThat(frames.get(i).getHeaders().getFirst(FrameHeaders.SEQ)).as("frame %d", i).isEqualTo(Integer.toString(i));
            }
            assertThat(frames).hasSize((int) sent);
            steady.close();
            for (Trickler t : attack) {
                t.camera.close();
            }
        }
        assertThat(system.ingest().logLines()).noneMatch(l -> l.contains("OutOfMemoryError"));
    }

    /** Pacing the attack: one byte per connection every 0.8 s. */
    private static void pace(long roundStart) throws InterruptedException {
        long pause = 800 - (System.nanoTime() - roundStart) / 1_000_000;
        if (pause > 0) {
            Thread.sleep(pause);
        }
    }
}
