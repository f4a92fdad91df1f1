package io.github.cctv.ingest.domain;

import io.github.cctv.protocol.event.CameraStatus;
import io.github.cctv.protocol.event.DisconnectReason;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class StaleCamerasTest {

    static final Instant CONNECTED = Instant.parse("2026-11-25T10:00:00Z");
    static final Instant LAST_FRAME = Instant.parse("2026-11-25T11:00:00Z");
    static final Instant LAST_SEEN = Instant.parse("2026-11-25T11:00:01Z");
    static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");

    static CameraStatus left(boolean online, Instant lastFrameAt) {
        return new CameraStatus("cam1", "Door", online, "jpeg", 640, 480, 25, CONNECTED, lastFrameAt, LAST_SEEN,
                "10.0.0.5:5000", 1234, null);
    }

    @Test
    void aCameraLeftOnlineGoesOfflineAtItsLastFrameWithTheDisconnectItNeverHad() {
        StaleCameras.Correction c = StaleCameras.correct("cam1", left(true, LAST_FRAME), false, NOW).orElseThrow();
        assertThat(c.offline().online()).isFalse();
        assertThat(c.offline().fps()).isZero();
        assertThat(c.offline().lastSeen()).isEqualTo(LAST_FRAME);
        assertThat(c.offline().frames()).isEqualTo(1234);
        assertThat(c.offline().disconnectReason()).isEqualTo(DisconnectReason.CONNECTION_LOST);
        assertThat(c.event().cameraId()).isEqualTo("cam1");
        assertThat(c.event().time()).isEqualTo(NOW);
        assertThat(c.event().reason()).isEqualTo(DisconnectReason.CONNECTION_LOST);
        assertThat(c.event().detail()).isEqualTo("ingest restarted");
        assertThat(c.event().frames()).isEqualTo(1234);
    }

    @Test
    void aCameraThatNeverSentAFrameWasLastSeenWhenItsEntryWasWritten() {
        assertThat(StaleCameras.correct("cam1", left(true, null), false, NOW).orElseThrow().offline().lastSeen())
                .isEqualTo(LAST_SEEN);
    }

    @Test
    void leavesOfflineCamerasAndCamerasConnectedHereAlone() {
        assertThat(StaleCameras.correct("cam1", left(false, LAST_FRAME), false, NOW)).isEmpty();
        assertThat(StaleCameras.correct("cam1", left(true, LAST_FRAME), true, NOW)).isEmpty();
    }

    static CameraStatus leftOn(String ingest, boolean online) {
        return new CameraStatus("cam1", "Door", online, "jpeg", 640, 480, 25, CONNECTED, LAST_FRAME, LAST_SEEN,
                "10.0.0.5:5000", 1234, null, 40L, false, null, ingest);
    }

    @Test
    void aCameraOfAGoneInstanceGoesOfflineAsIngestLostNamingTheInstanceAndKeepsItsOwner() {
        StaleCameras.Correction c = StaleCameras.lost("cam1", leftOn("ingest-a", true), NOW).orElseThrow();
        assertThat(c.offline().online()).isFalse();
        assertThat(c.offline().fps()).isZero();
        assertThat(c.offline().lastSeen()).isEqualTo(LAST_FRAME);
        assertThat(c.offline().disconnectReason()).isEqualTo(DisconnectReason.INGEST_LOST);
        assertThat(c.offline().ingest()).isEqualTo("ingest-a");
        assertThat(c.offline().clockOffsetMs()).isEqualTo(40L);
        assertThat(c.event().reason()).isEqualTo(DisconnectReason.INGEST_LOST);
        assertThat(c.event().detail()).contains("ingest-a");
        assertThat(c.event().time()).isEqualTo(NOW);
        assertThat(c.event().frames()).isEqualTo(1234);
    }

    @Test
    void aCameraOfAGoneInstanceAlreadyOfflineIsLeftAlone() {
        assertThat(StaleCameras.lost("cam1", leftOn("ingest-a", false), NOW)).isEmpty();
    }
}
