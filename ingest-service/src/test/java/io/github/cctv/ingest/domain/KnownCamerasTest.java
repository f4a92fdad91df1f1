package io.github.cctv.ingest.domain;

import io.github.cctv.ingest.health.IngestMetrics;
import io.github.cctv.protocol.event.CameraStatus;
import io.github.cctv.protocol.event.DisconnectReason;
import io.github.cctv.testing.MutableClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class KnownCamerasTest {

    static final Instant T0 = Instant.parse("2026-11-25T12:00:00Z");

    final MutableClock clock = new MutableClock(T0);
    final Fakes.Registry store = new Fakes.Registry();
    final IngestMetrics metrics = new IngestMetrics(new SimpleMeterRegistry());
    final KnownCameras known = new KnownCameras(store, 3, Duration.ofDays(7), clock, metrics);

    static CameraStatus status(String id, boolean online, Instant lastSeen) {
        return new CameraStatus(id, id, online, "jpeg", 640, 480, 0, T0, null, lastSeen, "peer", 0,
                online ? null : DisconnectReason.GOODBYE);
    }

    @Test
    void neverHoldsMoreCamerasThanItsBoundAndMakesRoomFromTheOneOfflineLongest() {
        for (String id : new String[]{"a", "b", "c"}) {
            assertThat(known.admit(id)).isTrue();
            known.update(status(id, false, clock.instant()));
            clock.advance(Duration.ofMinutes(1));
        }
        known.update(status("a", false, clock.instant())); // a seen again: b is now the oldest
        clock.advance(Duration.ofSeconds(1));
        for (int i = 0; i < 100; i++) {
            assertThat(known.admit("fake-" + i)).isTrue();
            known.update(status("fake-" + i, false, clock.instant()));
            clock.advance(Duration.ofSeconds(1));
            assertThat(known.size()).isLessThanOrEqualTo(3);
        }
        assertThat(store.removed).startsWith("b", "c", "a", "fake-0");
        assertThat(metrics.registryRemovedCount("full")).isEqualTo(100);
    }

    @Test
    void admitsNoNewCameraWhileEveryEntryIsOnline() {
        for (String id : new String[]{"a", "b", "c"}) {
            known.admit(id);
            known.update(status(id, true, T0));
        }
        assertThat(known.admit("d")).isFalse();
        assertThat(known.admit("a")).as("a known camera always").isTrue();
        assertThat(store.removed).isEmpty();
    }

    @Test
    void removesCamerasOfflineLongerThanTheExpiryAndKeepsOnlineOnes() {
        known.update(status("gone", false, T0));
        known.update(status("live", true, T0));
        known.found("old", false, T0.minus(Duration.ofDays(30)));
        clock.advance(Duration.ofDays(6));
        assertThat(known.expire()).containsExactly("old");
        clock.advance(Duration.ofDays(2));
        assertThat(known.expire()).containsExactly("gone");
        assertThat(store.removed).containsExactly("old", "gone");
        assertThat(known.size()).isEqualTo(1);
    }

    @Test
    void entriesFoundAtStartUpBeyondTheBoundAreRemovedOldestFirst() {
        for (int i = 0; i < 5; i++) {
            known.found("cam" + i, false, T0.plusSeconds(i));
        }
        assertThat(known.size()).isEqualTo(3);
        assertThat(store.removed).containsExactly("cam0", "cam1");
    }

    @Test
    void forgetsAnOfflineCameraButNeverAnOnlineOneOrOneBeingAdmitted() {
        assertThat(known.admit("door")).isTrue();
        // admitted, first status not yet written: a session is on its way
        assertThat(known.forget("door")).isEqualTo(KnownCameras.Forgotten.ONLINE);
        known.update(status("door", true, clock.instant()));
        assertThat(known.forget("door")).isEqualTo(KnownCameras.Forgotten.ONLINE);
        assertThat(store.removed).isEmpty();

        known.update(status("door", false, clock.instant()));
        assertThat(known.forget("door")).isEqualTo(KnownCameras.Forgotten.REMOVED);
        assertThat(store.removed).containsExactly("door");
        assertThat(known.size()).isZero();
        assertThat(metrics.registryRemovedCount("forgotten")).isEqualTo(1.0);

        assertThat(known.forget("door")).isEqualTo(KnownCameras.Forgotten.UNKNOWN);
        assertThat(known.forget("never")).isEqualTo(KnownCameras.Forgotten.UNKNOWN);
        assertThat(store.removed).containsExactly("door");
    }

    @Test
    void forgetsAnEntryFoundAtStartUp() {
        known.found("old", false, T0.minus(Duration.ofDays(1)));
        assertThat(known.forget("old")).isEqualTo(KnownCameras.Forgotten.REMOVED);
        assertThat(store.removed).containsExactly("old");
    }
}
