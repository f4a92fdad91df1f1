package io.github.cctv.ingest;

import io.github.cctv.protocol.Subjects;
import io.github.cctv.protocol.event.CameraEvent;
import io.github.cctv.protocol.event.CameraStatus;
import io.github.cctv.protocol.event.DisconnectReason;
import io.github.cctv.protocol.event.Events;
import io.github.cctv.protocol.wire.Message;
import io.github.cctv.protocol.wire.ReasonCode;
import io.github.cctv.testing.NatsServerResource;
import io.nats.client.KeyValue;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The claims of camera ids in {@code cctv-ingest-claims} against the real service and NATS, the other ingest
 * instances played by the test writing the bucket as they would (the test profile's lease is 3 s, its instance id
 * {@code ingest-test}).
 */
@QuarkusTest
@QuarkusTestResource(value = NatsServerResource.class, restrictToAnnotatedClass = false)
class CameraClaimIT extends IngestTestSupport {

    private KeyValue claims() throws Exception {
        return probe.connection.keyValue(Subjects.CLAIMS_BUCKET);
    }

    /**
     * The registry shows camera {@code id} online on ingest instance {@code instance}, connected {@code secondsAgo}
     * ago with {@code frames} frames, as that instance writes it.
     */
    private void onlineElsewhere(String id, String name, long frames, String instance, long secondsAgo) throws Exception {
        Instant t = Instant.now().minusSeconds(secondsAgo);
        probe.connection.keyValue(Subjects.CAMERAS_BUCKET).put(id, Events.write(new CameraStatus(id, name, true,
                "jpeg", 640, 480, 10, t, t, t, "10.0.0.9:4000", frames, null, null, false, null, instance)));
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aCameraIdClaimedByAnotherLiveInstanceIsRefusedEvenWithItsToken() throws Exception {
        String id = newId("elsewhere");
        List<CameraEvent> events = probe.events(id);
        claims().put("ingest.other-live", utf8("other-live"));
        claims().create(id, utf8("other-live"));
        try (TestCamera cam = TestCamera.connect(port(), id)) {
            Message m = cam.handshake(TestCamera.token(id));
            assertThat(m).isInstanceOf(Message.Reject.class);
            assertThat(((Message.Reject) m).reason()).isEqualTo(ReasonCode.ALREADY_ONLINE);
            assertThat(((Message.Reject) m).message()).contains("another ingest instance");
        }
        assertThat(claims().get(id).getValueAsString()).isEqualTo("other-live");
        assertThat(events).isEmpty();
    }

    @Test
    void aDeadInstancesClaimIsTakenAndItsCameraGetsItsIngestLostBeforeConnected() throws Exception {
        String id = newId("ghosted");
        List<CameraEvent> events = probe.events(id);
        // left by an instance that died: online in the registry, its claim still there, its heartbeat gone
        onlineElsewhere(id, "Ghosted", 50, "ghost", 5);
        claims().create(id, utf8("ghost"));
        try (TestCamera cam = TestCamera.online(port(), id)) {
            cam.frame(1, System.currentTimeMillis() * 1000, image(1, 400));
            await().atMost(Duration.ofSeconds(5)).until(() -> events.size() >= 2);
            assertThat(events.get(0)).isInstanceOfSatisfying(CameraEvent.CameraDisconnected.class, d -> {
                assertThat(d.reason()).isEqualTo(DisconnectReason.INGEST_LOST);
                assertThat(d.detail()).contains("ghost");
                assertThat(d.frames()).isEqualTo(50);
            });
            assertThat(events.get(1)).isInstanceOf(CameraEvent.CameraConnected.class);
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> probe.status(id).online() && "ingest-test".equals(probe.status(id).ingest()));
            assertThat(probe.status(id).ingest()).isEqualTo("ingest-test");
            assertThat(claims().get(id).getValueAsString()).isEqualTo("ingest-test");
            cam.goodbye();
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> NatsProbe.disconnects(events) == 2);
        // its session gone, the claim is given up at once
        await().atMost(Duration.ofSeconds(2)).until(() -> claims().get(id) == null);
    }

    @Test
    void aCameraBackBeforeItsDeadInstancesHeartbeatRanOutGetsItsOldSessionsIngestLostFirstAndOnce() throws Exception {
        String id = newId("early");
        List<CameraEvent> events = probe.events(id);
        // an instance killed right after it wrote its heartbeat, before it renewed its claims: the claim has run out,
        // the heartbeat has not yet, the registry still shows the camera online there
        onlineElsewhere(id, "Early", 70, "killed", 5);
        claims().put("ingest.killed", utf8("killed"));
        try (TestCamera cam = TestCamera.online(port(), id)) {
            cam.startHeartbeats(Duration.ofMillis(200));
            await().atMost(Duration.ofSeconds(5)).until(() -> events.size() >= 2);
            assertThat(events.get(0)).isInstanceOfSatisfying(CameraEvent.CameraDisconnected.class, d -> {
                assertThat(d.reason()).isEqualTo(DisconnectReason.INGEST_LOST);
                assertThat(d.detail()).contains("killed");
                assertThat(d.frames()).isEqualTo(70);
            });
            assertThat(events.get(1)).isInstanceOf(CameraEvent.CameraConnected.class);
            // the heartbeat runs out (3 s) and the sweep looks at the registry: the session is not announced again
            await().atMost(Duration.ofSeconds(10)).until(() -> claims().get("ingest.killed") == null);
            await().pollDelay(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3)).until(() -> true);
            assertThat(NatsProbe.disconnects(events)).isEqualTo(1);
            assertThat(probe.status(id).online()).isTrue();
            cam.stopHeartbeats();
            cam.goodbye();
        }
    }

    @Test
    void aClaimItsInstanceGaveUpIsTakenWithoutAnnouncingThatInstancesSession() throws Exception {
        String id = newId("moved");
        List<CameraEvent> events = probe.events(id);
        // a live instance ended the session and gave the claim up; its offline entry is still on its way
        onlineElsewhere(id, "Moved", 30, "other-alive", 5);
        claims().put("ingest.other-alive", utf8("other-alive"));
        claims().create(id, utf8("other-alive"));
        claims().delete(id);
        try (TestCamera cam = TestCamera.online(port(), id)) {
            cam.startHeartbeats(Duration.ofMillis(200));
            await().atMost(Duration.ofSeconds(5)).until(() -> !events.isEmpty());
            await().pollDelay(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(2)).until(() -> true);
            // that instance announces its own session's end: nothing of it from here
            assertThat(events).singleElement().isInstanceOf(CameraEvent.CameraConnected.class);
            cam.stopHeartbeats();
            cam.goodbye();
        }
    }

    @Test
    void aSessionWhoseClaimAnotherInstanceTookEndsAsReplacedWithinALease() throws Exception {
        String id = newId("usurped");
        List<CameraEvent> events = probe.events(id);
        try (TestCamera cam = TestCamera.online(port(), id)) {
            cam.startHeartbeats(Duration.ofMillis(200));
            await().atMost(Duration.ofSeconds(2)).until(() -> claims().get(id) != null);
            assertThat(claims().get(id).getValueAsString()).isEqualTo("ingest-test");
            // online in the registry, as it is long before its claim can run out (a lease after its last renewal)
            await().atMost(Duration.ofSeconds(5)).until(() -> probe.status(id) != null && probe.status(id).online());
            // the claim ran out (as if NATS had been away for a lease) and another instance took the id
            claims().delete(id);
            claims().create(id, utf8("usurper"));
            Message m = cam.next(Duration.ofSeconds(5));
            assertThat(m).isInstanceOf(Message.Reject.class);
            assertThat(((Message.Reject) m).reason()).isEqualTo(ReasonCode.ALREADY_ONLINE);
            assertThat(((Message.Reject) m).message()).contains("usurper");
            cam.stopHeartbeats();
        }
        await().atMost(Duration.ofSeconds(2)).until(() -> NatsProbe.disconnects(events) == 1);
        assertThat(events.get(1)).isInstanceOfSatisfying(CameraEvent.CameraDisconnected.class,
                d -> assertThat(d.reason()).isEqualTo(DisconnectReason.REPLACED));
        // the usurper's claim stays
        assertThat(claims().get(id).getValueAsString()).isEqualTo("usurper");
    }

    /**
     * The claims bucket away for every instance at once (a NATS node's loss; here deleted): when it is back, another
     * live instance's heartbeat is missing only because nobody could write it. Its cameras are not marked offline
     * while this instance has not reached the bucket for a whole lease, by when the other has written it again.
     */
    @Test
    void anotherInstancesHeartbeatMissingRightAfterTheBucketWasAwayMarksNoneOfItsCamerasOffline() throws Exception {
        String id = newId("calm");
        List<CameraEvent> events = probe.events(id);
        onlineElsewhere(id, "Calm", 50, "other-calm", 0);
        java.util.concurrent.atomic.AtomicBoolean otherWrites = new java.util.concurrent.atomic.AtomicBoolean(true);
        java.util.concurrent.ScheduledExecutorService other =
                java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
        try {
            // the other instance, alive: its heartbeat and its camera's claim renewed well within the 3 s lease
            other.scheduleWithFixedDelay(() -> {
                if (otherWrites.get()) {
                    try {
                        claims().put("ingest.other-calm", utf8("other-calm"));
                        claims().put(id, utf8("other-calm"));
                    } catch (Exception e) {
                        // the bucket away: as for any instance, the next round writes again
                    }
                }
            }, 0, 500, java.util.concurrent.TimeUnit.MILLISECONDS);
            Thread.sleep(2_500); // this instance has looked at the instances with the other one live

            otherWrites.set(false);
            probe.connection.keyValueManagement().delete(Subjects.CLAIMS_BUCKET);
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).ignoreExceptions()
                    .until(() -> claims().get("ingest.ingest-test") != null);
            Thread.sleep(1_200); // a round of this instance's with the other's heartbeat missing
            otherWrites.set(true);

            Thread.sleep(7_000); // two leases
            assertThat(events).as("events of the other instance's camera").isEmpty();
            assertThat(probe.status(id).online()).as("%s online", id).isTrue();
            assertThat(probe.status(id).ingest()).isEqualTo("other-calm");
        } finally {
            other.shutdownNow();
            claims().delete(id);
            claims().delete("ingest.other-calm");
        }
    }
}
