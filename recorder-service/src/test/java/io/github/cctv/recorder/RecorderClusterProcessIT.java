package io.github.cctv.recorder;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.cctv.nats.Topology;
import io.github.cctv.protocol.Subjects;
import io.github.cctv.protocol.event.Events;
import io.github.cctv.protocol.event.RecorderMember;
import io.github.cctv.protocol.event.RecordingCommand;
import io.github.cctv.protocol.event.RecordingReply;
import io.github.cctv.recorder.domain.cluster.Rendezvous;
import io.github.cctv.testing.NatsTestServer;
import io.github.cctv.testing.ServiceProcess;
import io.nats.client.Connection;
import io.nats.client.KeyValue;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Subscription;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two packaged recorders, real processes on one NATS server with the system's users, each with its own disk,
 * sharing four cameras: each camera is recorded by exactly one, its rendezvous owner, and control requests are
 * answered by that one only; one recorder killed with SIGKILL has its cameras taken by the other within seconds;
 * back again, it takes its share back; and across both disks every frame of every camera is in exactly one file, in
 * order, read back with the real decoder; and a recorder paused longer than its lease writes nothing more of the
 * cameras taken from it. Runs after {@code package}.
 */
class RecorderClusterProcessIT {

    /** Two of them hash to each recorder (checked below: a change of the hash shows there). */
    static final List<String> CAMS = List.of("yard", "gate", "lobby", "roof");
    static final Set<String> IDS = Set.of("rec-a", "rec-b");

    /** Under target/, one folder per test, so that a failed run leaves its files and logs to look at. */
    Path base;
    final HttpClient http = HttpClient.newHttpClient();
    final Map<String, Recorder> recorders = new LinkedHashMap<>();

    NatsTestServer nats;
    NatsFixture fixture;
    Connection dashboard;
    Connection recorderUser;
    long t0;

    /** One recorder process: its id, disk and port. */
    final class Recorder {
        final String id;
        final Path root;
        final int port = NatsTestServer.freePort();
        ServiceProcess process;

        Recorder(String id) {
            this.id = id;
            this.root = base.resolve(id);
        }

        void start() {
            Map<String, String> env = new LinkedHashMap<>(nats.serviceEnvironment("recorder"));
            env.put("CCTV_RECORDER_ROOT", root.toString());
            env.put("CCTV_RECORDER_INSTANCE_ID", id);
            env.put("CCTV_RECORDER_ADVERTISED_URL", "http://127.0.0.1:" + port);
            env.put("CCTV_RECORDER_LEASE", "3s");
            env.put("CCTV_RECORDER_LEASE_RENEW", "1s");
            env.put("CCTV_RECORDER_FLUSH_INTERVAL", "300ms");
            env.put("CCTV_RECORDER_ACK_WAIT", "2s");
            process = ServiceProcess.startQuarkus(Path.of("").toAbsolutePath().getParent(), "recorder-service", port,
                    env, base.resolve("logs-" + id));
            process.awaitHealthy("http://127.0.0.1:" + port + "/q/health/ready", Duration.ofSeconds(90));
        }

        List<JsonNode> recordings(String cam) throws Exception {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/api/recordings?camera=" + cam)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            List<JsonNode> out = new ArrayList<>();
            Events.mapper().readTree(r.body()).forEach(out::add);
            return out;
        }

        long frames(String cam) throws Exception {
            return recordings(cam).stream().mapToLong(n -> n.get("frames").asLong()).sum();
        }

        /** Seen both recorders live: it logs the view whenever it changes. */
        boolean sees(Set<String> ids) throws IOException {
            List<String> lines = Files.readAllLines(process.log());
            for (int i = lines.size() - 1; i >= 0; i--) {
                if (lines.get(i).contains("live recorders: ")) {
                    return lines.get(i).contains("live recorders: " + new java.util.TreeSet<>(ids));
                }
            }
            return false;
        }
    }

    @BeforeEach
    void setUp(TestInfo test) throws Exception {
        base = Path.of("target", "cluster-it", test.getTestMethod().orElseThrow().getName()).toAbsolutePath();
        if (Files.exists(base)) {
            try (var s = Files.walk(base)) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        nats = NatsTestServer.startWithUsers();
        fixture = new NatsFixture(Nats.connect(nats.optionsAs("ingest").build()),
                dashboard = Nats.connect(nats.optionsAs("dashboard").build()));
        recorderUser = Nats.connect(nats.optionsAs("recorder").build());
        fixture.withFrameStream();
        for (String cam : CAMS) {
            fixture.register(cam);
        }
        for (String id : IDS.stream().sorted().toList()) {
            recorders.put(id, new Recorder(id));
        }
    }

    @AfterEach
    void tearDown() throws Exception {
        for (Recorder r : recorders.values()) {
            if (r.process != null) {
                r.process.kill();
            }
        }
        fixture.close();
        recorderUser.close();
        nats.close();
    }

    /** Every answer to one control request, collected for a second after the first. */
    List<RecordingReply> controlAll(String cam, String action) throws Exception {
        return controlAll(cam, action, Duration.ofSeconds(20));
    }

    /** The same, waiting at most {@code first} for the first answer (none: an empty list). */
    List<RecordingReply> controlAll(String cam, String action, Duration first) throws Exception {
        String inbox = dashboard.createInbox();
        Subscription sub = dashboard.subscribe(inbox);
        dashboard.publish(Subjects.recordingControl(cam), inbox, Events.write(new RecordingCommand(action, "test")));
        List<RecordingReply> out = new ArrayList<>();
        Message m = sub.nextMessage(first);
        while (m != null) {
            out.add(Events.read(m.getData(), RecordingReply.class));
            m = sub.nextMessage(Duration.ofSeconds(1));
        }
        sub.unsubscribe();
        return out;
    }

    String leaseHolder(String cam) throws Exception {
        var e = recorderUser.keyValue(Topology.RECORDER_LEASES_BUCKET).get(cam);
        return e == null || e.getValue() == null ? null
                : Events.read(e.getValue(), io.github.cctv.recorder.messaging.KvLeases.Lease.class).owner();
    }

    /** H.264 access units of every camera (the counter picture, a keyframe every 10 frames); null: JPEG cameras. */
    List<H264TestStream.AccessUnit> h264;

    void publish(int from, int to) throws Exception {
        for (String cam : CAMS) {
            if (h264 == null) {
                fixture.frames(cam, from, to, t0, 40);
            } else {
                for (int i = from; i < to; i++) {
                    fixture.h264(cam, h264.get(i), t0 + i * 33_333L, TestFrames.WIDTH, TestFrames.HEIGHT);
                }
            }
        }
    }

    long framesAcross(String cam) throws Exception {
        long sum = 0;
        for (Recorder r : recorders.values()) {
            if (r.process.isAlive()) {
                sum += r.frames(cam);
            }
        }
        return sum;
    }

    @Test
    void camerasAreSharedTakenOverOnAKillAndEveryFrameIsRecordedExactlyOnceAcrossTheDisks() throws Exception {
        shareKillAndReturn("mkv");
    }

    /**
     * The same with H.264 cameras (fragmented MP4), killed in the middle of a group of pictures: the taker starts on
     * the keyframe the dead recorder's file is cut back to before.
     */
    @Test
    void h264CamerasAreTakenOverOnTheKeyframeTheKilledRecordersFileIsCutBackTo() throws Exception {
        h264 = H264TestStream.units(TestFrames.WIDTH, TestFrames.HEIGHT, 10, 120);
        shareKillAndReturn("mp4");
    }

    /**
     * A recorder paused (SIGSTOP) for twice its lease, with frames fetched and not yet flushed, while the other takes
     * its cameras and resumes after their progress marks; woken (SIGCONT), it writes, marks and acknowledges nothing
     * more of them (its lease ran out by its own clock): across both disks every frame is in exactly one file.
     */
    @Test
    void aRecorderPausedLongerThanItsLeaseWritesNothingMoreOfTheCamerasTakenFromIt() throws Exception {
        pausedLongerThanTheLease();
    }

    /** The same with H.264 cameras (a keyframe every 10 frames): its files cut back to a keyframe, none skipped. */
    @Test
    void anH264RecorderPausedLongerThanItsLeaseWritesNothingMoreAndTheTakerSkipsNoFrame() throws Exception {
        h264 = H264TestStream.units(TestFrames.WIDTH, TestFrames.HEIGHT, 10, 120);
        pausedLongerThanTheLease();
        for (Recorder r : recorders.values()) {
            HttpResponse<String> m = http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + r.port + "/q/metrics")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(m.body().lines().filter(l -> l.startsWith("cctv_recorder_frames_skipped_total")).toList())
                    .as(r.id + " skipped no frame").hasSize(3).allMatch(l -> l.endsWith(" 0.0"));
        }
    }

    private void pausedLongerThanTheLease() throws Exception {
        Recorder a = recorders.get("rec-a");
        Recorder b = recorders.get("rec-b");
        a.start();
        b.start();
        await().atMost(Duration.ofSeconds(20)).until(() -> a.sees(IDS) && b.sees(IDS));
        for (String cam : CAMS) {
            assertThat(controlAll(cam, "start")).as("answers to start " + cam).singleElement()
                    .satisfies(r -> assertThat(r.result()).isEqualTo(RecordingReply.STARTED));
        }
        t0 = NatsFixture.nowUs();
        publish(0, 50);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            for (String cam : CAMS) {
                assertThat(framesAcross(cam)).as(cam).isEqualTo(50);
            }
        });
        List<String> ofB = CAMS.stream().filter(c -> Rendezvous.owner(c, IDS).equals("rec-b")).toList();

        publish(50, 80);
        signal(b, "STOP"); // frames fetched, not yet flushed (the flush interval is 300 ms)
        try {
            // rec-a takes rec-b's cameras once their leases ran out, resuming after rec-b's marks
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                for (String cam : ofB) {
                    assertThat(a.recordings(cam)).as(cam + " taken over by rec-a").isNotEmpty();
                }
            });
            publish(80, 100);
            Thread.sleep(6_000); // paused for twice the lease
        } finally {
            signal(b, "CONT");
        }
        // awake again: it takes its share back through the normal path, a handover
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            for (String cam : ofB) {
                assertThat(leaseHolder(cam)).as(cam + " recorded by rec-b again").isEqualTo("rec-b");
            }
        });
        publish(100, 120);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            for (String cam : CAMS) {
                assertThat(framesAcross(cam)).as(cam).isGreaterThanOrEqualTo(120);
            }
        });
        stopAndCheckEveryFrameOnce(null);
        assertThat(Files.readString(b.process.log())).as("rec-b saw its leases run out")
                .contains("ran out on this recorder's clock");
    }

    private static void signal(Recorder r, String signal) throws Exception {
        Process p = new ProcessBuilder("kill", "-" + signal, Long.toString(r.process.pid())).inheritIO().start();
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("kill -" + signal).isZero();
    }

    private void shareKillAndReturn(String ext) throws Exception {
        Recorder a = recorders.get("rec-a");
        Recorder b = recorders.get("rec-b");
        a.start();
        b.start();
        await().atMost(Duration.ofSeconds(20)).until(() -> a.sees(IDS) && b.sees(IDS));
        KeyValue members = recorderUser.keyValue(Topology.RECORDERS_BUCKET);
        RecorderMember entry = Events.read(members.get("rec-a").getValue(), RecorderMember.class);
        assertThat(entry.url()).isEqualTo("http://127.0.0.1:" + a.port);
        assertThat(entry.since()).isNotNull();

        for (String cam : CAMS) {
            assertThat(controlAll(cam, "start")).as("answers to start " + cam).singleElement()
                    .satisfies(r -> assertThat(r.result()).isEqualTo(RecordingReply.STARTED));
        }
        t0 = NatsFixture.nowUs();
        publish(0, 50);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            for (String cam : CAMS) {
                assertThat(framesAcross(cam)).as(cam).isEqualTo(50);
            }
        });
        for (String cam : CAMS) {
            Recorder owner = recorders.get(Rendezvous.owner(cam, IDS));
            Recorder other = owner == a ? b : a;
            assertThat(owner.frames(cam)).as(cam + " on its owner " + owner.id).isEqualTo(50);
            assertThat(other.recordings(cam)).as(cam + " not on " + other.id).isEmpty();
            assertThat(controlAll(cam, "status")).as("answers to the status of " + cam).singleElement()
                    .satisfies(r -> assertThat(r.recording()).isTrue());
        }
        List<String> ofB = CAMS.stream().filter(c -> Rendezvous.owner(c, IDS).equals("rec-b")).toList();
        assertThat(ofB).as("rec-b's share of these cameras").containsExactly("lobby", "roof");

        publish(50, 80);
        b.process.kill(); // SIGKILL with frames in flight
        // rec-a takes rec-b's cameras once their leases run out, and answers for them
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            for (String cam : ofB) {
                assertThat(a.recordings(cam)).as(cam + " taken over by rec-a").isNotEmpty();
            }
        });
        publish(80, 100);
        for (String cam : CAMS) {
            assertThat(controlAll(cam, "status")).as("answers to the status of " + cam + " with rec-b dead")
                    .singleElement().satisfies(r -> assertThat(r.recording()).isTrue());
        }

        b.start(); // back on its disk: it cuts its crashed segments back and takes its share again
        await().atMost(Duration.ofSeconds(20)).until(() -> a.sees(IDS) && b.sees(IDS));
        // while a camera is handed over nobody answers for it: ask again until its new owner does
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            for (String cam : ofB) {
                assertThat(controlAll(cam, "status", Duration.ofSeconds(2))).singleElement()
                        .satisfies(r -> assertThat(r.recording()).isTrue());
                assertThat(leaseHolder(cam)).as(cam + " recorded by rec-b again").isEqualTo("rec-b");
            }
        });
        publish(100, 120);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            for (String cam : CAMS) {
                assertThat(framesAcross(cam)).as(cam).isEqualTo(120);
            }
        });
        stopAndCheckEveryFrameOnce(ext);
        for (Recorder r : recorders.values()) {
            assertThat(Files.readString(r.process.log())).doesNotContain("Permissions Violation");
        }
        assertThat(nats.log()).as("NATS refused no one anything").doesNotContain("Violation");
    }

    /**
     * Stops every camera's recording, then reads back every recording of each camera on both disks: frames 0..119,
     * each once, in order. {@code ext}: the extension the files must have, with (for H.264) a clean decode starting
     * on a keyframe; null to check the frames alone.
     */
    private void stopAndCheckEveryFrameOnce(String ext) throws Exception {
        for (String cam : CAMS) {
            assertThat(controlAll(cam, "stop")).as("answers to stop " + cam).singleElement()
                    .satisfies(r -> assertThat(r.result()).isEqualTo(RecordingReply.STOPPED));
        }
        for (String cam : CAMS) {
            List<List<Integer>> segments = new ArrayList<>();
            for (Recorder r : recorders.values()) {
                for (JsonNode n : r.recordings(cam)) {
                    Path file = r.root.resolve(n.get("path").asText());
                    if (ext != null) {
                        assertThat(file.toString()).endsWith("." + ext);
                    }
                    if (ext != null && h264 != null) {
                        assertThat(MediaProbe.decodeErrors(file)).as(file + " decodes cleanly").isEmpty();
                        assertThat(MediaProbe.packets(file).get(0).key()).as(file + " starts on a keyframe").isTrue();
                    }
                    List<Integer> counters = TestFrames.counters(TestFrames.decode(file));
                    assertThat(counters).as(file + " holds frames").isNotEmpty();
                    segments.add(counters);
                }
            }
            segments.sort(Comparator.comparing(s -> s.get(0)));
            List<Integer> all = segments.stream().flatMap(List::stream).toList();
            assertThat(all).as(cam + ": every frame once, in order, across both disks")
                    .isEqualTo(IntStream.range(0, 120).boxed().toList());
        }
    }
}
