package io.github.cctv.ingest;

import io.github.cctv.protocol.Subjects;
import io.github.cctv.protocol.event.CameraEvent;
import io.github.cctv.protocol.event.CameraStatus;
import io.github.cctv.protocol.event.DisconnectReason;
import io.github.cctv.protocol.event.Events;
import io.github.cctv.protocol.wire.Message;
import io.github.cctv.protocol.wire.ReasonCode;
import io.github.cctv.testing.NatsTestServer;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Nats;
import io.nats.client.api.KeyValueEntry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Several packaged ingest processes on one NATS, each signed in as the NATS user {@code ingest}, as they run behind a
 * TCP load balancer: a camera id is online on one instance at a time, a killed instance's cameras are marked offline
 * once each by a survivor within about the lease and may connect to a survivor, and one instance's start-up leaves
 * the cameras of the others alone.
 */
class IngestClusterProcessIT {

    /** Short, so that the test waits little for a dead instance's lease to run out. */
    static final Duration LEASE = Duration.ofSeconds(3);
    /** What a lease may take beyond itself to be seen gone: NATS expiring it, a third of a lease until the next look. */
    static final Duration SLACK = Duration.ofSeconds(5);

    static NatsTestServer nats;
    static Connection probe;
    static Dispatcher dispatcher;

    @BeforeAll
    static void start() throws Exception {
        nats = NatsTestServer.startWithUsers();
        probe = Nats.connect(nats.optionsAs("dashboard").build());
        dispatcher = probe.createDispatcher();
    }

    @AfterAll
    static void stop() throws Exception {
        if (probe != null) {
            probe.close();
        }
        if (nats != null) {
            nats.close();
        }
    }

    private static IngestProcess ingest(String name, String instanceId) throws IOException {
        Map<String, String> env = new LinkedHashMap<>(nats.serviceEnvironment("ingest"));
        env.put("CCTV_INGEST_CAMERA_SECRET_FILE", IngestProcess.secretFile().toString());
        env.put("CCTV_INGEST_LEASE", LEASE.toMillis() + "ms");
        if (instanceId != null) {
            env.put("CCTV_INGEST_INSTANCE_ID", instanceId);
        }
        return IngestProcess.start(name, nats, "256m", env);
    }

    private static List<CameraEvent> events(String id) throws Exception {
        List<CameraEvent> out = new CopyOnWriteArrayList<>();
        dispatcher.subscribe(Subjects.events(id), m -> out.add(Events.eventFromJson(m.getData())));
        probe.flush(Duration.ofSeconds(2));
        return out;
    }

    private static CameraStatus status(String id) throws Exception {
        KeyValueEntry e = probe.keyValue(Subjects.CAMERAS_BUCKET).get(id);
        return e == null || e.getValue() == null ? null : Events.read(e.getValue(), CameraStatus.class);
    }

    private static List<CameraEvent.CameraDisconnected> disconnects(List<CameraEvent> events) {
        List<CameraEvent.CameraDisconnected> out = new ArrayList<>();
        for (CameraEvent e : events) {
            if (e instanceof CameraEvent.CameraDisconnected d) {
                out.add(d);
            }
        }
        return out;
    }

    /** A camera online with its token, sending heartbeats so that it stays online while idle. */
    private static TestCamera online(IngestProcess ingest, String id) throws Exception {
        TestCamera cam = TestCamera.online(ingest.cameraPort, id);
        cam.startHeartbeats(Duration.ofMillis(300));
        return cam;
    }

    /** Every answer to one forget request within a second (a request published by hand, so that all are seen). */
    private static List<String> forgetAnswers(String id) throws Exception {
        String inbox = probe.createInbox();
        io.nats.client.Subscription sub = probe.subscribe(inbox);
        probe.publish(Subjects.cameraControl(id), inbox, "{\"action\":\"forget\"}".getBytes(StandardCharsets.UTF_8));
        List<String> answers = new ArrayList<>();
        long end = System.nanoTime() + Duration.ofSeconds(1).toNanos();
        io.nats.client.Message m;
        while ((m = sub.nextMessage(Duration.ofNanos(Math.max(1, end - System.nanoTime())))) != null) {
            answers.add(new String(m.getData(), StandardCharsets.UTF_8));
        }
        sub.unsubscribe();
        return answers;
    }

    private static void assertNoPermissionViolation(IngestProcess... instances) throws IOException {
        assertThat(nats.log()).as("NATS server log").doesNotContain("Violation");
        for (IngestProcess i : instances) {
            assertThat(String.join("\n", i.logLines())).as("log of " + i.process.log()).doesNotContain("Permissions Violation");
        }
    }

    @Test
    void aCameraIdOnlineOnOneInstanceIsRefusedOnTheOtherEvenWithItsTokenAndForgetIsAnsweredOnce() throws Exception {
        try (IngestProcess a = ingest("ingest-cluster-a", "ingest-a");
             IngestProcess b = ingest("ingest-cluster-b", "ingest-b")) {
            a.awaitReady();
            b.awaitReady();
            List<CameraEvent> events = events("door");
            try (TestCamera onA = online(a, "door")) {
                await().atMost(Duration.ofSeconds(5)).until(() -> status("door") != null && status("door").online());
                assertThat(status("door").ingest()).isEqualTo("ingest-a");
                try (TestCamera onB = TestCamera.connect(b.cameraPort, "door")) {
                    Message m = onB.handshake(TestCamera.token("door"));
                    assertThat(m).isInstanceOf(Message.Reject.class);
                    assertThat(((Message.Reject) m).reason()).isEqualTo(ReasonCode.ALREADY_ONLINE);
                }
                assertThat(onA.disconnected()).isFalse();
                // one answer from the cluster, whichever instance gives it: the camera is online
                assertThat(forgetAnswers("door")).containsExactly("{\"error\":\"online\"}");
                onA.goodbye();
                await().atMost(Duration.ofSeconds(5)).until(onA::disconnected);
            }
            // a clean goodbye gives the id up at once: the other instance takes the camera well within a lease
            await().atMost(Duration.ofSeconds(5)).until(() -> !status("door").online());
            try (TestCamera onB = online(b, "door")) {
                await().atMost(Duration.ofSeconds(5)).until(() -> status("door").online()
                        && "ingest-b".equals(status("door").ingest()));
                onB.goodbye();
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> disconnects(events).size() == 2);
            assertThat(disconnects(events)).extracting(CameraEvent.CameraDisconnected::reason)
                    .containsExactly(DisconnectReason.GOODBYE, DisconnectReason.GOODBYE);
            await().atMost(Duration.ofSeconds(5)).until(() -> !status("door").online());
            // offline, and known to one instance only from the registry: one answer, which removes it
            assertThat(forgetAnswers("door")).containsExactly("{\"ok\":true}");
            await().atMost(Duration.ofSeconds(5)).until(() -> status("door") == null);
            assertThat(forgetAnswers("door")).containsExactly("{\"error\":\"unknown\"}");
            assertNoPermissionViolation(a, b);
        }
    }

    @Test
    void aKilledInstancesCamerasGoOfflineOnceAsIngestLostAndReconnectToTheSurvivor() throws Exception {
        try (IngestProcess doomed = ingest("ingest-cluster-doomed", "ingest-doomed");
             IngestProcess survivor = ingest("ingest-cluster-survivor", "ingest-survivor")) {
            doomed.awaitReady();
            survivor.awaitReady();
            List<CameraEvent> gate = events("gate");
            List<CameraEvent> yard = events("yard");
            List<CameraEvent> dock = events("dock");
            TestCamera gateCam = online(doomed, "gate");
            TestCamera yardCam = online(doomed, "yard");
            try (TestCamera dockCam = online(survivor, "dock")) {
                await().atMost(Duration.ofSeconds(5)).until(() -> status("gate") != null && status("gate").online()
                        && status("yard") != null && status("yard").online() && status("dock") != null && status("dock").online());

                doomed.process.kill();
                long killedAt = System.nanoTime();
                await().atMost(LEASE.plus(SLACK)).until(() -> disconnects(gate).size() == 1 && disconnects(yard).size() == 1);
                Duration took = Duration.ofNanos(System.nanoTime() - killedAt);
                for (List<CameraEvent> events : List.of(gate, yard)) {
                    assertThat(disconnects(events).get(0).reason()).isEqualTo(DisconnectReason.INGEST_LOST);
                    assertThat(disconnects(events).get(0).detail()).contains("ingest-doomed");
                }
                assertThat(status("gate").online()).isFalse();
                assertThat(status("gate").disconnectReason()).isEqualTo(DisconnectReason.INGEST_LOST);
                assertThat(status("yard").online()).isFalse();

                // the camera comes back through the load balancer to the survivor: accepted, its id is free
                try (TestCamera back = online(survivor, "gate")) {
                    await().atMost(Duration.ofSeconds(5)).until(() -> status("gate").online()
                            && "ingest-survivor".equals(status("gate").ingest()));
                    // a new instance starting (the killed one restarted) leaves the survivor's cameras alone
                    try (IngestProcess restarted = ingest("ingest-cluster-restarted", null)) {
                        restarted.awaitReady();
                        // a lease and more after the start: time for its sweep and look at the others
                        await().pollDelay(LEASE.plus(Duration.ofSeconds(1))).atMost(LEASE.plus(SLACK)).until(() -> true);
                        assertThat(status("dock").online()).isTrue();
                        assertThat(status("gate").online()).isTrue();
                        assertThat(disconnects(dock)).isEmpty();
                        assertNoPermissionViolation(survivor, restarted);
                    }
                    assertThat(dockCam.disconnected()).isFalse();
                    assertThat(back.disconnected()).isFalse();
                    back.goodbye();
                }
                // exactly one ingest-lost each, nothing more for yard; gate's second session ended with its goodbye
                assertThat(disconnects(yard)).hasSize(1);
                await().atMost(Duration.ofSeconds(5)).until(() -> disconnects(gate).size() == 2);
                assertThat(disconnects(gate).get(1).reason()).isEqualTo(DisconnectReason.GOODBYE);
                assertThat(took).isLessThan(LEASE.plus(SLACK));
                dockCam.goodbye();
            } finally {
                gateCam.close();
                yardCam.close();
            }
        }
    }

    @Test
    void aSingleInstanceRestartedAfterKillMarksItsOldCamerasOfflineOnce() throws Exception {
        List<CameraEvent> events = events("shed");
        try (IngestProcess first = ingest("ingest-cluster-first", null)) {
            first.awaitReady();
            TestCamera cam = online(first, "shed");
            await().atMost(Duration.ofSeconds(5)).until(() -> status("shed") != null && status("shed").online());
            first.process.kill();
            cam.close();
        }
        try (IngestProcess second = ingest("ingest-cluster-second", null)) {
            second.awaitReady();
            await().atMost(LEASE.plus(SLACK).plus(Duration.ofSeconds(2))).until(() -> !status("shed").online());
            await().atMost(Duration.ofSeconds(2)).until(() -> disconnects(events).size() == 1);
            assertThat(disconnects(events).get(0).reason()).isEqualTo(DisconnectReason.INGEST_LOST);
            // the camera is back on the restarted instance
            try (TestCamera back = online(second, "shed")) {
                await().atMost(Duration.ofSeconds(5)).until(() -> status("shed").online());
                back.goodbye();
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> disconnects(events).size() == 2);
            assertThat(disconnects(events).get(1).reason()).isEqualTo(DisconnectReason.GOODBYE);
            assertNoPermissionViolation(second);
        }
    }
}
