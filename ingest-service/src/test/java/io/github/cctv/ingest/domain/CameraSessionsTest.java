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
    final CameraSessions sessions = new CameraSessions(frames, events, registry,
            new IngestMetrics(new SimpleMeterRegistry()), clock, Duration.ofSeconds(1));

    static CameraInfo camera(String id) {
        return new CameraInfo(id, "Door " + id, Codec.JPEG, 1280, 720, 25.0, "10.0.0.5:5000");
    }

    @Test
    void openingPublishesConnectedAndTheOnlineStatus() throws Exception {
        sessions.open(camera("cam1"));

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
    void refusesASecondSessionOfAnOnlineCameraAndKeepsTheFirst() throws Exception {
        CameraSessions.CameraSession first = sessions.open(camera("cam1"));
        assertThatThrownBy(() -> sessions.open(camera("cam1"))).isInstanceOf(AlreadyOnlineException.class)
                .hasMessageContaining("cam1");
        assertThat(sessions.all()).containsExactly(first);
        assertThat(events.published).hasSize(1);
    }

    @Test
    void publishesEachFrameWithItsMetadataAndTheServersReceiveTime() throws Exception {
        CameraSessions.CameraSession s = sessions.open(camera("cam1"));
        clock.advance(Duration.ofMillis(40));
        s.frame(new Message.Frame(-1L, 1_000_000L, true, new byte[]{1, 2}));

        assertThat(frames.published).singleElement().satisfies(p -> {
            assertThat(p.cameraId()).isEqualTo("cam1");
            assertThat(p.frame()).isEqualTo(new FrameMetadata(-1L, 1_000_000L, EpochMicros.of(T0.plusMillis(40)),
                    "jpeg", 1280, 720, true));
            assertThat(p.data()).containsExactly(1, 2);
        });
        assertThat(s.frames()).isEqualTo(1);
    }

    @Test
    void updatesTheRegistryAtMostOncePerIntervalWithTheMeasuredRate() throws Exception {
        CameraSessions.CameraSession s = sessions.open(camera("cam1"));
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
        CameraSessions.CameraSession s = sessions.open(camera("cam1"));
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
        try (CameraSessions.CameraSession s = sessions.open(camera("cam1"))) {
            assertThat(s.camera().cameraId()).isEqualTo("cam1");
        }
        assertThat(((CameraEvent.CameraDisconnected) events.published.get(1)).reason())
                .isEqualTo(DisconnectReason.CONNECTION_LOST);
        sessions.open(camera("cam1"));
        assertThat(sessions.isOnline("cam1")).isTrue();
    }
}
