package io.github.cctv.dashboard.endpoint;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One answer made of every recorder's answer to the same listing, in the shape one recorder gives: recordings
 * newest first and cut to the limit asked for; a timeline per camera (the segments of a camera recorded by two
 * recorders in turn, one after the other, and its spans and gaps drawn again from them); storage summed, with every
 * recorder's own report alongside; the position in a camera's recordings from the recorder that holds the moment.
 */
final class RecorderAnswers {

    /** The recorder's default {@code limit} of {@code /api/recordings}. */
    static final int DEFAULT_LIMIT = 100;
    /** Segments this close make one span: the recorder's own {@code Timeline.JOIN}. */
    private static final long JOIN_MILLIS = 2000;

    private static final Comparator<JsonObject> NEWEST_FIRST = Comparator
            .comparing((JsonObject o) -> instant(o, "start"))
            .thenComparing(o -> o.getString("id", ""))
            .reversed();

    private RecorderAnswers() {
    }

    /** {@code /api/recordings}: every recorder's, newest first (start, then id, as a recorder sorts), at most {@code limit}. */
    static JsonArray recordings(List<JsonArray> answers, int limit) {
        List<JsonObject> all = new ArrayList<>();
        answers.forEach(a -> a.forEach(o -> all.add((JsonObject) o)));
        all.sort(NEWEST_FIRST);
        return new JsonArray(new ArrayList<>(all.subList(0, Math.min(limit, all.size()))));
    }

    /** {@code /api/timeline}: {@code {from, to, now, cameras}} with one timeline per camera over every recorder's. */
    static JsonObject timeline(List<JsonObject> answers) {
        JsonObject first = answers.get(0);
        Instant from = instant(first, "from");
        Instant to = instant(first, "to");
        Instant now = answers.stream().map(a -> instant(a, "now")).max(Comparator.naturalOrder()).orElse(to);
        Map<String, List<JsonObject>> byCamera = new TreeMap<>();
        for (JsonObject a : answers) {
            for (Object c : a.getJsonArray("cameras", new JsonArray())) {
                JsonObject line = (JsonObject) c;
                byCamera.computeIfAbsent(line.getString("cameraId"), k -> new ArrayList<>()).add(line);
            }
        }
        JsonArray cameras = new JsonArray();
        byCamera.forEach((camera, lines) -> cameras.add(lines.size() == 1 ? lines.get(0) : line(camera, lines, from, to, now)));
        return first.copy().put("now", now.toString()).put("cameras", cameras);
    }

    /** One camera's timeline from the lines of several recorders: their segments in order, spans and gaps anew. */
    private static JsonObject line(String camera, List<JsonObject> lines, Instant from, Instant to, Instant now) {
        List<JsonObject> segments = new ArrayList<>();
        lines.forEach(l -> l.getJsonArray("segments", new JsonArray()).forEach(s -> segments.add((JsonObject) s)));
        segments.sort(Comparator.comparing((JsonObject s) -> instant(s, "start")).thenComparing(s -> s.getString("id", "")));
        List<Instant[]> spans = new ArrayList<>();
        for (JsonObject s : segments) {
            Instant a = max(instant(s, "start"), from);
            Instant b = min(instant(s, "end"), to);
            Instant[] last = spans.isEmpty() ? null : spans.get(spans.size() - 1);
            if (last != null && !a.isAfter(last[1].plusMillis(JOIN_MILLIS))) {
                last[1] = max(last[1], b);
            } else {
                spans.add(new Instant[]{a, b});
            }
        }
        JsonArray spanJson = new JsonArray();
        JsonArray gapJson = new JsonArray();
        Instant until = min(to, max(now, from));
        Instant cursor = from;
        for (Instant[] p : spans) {
            spanJson.add(period(p[0], p[1]));
            if (p[0].isAfter(cursor) && cursor.isBefore(until)) {
                gapJson.add(period(cursor, min(p[0], until)));
            }
            cursor = max(cursor, p[1]);
        }
        if (cursor.isBefore(until)) {
            gapJson.add(period(cursor, until));
        }
        return new JsonObject().put("cameraId", camera).put("from", from.toString()).put("to", to.toString())
                .put("segments", new JsonArray(new ArrayList<>(segments))).put("spans", spanJson).put("gaps", gapJson);
    }

    /**
     * {@code /api/timeline/at}: of the recorders' positions (the 200 answers), the one whose segment holds the
     * moment, else the one whose next segment comes first; null when there is none.
     */
    static JsonObject position(List<JsonObject> answers) {
        JsonObject best = null;
        for (JsonObject a : answers) {
            if (!a.getBoolean("inGap", false)) {
                return a;
            }
            JsonObject rec = a.getJsonObject("recording");
            if (rec != null && (best == null || instant(rec, "start").isBefore(instant(best.getJsonObject("recording"), "start")))) {
                best = a;
            }
        }
        return best;
    }

    /**
     * {@code /api/storage}: bytes, recordings and rates summed, cameras merged, the fewest days held and until full
     * (the disk that fills first), every warning, and each recorder's own report in {@code recorders}.
     */
    static JsonObject storage(List<String> ids, List<JsonObject> answers) {
        JsonObject sum = answers.get(0).copy();
        for (String field : List.of("totalBytes", "usableBytes", "recordingsBytes", "keptBytes", "recordings", "bytesPerDay")) {
            long total = 0;
            for (JsonObject a : answers) {
                total += a.getLong(field, 0L);
            }
            sum.put(field, total);
        }
        for (String field : List.of("daysHeld", "daysUntilFull")) {
            Double least = null;
            for (JsonObject a : answers) {
                Double d = a.getDouble(field);
                if (d != null && (least == null || d < least)) {
                    least = d;
                }
            }
            sum.put(field, least);
        }
        List<String> warnings = new ArrayList<>();
        Map<String, JsonObject> cameras = new TreeMap<>();
        JsonArray each = new JsonArray();
        for (int i = 0; i < answers.size(); i++) {
            JsonObject a = answers.get(i);
            if (a.getString("warning") != null) {
                warnings.add(answers.size() > 1 ? "Recorder " + ids.get(i) + ": " + a.getString("warning") : a.getString("warning"));
            }
            for (Object c : a.getJsonArray("cameras", new JsonArray())) {
                JsonObject usage = (JsonObject) c;
                cameras.merge(usage.getString("cameraId"), usage.copy(), RecorderAnswers::usage);
            }
            each.add(new JsonObject().put("id", ids.get(i)).put("report", a));
        }
        sum.put("at", answers.stream().map(a -> instant(a, "at")).max(Comparator.naturalOrder()).map(Instant::toString).orElse(null));
        sum.put("warning", warnings.isEmpty() ? null : String.join(" ", warnings));
        sum.put("cameras", new JsonArray(new ArrayList<>(cameras.values())));
        sum.put("recorders", each);
        return sum;
    }

    private static JsonObject usage(JsonObject a, JsonObject b) {
        for (String field : List.of("bytes", "recordings", "keptBytes", "bytesPerDay")) {
            a.put(field, a.getLong(field, 0L) + b.getLong(field, 0L));
        }
        a.put("oldest", pick(a.getString("oldest"), b.getString("oldest"), true));
        a.put("newest", pick(a.getString("newest"), b.getString("newest"), false));
        return a;
    }

    /** The earlier (or the later) of two ISO instants, either of which may be null. */
    private static String pick(String a, String b, boolean earlier) {
        if (a == null || b == null) {
            return a == null ? b : a;
        }
        return Instant.parse(a).isBefore(Instant.parse(b)) == earlier ? a : b;
    }

    private static JsonObject period(Instant a, Instant b) {
        return new JsonObject().put("start", a.toString()).put("end", b.toString());
    }

    private static Instant instant(JsonObject o, String field) {
        String s = o == null ? null : o.getString(field);
        return s == null ? Instant.EPOCH : Instant.parse(s);
    }

    private static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }
}
