package io.github.cctv.recorder.domain.recording;

import io.github.cctv.protocol.event.RecordingState;
import io.github.cctv.recorder.domain.cluster.ClusterCoordinator;
import io.github.cctv.recorder.domain.cluster.Leases;
import io.github.cctv.recorder.domain.cluster.Membership;
import io.github.cctv.recorder.domain.cluster.Rendezvous;
import io.github.cctv.recorder.domain.store.RecordingIndex;
import io.github.cctv.recorder.domain.store.RecordingLayout;
import io.github.cctv.recorder.domain.store.SegmentProbe;
import io.github.cctv.recorder.health.RecorderMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Several recorders sharing the cameras, against in-memory membership, leases and progress: no NATS. */
class ClusterCoordinatorTest {

    static final List<String> CAMS = List.of("cam1", "cam2", "cam3", "cam4", "cam5", "cam6");

    @TempDir
    Path dir;

    final FakeFrameSource source = new FakeFrameSource();
    final MemoryPorts.StateStore store = new MemoryPorts.StateStore();
    final MemoryPorts.Registry registry = new MemoryPorts.Registry();
    final Cluster cluster = new Cluster();
    final List<Node> nodes = new ArrayList<>();

    /** What the buckets hold, shared by every recorder of a test. */
    static final class Cluster {
        final Set<String> live = ConcurrentHashMap.newKeySet();
        final Map<String, String> leases = new ConcurrentHashMap<>();
        final Map<String, Long> progress = new ConcurrentHashMap<>();
        /** The buckets have no leader (a NATS node's loss): every request waits for its time-out, then fails. */
        volatile boolean unanswered;
        /** How long an unanswered request waits. */
        static final long TIMEOUT_MILLIS = 200;

        void waitForTimeOut() {
            try {
                Thread.sleep(TIMEOUT_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        /** A recorder died: its entry and leases run out. */
        void expire(String id) {
            live.remove(id);
            leases.values().removeIf(id::equals);
        }
    }

    /** One recorder: its own disk and writers, the shared stream and buckets. */
    final class Node {
        final String id;
        final MemoryWriters writers = new MemoryWriters();
        final RecordingManager manager;
        final ClusterCoordinator coordinator;
        final Set<String> held = ConcurrentHashMap.newKeySet();
        final java.util.concurrent.atomic.AtomicInteger renewals = new java.util.concurrent.atomic.AtomicInteger();
        volatile boolean alive = true;

        Node(String id, Set<String> alwaysRecord) {
            this.id = id;
            Membership membership = new Membership() {
                @Override
                public String self() {
                    return id;
                }

                @Override
                public void renew() {
                    if (cluster.unanswered) {
                        cluster.waitForTimeOut();
                        throw new IllegalStateException("cannot renew " + id + ": timed out");
                    }
                    cluster.live.add(id);
                }

                @Override
                public Set<String> live() {
                    return new TreeSet<>(cluster.live);
                }

                @Override
                public void leave() {
                    cluster.live.remove(id);
                }
            };
            Leases leases = new Leases() {
                @Override
                public boolean acquire(String cameraId) {
                    boolean ok = cluster.leases.putIfAbsent(cameraId, id) == null || id.equals(cluster.leases.get(cameraId));
                    if (ok) {
                        held.add(cameraId);
                    }
                    return ok;
                }

                @Override
                public Renewal renew(String cameraId) {
                    renewals.incrementAndGet();
                    if (cluster.unanswered) {
                        cluster.waitForTimeOut();
                        return Renewal.UNKNOWN;
                    }
                    if (id.equals(cluster.leases.get(cameraId))) {
                        return Renewal.HELD;
                    }
                    held.remove(cameraId);
                    return Renewal.LOST;
                }

                @Override
                public void release(String cameraId) {
                    if (held.remove(cameraId)) {
                        cluster.leases.remove(cameraId, id);
                    }
                }

                @Override
                public Set<String> held() {
                    return Set.copyOf(held);
                }

                @Override
                public Optional<String> holder(String cameraId) {
                    return Optional.ofNullable(cluster.leases.get(cameraId));
                }
            };
            RecordingProgress progress = new RecordingProgress() {
                @Override
                public long writtenUpTo(String cameraId) {
                    return cluster.progress.getOrDefault(cameraId, 0L);
                }

                @Override
                public void written(String cameraId, long streamSeq, io.github.cctv.recorder.domain.store.Recording segment) {
                    if (alive) {
                        cluster.progress.put(cameraId, streamSeq);
                    }
                }
            };
            coordinator = new ClusterCoordinator(membership, leases, store, alwaysRecord);
            RecordingIndex index = new RecordingIndex(new RecordingLayout(dir.resolve(id), ZoneId.of("UTC")),
                    file -> new SegmentProbe.Result(0, 0));
            manager = new RecordingManager(new CameraRecorder.Settings(Duration.ofMinutes(10), Duration.ofMillis(30),
                    16, Duration.ofMillis(20)), Duration.ofSeconds(5), alwaysRecord, source, writers, index,
                    new MemoryPorts.Events(), store, registry, new RecorderMetrics(new SimpleMeterRegistry()),
                    Clock.systemUTC(), coordinator, progress);
            coordinator.manage(manager);
        }
    }

    Node node(String id) {
        Node n = new Node(id, Set.of());
        nodes.add(n);
        return n;
    }

    @AfterEach
    void stopAll() {
        nodes.forEach(n -> n.manager.shutdown());
    }

    void tickAll() {
        for (Node n : nodes) {
            if (n.alive) {
                n.coordinator.tick();
            }
        }
    }

    /** Every camera to be recorded, 20 frames each already in the stream (frame numbers 0 to 19). */
    void desireAll() {
        Instant t0 = Instant.now().minusSeconds(2);
        for (String cam : CAMS) {
            registry.known.add(cam);
            source.addFrames(cam, 0, 20, t0, 10);
            store.put(new RecordingState(cam, true, t0, "alice"));
        }
    }

    List<Long> seqsAcross(String cam) {
        List<Long> all = new ArrayList<>();
        for (Node n : nodes) {
            all.addAll(n.writers.seqs(cam));
        }
        all.sort(null);
        return all;
    }

    @Test
    void everyCameraIsRecordedByItsRendezvousOwnerOnly() {
        desireAll();
        Node a = node("rec-a");
        Node b = node("rec-b");
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            tickAll(); // join, see each other, hand over, take what was handed over
            for (String cam : CAMS) {
                String owner = Rendezvous.owner(cam, Set.of("rec-a", "rec-b"));
                assertThat(cluster.leases.get(cam)).as(cam).isEqualTo(owner);
                assertThat(a.manager.isRecording(cam)).as(cam + " on rec-a").isEqualTo(owner.equals("rec-a"));
                assertThat(b.manager.isRecording(cam)).as(cam + " on rec-b").isEqualTo(owner.equals("rec-b"));
            }
        });
        assertThat(a.manager.recordingCameras()).isNotEmpty();
        assertThat(b.manager.recordingCameras()).isNotEmpty();
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            for (String cam : CAMS) {
                assertThat(seqsAcross(cam)).as(cam).isEqualTo(LongStream.range(0, 20).boxed().toList());
            }
        });
    }

    @Test
    void aJoiningRecorderTakesItsShareRightAfterTheFramesTheOtherRecordedAndNoneIsTwice() {
        desireAll();
        Node a = node("rec-a");
        tickAll();
        await().atMost(Duration.ofSeconds(5)).until(() -> CAMS.stream().allMatch(c -> a.writers.seqs(c).size() == 20));
        assertThat(a.manager.recordingCameras()).containsExactlyInAnyOrderElementsOf(CAMS);

        Node b = node("rec-b");
        tickAll(); // b joins and sees both; a does not see b yet or hands over
        tickAll();
        await().atMost(Duration.ofSeconds(5)).until(() -> {
            tickAll();
            return CAMS.stream().allMatch(c -> Rendezvous.owner(c, Set.of("rec-a", "rec-b"))
                    .equals(cluster.leases.get(c)) && (a.manager.isRecording(c) || b.manager.isRecording(c)));
        });
        assertThat(b.manager.recordingCameras()).isNotEmpty();
        Instant t1 = Instant.now();
        for (String cam : CAMS) {
            source.addFrames(cam, 20, 20, t1, 10);
        }
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            for (String cam : CAMS) {
                assertThat(seqsAcross(cam)).as(cam).isEqualTo(LongStream.range(0, 40).boxed().toList());
            }
        });
        for (String cam : b.manager.recordingCameras()) {
            assertThat(a.writers.seqs(cam)).as(cam + " on rec-a before the handover").isNotEmpty();
            assertThat(b.writers.seqs(cam).get(0)).as(cam + " on rec-b starts right after rec-a's last frame")
                    .isEqualTo(a.writers.seqs(cam).get(a.writers.seqs(cam).size() - 1) + 1);
        }
    }

    @Test
    void whenARecorderDiesTheOtherTakesItsCamerasAfterTheLastFrameItMarked() {
        desireAll();
        Node a = node("rec-a");
        Node b = node("rec-b");
        await().atMost(Duration.ofSeconds(5)).until(() -> {
            tickAll();
            return CAMS.stream().allMatch(c -> (Rendezvous.owner(c, Set.of("rec-a", "rec-b")).equals("rec-a")
                    ? a : b).manager.isRecording(c)) && CAMS.stream().allMatch(c -> seqsAcross(c).size() == 20);
        });
        Set<String> ofB = b.manager.recordingCameras();
        assertThat(ofB).isNotEmpty();

        b.alive = false; // dead: no more rounds, no more marks
        b.manager.shutdown();
        cluster.expire("rec-b");
        await().atMost(Duration.ofSeconds(5)).until(() -> {
            tickAll();
            return a.manager.recordingCameras().containsAll(CAMS);
        });
        Instant t1 = Instant.now();
        for (String cam : CAMS) {
            source.addFrames(cam, 20, 20, t1, 10);
        }
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            for (String cam : CAMS) {
                assertThat(seqsAcross(cam)).as(cam).isEqualTo(LongStream.range(0, 40).boxed().toList());
            }
        });
        for (String cam : ofB) {
            assertThat(a.writers.seqs(cam)).as(cam + " taken over by rec-a")
                    .endsWith(LongStream.range(20, 40).boxed().toArray(Long[]::new));
        }
    }

    /**
     * A NATS node's loss leaves the buckets without a leader for seconds: a round of renewals asks once and waits
     * for the next round, instead of waiting out a time-out per lease (which, with the member entry and the desired
     * states in the same round, took longer than a lease lives); the leases are renewed again once NATS answers, and
     * the cameras never stop.
     */
    @Test
    void aRoundOfRenewalsThatIsNotAnsweredAsksOnceAndTheCamerasKeepRecording() {
        desireAll();
        Node a = node("rec-a");
        await().atMost(Duration.ofSeconds(5)).until(() -> {
            tickAll();
            return a.manager.recordingCameras().containsAll(CAMS);
        });

        cluster.unanswered = true;
        a.renewals.set(0);
        long t0 = System.nanoTime();
        a.coordinator.renewLeases();
        long tookMillis = Duration.ofNanos(System.nanoTime() - t0).toMillis();
        assertThat(a.renewals.get()).as("renewals asked of a bucket that does not answer").isEqualTo(1);
        assertThat(tookMillis).as("ms the round waited").isLessThan(CAMS.size() * Cluster.TIMEOUT_MILLIS);
        a.renewals.set(0);
        a.coordinator.tick(); // the member entry times out too
        assertThat(a.renewals.get()).as("renewals asked in a whole round").isEqualTo(1);
        assertThat(a.manager.recordingCameras()).as("cameras recording while NATS does not answer")
                .containsExactlyInAnyOrderElementsOf(CAMS);

        cluster.unanswered = false;
        a.renewals.set(0);
        a.coordinator.renewLeases();
        assertThat(a.renewals.get()).as("renewals once NATS answers again").isEqualTo(CAMS.size());
        assertThat(a.manager.recordingCameras()).containsExactlyInAnyOrderElementsOf(CAMS);
    }

    @Test
    void exactlyOneRecorderAnswersForEachCameraOwnedOrNot() {
        desireAll();
        store.put(new RecordingState("cam1", false, Instant.now(), "bob")); // not recorded: nobody holds it
        Node a = node("rec-a");
        Node b = node("rec-b");
        await().atMost(Duration.ofSeconds(5)).until(() -> {
            tickAll();
            return a.coordinator.live().size() == 2 && b.coordinator.live().size() == 2
                    && CAMS.stream().skip(1).allMatch(c -> a.manager.isRecording(c) || b.manager.isRecording(c));
        });
        for (String cam : List.of("cam1", "cam2", "cam3", "cam4", "cam5", "cam6", "never-seen")) {
            assertThat(a.coordinator.answers(cam) ^ b.coordinator.answers(cam)).as(cam).isTrue();
        }
        assertThat(cluster.leases).doesNotContainKey("cam1");
        String owner = Rendezvous.owner("cam1", Set.of("rec-a", "rec-b"));
        Node answering = owner.equals("rec-a") ? a : b;
        assertThat(answering.coordinator.answers("cam1")).isTrue();
        assertThat(answering.manager.start("cam1", "carol").result())
                .isEqualTo(io.github.cctv.protocol.event.RecordingReply.STARTED);
        assertThat(cluster.leases.get("cam1")).isEqualTo(owner);
    }

    @Test
    void rendezvousMovesOnlyTheCamerasTheNewMemberWins() {
        List<String> cams = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            cams.add("cam-" + i);
        }
        Set<String> two = Set.of("rec-a", "rec-b");
        Set<String> three = Set.of("rec-a", "rec-b", "rec-c");
        int moved = 0;
        for (String c : cams) {
            String before = Rendezvous.owner(c, two);
            String after = Rendezvous.owner(c, three);
            if (!before.equals(after)) {
                assertThat(after).isEqualTo("rec-c");
                moved++;
            }
        }
        assertThat(moved).isBetween(250, 420); // about a third
        assertThat(Rendezvous.owner("x", Set.of())).isNull();
    }
}
