package io.github.cctv.dashboard.endpoint;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RecorderAnswersTest {

    private static JsonObject rec(String id, String start) {
        return new JsonObject().put("id", id).put("cameraId", id.substring(0, id.indexOf('_'))).put("start", start);
    }

    @Test
    void recordingsOfEveryRecorderComeNewestFirstAndCutToTheLimit() {
        JsonArray a = new JsonArray().add(rec("a_3", "2026-12-01T10:00:03Z")).add(rec("a_1", "2026-12-01T10:00:01Z"));
        JsonArray b = new JsonArray().add(rec("b_4", "2026-12-01T10:00:04.5Z")).add(rec("b_2", "2026-12-01T10:00:02Z"));

        JsonArray merged = RecorderAnswers.recordings(List.of(a, b), 3);

        assertThat(merged.stream().map(o -> ((JsonObject) o).getString("id"))).containsExactly("b_4", "a_3", "b_2");
    }

    @Test
    void aCameraRecordedByTwoRecordersInTurnIsOneTimelineWithOneSpanWhereTheyMeet() {
        String from = "2026-12-01T10:00:00Z";
        String to = "2026-12-01T11:00:00Z";
        JsonObject first = new JsonObject().put("from", from).put("to", to).put("now", "2026-12-01T10:30:00Z")
                .put("cameras", new JsonArray().add(new JsonObject().put("cameraId", "cam")
                        .put("segments", new JsonArray().add(seg("cam_1", "2026-12-01T10:01:00Z", "2026-12-01T10:02:00Z"))))
                        .add(new JsonObject().put("cameraId", "other").put("segments", new JsonArray())));
        JsonObject second = new JsonObject().put("from", from).put("to", to).put("now", "2026-12-01T10:30:01Z")
                .put("cameras", new JsonArray().add(new JsonObject().put("cameraId", "cam")
                        .put("segments", new JsonArray().add(seg("cam_2", "2026-12-01T10:02:01Z", "2026-12-01T10:03:00Z")))));

        JsonObject merged = RecorderAnswers.timeline(List.of(first, second));

        assertThat(merged.getString("now")).isEqualTo("2026-12-01T10:30:01Z");
        JsonArray cameras = merged.getJsonArray("cameras");
        assertThat(cameras.stream().map(o -> ((JsonObject) o).getString("cameraId"))).containsExactly("cam", "other");
        JsonObject cam = cameras.getJsonObject(0);
        assertThat(cam.getJsonArray("segments").stream().map(o -> ((JsonObject) o).getString("id"))).containsExactly("cam_1", "cam_2");
        assertThat(cam.getJsonArray("spans")).containsExactly(new JsonObject().put("start", "2026-12-01T10:01:00Z")
                .put("end", "2026-12-01T10:03:00Z"));
        assertThat(cam.getJsonArray("gaps")).containsExactly(
                new JsonObject().put("start", "2026-12-01T10:00:00Z").put("end", "2026-12-01T10:01:00Z"),
                new JsonObject().put("start", "2026-12-01T10:03:00Z").put("end", "2026-12-01T10:30:01Z"));
    }

    @Test
    void storageIsSummedWithTheDiskThatFillsFirstAndEachRecordersOwnReport() {
        JsonObject a = new JsonObject().put("totalBytes", 100).put("usableBytes", 60).put("recordings", 2)
                .put("daysUntilFull", 3.0).put("warning", "full soon")
                .put("cameras", new JsonArray().add(new JsonObject().put("cameraId", "cam").put("bytes", 10)
                        .put("recordings", 1).put("oldest", "2026-12-01T10:00:00Z").put("newest", "2026-12-01T10:05:00Z")));
        JsonObject b = new JsonObject().put("totalBytes", 50).put("usableBytes", 40).put("recordings", 3)
                .put("daysUntilFull", 9.0)
                .put("cameras", new JsonArray().add(new JsonObject().put("cameraId", "cam").put("bytes", 5)
                        .put("recordings", 2).put("oldest", "2026-12-01T09:00:00Z").put("newest", "2026-12-01T10:01:00Z")));

        JsonObject sum = RecorderAnswers.storage(List.of("r1", "r2"), List.of(a, b));

        assertThat(sum.getLong("totalBytes")).isEqualTo(150);
        assertThat(sum.getLong("usableBytes")).isEqualTo(100);
        assertThat(sum.getLong("recordings")).isEqualTo(5);
        assertThat(sum.getDouble("daysUntilFull")).isEqualTo(3.0);
        assertThat(sum.getString("warning")).isEqualTo("Recorder r1: full soon");
        JsonObject cam = sum.getJsonArray("cameras").getJsonObject(0);
        assertThat(cam.getLong("bytes")).isEqualTo(15);
        assertThat(cam.getString("oldest")).isEqualTo("2026-12-01T09:00:00Z");
        assertThat(cam.getString("newest")).isEqualTo("2026-12-01T10:05:00Z");
        assertThat(sum.getJsonArray("recorders").stream().map(o -> ((JsonObject) o).getString("id"))).containsExactly("r1", "r2");
    }

    @Test
    void thePositionComesFromTheRecorderThatHoldsTheMomentElseTheNearestNext() {
        JsonObject gapLater = new JsonObject().put("inGap", true).put("recording", rec("c_9", "2026-12-01T12:00:00Z"));
        JsonObject gapSooner = new JsonObject().put("inGap", true).put("recording", rec("c_5", "2026-12-01T11:00:00Z"));
        JsonObject holds = new JsonObject().put("inGap", false).put("recording", rec("c_1", "2026-12-01T10:00:00Z"));

        assertThat(RecorderAnswers.position(List.of(gapLater, gapSooner))).isSameAs(gapSooner);
        assertThat(RecorderAnswers.position(List.of(gapLater, holds))).isSameAs(holds);
    }

    private static JsonObject seg(String id, String start, String end) {
        return new JsonObject().put("id", id).put("start", start).put("end", end);
    }
}
