package io.github.cctv.ingest.domain;

import io.github.cctv.ingest.health.IngestMetrics;
import io.github.cctv.protocol.EpochMicros;
import io.github.cctv.protocol.FrameMetadata;
import io.github.cctv.protocol.event.CameraEvent;
import io.github.cctv.protocol.event.CameraStatus;
import io.github.cctv.protocol.event.DisconnectReason;
import io.github.cctv.protocol.wire.Codec;
import io.github.cctv.protocol.wire.Message;
import io.github.cctv.testing.MutableClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CameraSessionsTest {

    static final Instant T0 = Instant.parse("2026-11-25T12:00:00Z");

    final Fakes.Frames frames = new Fakes.Frames();
    final Fakes.Events events = new Fakes.Events();
    final Fakes.Registry registry = new Fakes.Registry();
    final MutableClock clock = new MutableClock(T0);
    final IngestMetrics metrics = new IngestMetrics(new SimpleMeterRegistry());
    final KnownCameras known = new KnownCameras(registry, 100, Duration.ofDays(7), clock, metrics);
    final CameraSessions sessions = new CameraSessions(frames, events, known, metrics, clock, Duration.ofSeconds(1),
            Duration.ofSeconds(3));
    final List<String> replaced = new ArrayList<>();

    CameraSessions.CameraSession open(String id, boolean authenticated) throws Exception {
        return sessions.open(camera(id), authenticated, replaced::add);
    }

    static CameraInfo camera(String id) {
        return new CameraInfo(id, "Door " + id, Codec.JPEG, 1280, 720, 25.0, "10.0.0.5:5000");
    }

    @Test
    void openingPublishesConnectedAndTheOnlineStatus() throws Exception {
        open("cam1", true);

        assertThat(events.published).singleElement().isInstanceOfSatisfying(CameraEvent.CameraConnected.class, e -> {
            assertThat(e.cameraId()).isEqualTo("cam1");
            assertThat(e.time()).isEqualTo(T0);
            assertThat(e.name()).isEqualTo("Door cam1");
            assertThat(e.codec()).isEqualTo("jpeg");
            assertThat(e.peer()).isEqualTo("10.0.0.5:5000");
        });
        CameraStatus s = registry.last();
        assertThat(s.online()).isTrue();
        assertThat(s.connectedSince()).isEqualTo(T0);
        assertThat(s.frames()).isZero();
        assertThat(sessions.isOnline("cam1")).isTrue();
    }

    @Test
    void substreamFramesArePublishedApartWithTheSubstreamsCodecAndSizeAndLeaveTheMainCountsAlone() throws Exception {
        CameraInfo cam = new CameraInfo("cam2", "Yard", Codec.H264, 1280, 720, 30.0, "10.0.0.5:5000",
                new io.github.cctv.protocol.wire.Message.Substream(Codec.JPEG, 320, 180, 5_000));
        CameraSessions.CameraSession s = sessions.open(cam, true, replaced::add);
        assertThat(registry.last().substream())
                .isEqualTo(new CameraStatus.Substream("jpeg", 320, 180, 5.0));
        long t = T0.toEpochMilli() * 1000;
        s.frame(new io.github.cctv.protocol.wire.Message.Frame(1, t, true, new byte[]{0, 0, 1, 0x65}));
        // a JPEG substream frame is a key frame whatever its flag says
        s.frame(new io.github.cctv.protocol.wire.Message.Frame(9, t, false, new byte[]{(byte) 0xff, (byte) 0xd8}, true));
        assertThat(frames.published).singleElement().satisfies(p -> {
            assertThat(p.frame().codec()).isEqualTo("h264");
            assertThat(p.frame().width()).isEqualTo(1280);
        });
        assertThat(frames.substream).singleElement().satisfies(p -> {
            assertThat(p.cameraId()).isEqualTo("cam2");
            assertThat(p.frame().seq()).isEqualTo(9);
            assertThat(p.frame().codec()).isEqualTo("jpeg");
            assertThat(p.frame().width()).isEqualTo(320);
            assertThat(p.frame().height()).isEqualTo(180);
            assertThat(p.frame().keyFrame()).isTrue();
        });
        assertThat(s.frames()).isEqualTo(1);
        assertThat(s.substreamFrames()).isEqualTo(1);
        s.close(DisconnectReason.GOODBYE, "");
        assertThat(registry.last().substream()).as("the offline entry still says what the camera sends").isNotNull();
        // a camera without one has none in its entry
        open("cam3", true);
        assertThat(registry.last().substream()).isNull();
    }

    @Test
    void refusesASecondUnauthenticatedSessionOfAnOnlineCameraAndKeepsTheFirst() throws Exception {
        CameraSessions.CameraSession first = open("cam1", false);
        assertThatThrownBy(() -> open("cam1", false)).isInstanceOf(AlreadyOnlineException.class)
                .hasMessageContaining("cam1");
        assertThat(sessions.all()).containsExactly(first);
        assertThat(events.published).hasSize(1);
        assertThat(replaced).isEmpty();
    }

    @Test
    void anAuthenticatedSessionTakesTheIdOverAndTheOldOneEndsOnceAsReplaced() throws Exception {
        CameraSessions.CameraSession first = open("cam1", false);
        clock.advance(Duration.ofSeconds(1));
        CameraSessions.CameraSession second = open("cam1", true);

        assertThat(first.isClosed()).isTrue();
        assertThat(sessions.all()).containsExactly(second);
        assertThat(replaced).singleElement().asString().contains("10.0.0.5:5000");
        assertThat(events.published).hasSize(3);
        assertThat(events.published.get(0)).isInstanceOf(CameraEvent.CameraConnected.class);
        assertThat(events.published.get(1)).isInstanceOfSatisfying(CameraEvent.CameraDisconnected.class,
                d -> assertThat(d.reason()).isEqualTo(DisconnectReason.REPLACED));
        assertThat(events.published.get(2)).isInstanceOf(CameraEvent.CameraConnected.class);
        first.close(DisconnectReason.CONNECTION_LOST, "");
        assertThat(events.published).as("the replaced session's connection closing adds nothing").hasSize(3);
        assertThat(registry.last().online()).isTrue();
    }

    @Test
    void reportsACameraClockOffByMoreThanTheBoundOnceAndAgainWhenItComesBack() throws Exception {
        CameraSessions.CameraSession s = open("cam1", true);
        long fortyDaysUs = 40L * 24 * 3600 * 1_000_000;
        for (int i = 0; i < 50; i++) {
            clock.advance(Duration.ofMillis(40));
            s.frame(new Message.Frame(i, EpochMicros.now(clock) - fortyDaysUs, true, new byte[]{0}));
        }
        List<CameraEvent.ClockSkewed> skewed = events.published.stream().filter(e -> e instanceof CameraEvent.ClockSkewed)
                .map(e -> (CameraEvent.ClockSkewed) e).toList();
        assertThat(skewed).singleElement().satisfies(e -> {
            assertThat(e.offsetMs()).isEqualTo(-40L * 24 * 3600 * 1000);
            assertThat(e.boundMs()).isEqualTo(3000);
        });
        assertThat(registry.last().clockOffsetMs()).isEqualTo(-40L * 24 * 3600 * 1000);
        assertThat(registry.last().clockSkewed()).isTrue();
        assertThat(frames.published).allSatisfy(p -> assertThat(p.frame().implausibleCapture()).isFalse());

        for (int i = 50; i < 150; i++) {
            clock.advance(Duration.ofMillis(40));
            s.frame(new Message.Frame(i, EpochMicros.now(clock) - 20_000, true, new byte[]{0}));
        }
        assertThat(events.published).filteredOn(e -> e instanceof CameraEvent.ClockCorrected).singleElement()
                .satisfies(e -> assertThat(((CameraEvent.ClockCorrected) e).offsetMs()).isEqualTo(-20));
        assertThat(registry.last().clockSkewed()).isFalse();
        assertThat(registry.last().clockOffsetMs()).isEqualTo(-20);
    }

    @Test
    void passesImpossibleCaptureTimesThroughFlagged() throws Exception {
        CameraSessions.CameraSession s = open("cam1", true);
        s.frame(new Message.Frame(1, -1, true, new byte[]{0}));
        s.frame(new Message.Frame(2, EpochMicros.now(clock) + 2L * 24 * 3600 * 1_000_000, true, new byte[]{0}));
        s.frame(new Message.Frame(3, EpochMicros.now(clock) - 1_000, true, new byte[]{0}));
        assertThat(frames.published).extracting(p -> p.frame().implausibleCapture()).containsExactly(true, true, false);
        assertThat(frames.published.get(0).frame().captureUs()).isEqualTo(-1);
    }

    @Test
    void refusesANewCameraWhenTheRegistryIsFullOfOnlineCamerasAndMakesRoomFromTheOfflineOnes() throws Exception {
        KnownCameras two = new KnownCameras(registry, 2, Duration.ofDays(7), clock, metrics);
        CameraSessions small = new CameraSessions(frames, events, two, metrics, clock, Duration.ofSeconds(1), Duration.ofSeconds(3));
        CameraSessions.CameraSession a = small.open(camera("a"), true, replaced::add);
        small.open(camera("b"), true, replaced::add);
        assertThatThrownBy(() -> small.open(camera("c"), true, replaced::add)).isInstanceOf(RegistryFullException.class);
        a.close(DisconnectReason.GOODBYE, "");
        small.open(camera("c"), true, replaced::add);
        assertThat(registry.removed).containsExactly("a");
        assertThat(two.size()).isEqualTo(2);
    }

    @Test
    void publishesEachFrameWithItsMetadataAndTheServersReceiveTime() throws Exception {
        CameraSessions.CameraSession s = open("cam1", true);
        clock.advance(Duration.ofMillis(40));
        // a capture time in 1970 is published as sent, flagged; the key flag of a JPEG is always set
        s.frame(new Message.Frame(-1L, 1_000_000L, false, new byte[]{1, 2}));

        assertThat(frames.published).singleElement().satisfies(p -> {
            assertThat(p.cameraId()).isEqualTo("cam1");
            assertThat(p.frame()).isEqualTo(new FrameMetadata(-1L, 1_000_000L, EpochMicros.of(T0.plusMillis(40)),
                    "jpeg", 1280, 720, true, true));
            assertThat(p.data()).containsExactly(1, 2);
        });
        assertThat(s.frames()).isEqualTo(1);
    }

    @Test
    void updatesTheRegistryAtMostOncePerIntervalWithTheMeasuredRate() throws Exception {
        CameraSessions.CameraSession s = open("cam1", true);
        int updatesAtOpen = registry.updates.size();
        for (int i = 0; i < 50; i++) { // 2 s at 25 fps
            clock.advance(Duration.ofMillis(40));
            s.frame(new Message.Frame(i, i, true, new byte[]{0}));
        }
        List<CameraStatus> streaming = registry.updates.subList(updatesAtOpen, registry.updates.size());
        assertThat(streaming).hasSize(2);
        assertThat(streaming.get(1).fps()).isEqualTo(25.0);
        assertThat(streaming.get(1).frames()).isEqualTo(50);
        assertThat(streaming.get(1).lastFrameAt()).isEqualTo(T0.plusMillis(2000));
    }

    @Test
    void closingPublishesExactlyOneDisconnectedWhoeverClosesFirst() throws Exception {
        CameraSessions.CameraSession s = open("cam1", true);
        s.frame(new Message.Frame(1, 1, true, new byte[]{0}));
        int threads = 8;
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> closers = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            DisconnectReason reason = i % 2 == 0 ? DisconnectReason.GOODBYE : DisconnectReason.HEARTBEAT_TIMEOUT;
            Thread t = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                s.close(reason, "");
            });
            t.start();
            closers.add(t);
        }
        go.countDown();
        for (Thread t : closers) {
            t.join();
        }
        s.close();

        List<CameraEvent.CameraDisconnected> disconnects = events.published.stream()
                .filter(e -> e instanceof CameraEvent.CameraDisconnected).map(e -> (CameraEvent.CameraDisconnected) e).toList();
        assertThat(disconnects).hasSize(1);
        assertThat(disconnects.get(0).frames()).isEqualTo(1);
        CameraStatus offline = registry.last();
        assertThat(offline.online()).isFalse();
        assertThat(offline.fps()).isZero();
        assertThat(offline.disconnectReason()).isEqualTo(disconnects.get(0).reason());
        assertThat(sessions.isOnline("cam1")).isFalse();
        assertThat(s.isClosed()).isTrue();
    }

    @Test
    void aSessionClosedWithoutAReasonLostItsConnectionAndFreesTheId() throws Exception {
        try (CameraSessions.CameraSession s = open("cam1", true)) {
            assertThat(s.camera().cameraId()).isEqualTo("cam1");
        }
        assertThat(((CameraEvent.CameraDisconnected) events.published.get(1)).reason())
                .isEqualTo(DisconnectReason.CONNECTION_LOST);
        open("cam1", true);
        assertThat(sessions.isOnline("cam1")).isTrue();
    }
}
