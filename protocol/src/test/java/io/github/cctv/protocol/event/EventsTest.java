package io.github.cctv.protocol.event;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EventsTest {

    private static final Instant T = Instant.parse("2026-11-25T12:00:00.123Z");

    @Test
    void writesTypeSchemaAndIsoTime() {
        byte[] json = Events.toJson(new CameraEvent.CameraDisconnected("cam1", T, DisconnectReason.HEARTBEAT_TIMEOUT, "silent 3 s", 42));
        String s = new String(json, StandardCharsets.UTF_8);
        assertThat(s).contains("\"type\":\"disconnected\"", "\"schema\":1", "\"time\":\"2026-11-25T12:00:00.123Z\"",
                "\"reason\":\"heartbeat-timeout\"", "\"cameraId\":\"cam1\"");
    }

    @Test
    void everyEventRoundTrips() {
        CameraEvent[] events = {
                new CameraEvent.CameraConnected("cam1", T, "Front door", "jpeg", 1280, 720, 30.0, "127.0.0.1:5555"),
                new CameraEvent.CameraDisconnected("cam1", T, DisconnectReason.GOODBYE, "", 300),
                new CameraEvent.RecordingStarted("cam1", T, 5),
                new CameraEvent.RecordingStopped("cam1", T, "operator"),
                new CameraEvent.SegmentCompleted("cam1", T, "cam1/2026-11-25/cam1_2026-11-25_12-00-00.mkv",
                        "cam1/2026-11-25/cam1_2026-11-25_12-00-00.mkv", T, T.plusSeconds(600), 18000, 123456789),
                new CameraEvent.RecordingDeleted("cam1", T, "r", "p", "max-age"),
                new CameraEvent.RecordingFailed("cam1", T, "disk full"),
                new CameraEvent.ClockSkewed("cam1", T, -3_456_000_000L, 3000),
                new CameraEvent.ClockCorrected("cam1", T, 12, 3000),
                new CameraEvent.RecordingResumed("cam1", T.plusSeconds(30), T, "disk full"),
        };
        for (CameraEvent e : events) {
            CameraEvent back = Events.eventFromJson(Events.toJson(e));
            assertThat(back).isEqualTo(e);
            assertThat(new String(Events.toJson(e), StandardCharsets.UTF_8)).contains("\"type\":\"" + e.type() + "\"");
        }
    }

    @Test
    void recordsOfTheRegistryRoundTrip() {
        CameraStatus status = new CameraStatus("cam1", "Front", true, "jpeg", 640, 480, 15, T, T, T, "1.2.3.4:5", 10, null);
        assertThat(Events.read(Events.write(status), CameraStatus.class)).isEqualTo(status);
        CameraStatus skewed = new CameraStatus("cam1", "Front", true, "jpeg", 640, 480, 15, T, T, T, "1.2.3.4:5", 10, null,
                -40L * 24 * 3600 * 1000, true);
        assertThat(Events.read(Events.write(skewed), CameraStatus.class)).isEqualTo(skewed);
    }

    @Test
    void readsARegistryEntryWrittenBeforeClockFieldsExisted() {
        String old = "{\"cameraId\":\"cam1\",\"name\":\"Front\",\"online\":false,\"codec\":\"jpeg\",\"width\":640,"
                + "\"height\":480,\"fps\":0.0,\"lastSeen\":\"2026-11-25T12:00:00.123Z\",\"frames\":10}";
        CameraStatus s = Events.read(old.getBytes(StandardCharsets.UTF_8), CameraStatus.class);
        assertThat(s.clockOffsetMs()).isNull();
        assertThat(s.clockSkewed()).isFalse();
        assertThat(s.lastSeen()).isEqualTo(T);
    }

    @Test
    void theClockEventsCarryTheirSubjectType() {
        assertThat(new String(Events.toJson(new CameraEvent.ClockSkewed("cam1", T, 5000, 3000)), StandardCharsets.UTF_8))
                .contains("\"type\":\"clock-skewed\"", "\"offsetMs\":5000", "\"boundMs\":3000");
        assertThat(new CameraEvent.ClockCorrected("cam1", T, 0, 3000).type()).isEqualTo("clock-ok");
    }

    @Test
    void aRegistryEntryCarriesItsSubstreamOnlyWhenThereIsOne() {
        CameraStatus with = new CameraStatus("cam1", "Front", true, "h264", 1280, 720, 30, T, T, T, "1.2.3.4:5", 10,
                null, 0L, false, new CameraStatus.Substream("h264", 640, 360, 10.0));
        String json = new String(Events.write(with), StandardCharsets.UTF_8);
        assertThat(json).contains("\"substream\":{\"codec\":\"h264\",\"width\":640,\"height\":360,\"fps\":10.0}");
        assertThat(Events.read(Events.write(with), CameraStatus.class)).isEqualTo(with);
        CameraStatus without = new CameraStatus("cam1", "Front", true, "h264", 1280, 720, 30, T, T, T, "1.2.3.4:5", 10,
                null, 0L, false);
        assertThat(new String(Events.write(without), StandardCharsets.UTF_8)).doesNotContain("substream");
        assertThat(Events.read(Events.write(without), CameraStatus.class).substream()).isNull();
    }

    @Test
    void cameraCommandRepliesAreExactlyTheDocumentedJson() {
        assertThat(new String(Events.write(CameraCommandReply.done()), StandardCharsets.UTF_8)).isEqualTo("{\"ok\":true}");
        assertThat(new String(Events.write(CameraCommandReply.failed(CameraCommandReply.ONLINE, null)),
                StandardCharsets.UTF_8)).isEqualTo("{\"error\":\"online\"}");
        CameraCommandReply read = Events.read("{\"error\":\"unknown\"}".getBytes(StandardCharsets.UTF_8),
                CameraCommandReply.class);
        assertThat(read.succeeded()).isFalse();
        assertThat(read.error()).isEqualTo("unknown");
        assertThat(Events.read(Events.write(new CameraCommand(CameraCommand.FORGET)), CameraCommand.class).action())
                .isEqualTo("forget");
    }

    @Test
    void malformedJsonIsAnIllegalArgument() {
        assertThatThrownBy(() -> Events.eventFromJson("{\"type\":\"nope\"}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Events.eventFromJson("not json".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
