package io.github.cctv.dashboard.domain.live;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.cctv.dashboard.domain.cameras.CameraView;
import io.github.cctv.protocol.event.CameraEvent;
import io.github.cctv.protocol.event.Events;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The text JSON messages of the live WebSocket. Every server message has a {@code type} and the server's
 * {@code serverTime} (epoch ms), which lets the page correct "last seen" and latency for its own clock.
 */
public final class LiveMessages {

    private static final ObjectMapper MAPPER = Events.mapper();

    private LiveMessages() {
    }

    public static String hello(String viewerId, Duration staleAfter, Instant now) {
        ObjectNode n = base("hello", now);
        n.put("viewerId", viewerId);
        n.put("protocol", LiveFrameCodec.VERSION);
        n.put("staleAfterMs", staleAfter.toMillis());
        return n.toString();
    }

    public static String cameras(List<CameraView> cameras, Instant now) {
        return message("cameras", now, "cameras", cameras);
    }

    public static String camera(CameraView camera, Instant now) {
        return message("camera", now, "camera", camera);
    }

    public static String cameraRemoved(String cameraId, Instant now) {
        return message("camera-removed", now, "cameraId", cameraId);
    }

    public static String event(CameraEvent event, Instant now) {
        return message("event", now, "event", event);
    }

    public static String subscribed(Map<String, Integer> cameras, Instant now) {
        return message("subscribed", now, "cameras", cameras);
    }

    public static String error(String message, Instant now) {
        return message("error", now, "message", message);
    }

    /** {@code {"type": type, "serverTime": now, field: value}}. */
    private static String message(String type, Instant now, String field, Object value) {
        ObjectNode n = base(type, now);
        n.set(field, MAPPER.valueToTree(value));
        return n.toString();
    }

    private static ObjectNode base(String type, Instant now) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("type", type);
        n.put("serverTime", now.toEpochMilli());
        return n;
    }

    /**
     * Parses a browser's {@code subscribe} message: {@code {"type":"subscribe","cameras":{"cam1":5,"cam2":0}}}
     * (camera id to max frames per second, 0 = full rate).
     *
     * @throws IllegalArgumentException with a message fit for the browser
     */
    public static Map<String, Integer> parseSubscribe(String text) {
        JsonNode root;
        try {
            root = MAPPER.readTree(text);
        } catch (IOException e) {
            throw new IllegalArgumentException("message is not JSON");
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("message must be a JSON object");
        }
        String type = root.path("type").asText("");
        if (!"subscribe".equals(type)) {
            throw new IllegalArgumentException("unknown message type '" + truncate(type) + "', expected 'subscribe'");
        }
        JsonNode cameras = root.get("cameras");
        if (cameras == null || !cameras.isObject()) {
            throw new IllegalArgumentException("'cameras' must be an object of camera id to max fps (0 = full rate)");
        }
        Map<String, Integer> wanted = new LinkedHashMap<>();
        var fields = cameras.fields();
        while (fields.hasNext()) {
            var e = fields.next();
            JsonNode fps = e.getValue();
            if (!fps.canConvertToInt() || !fps.isNumber() || fps.asInt() < 0 || fps.asInt() > 1000) {
                throw new IllegalArgumentException("max fps for camera '" + truncate(e.getKey())
                        + "' must be a number from 0 (full rate) to 1000");
            }
            wanted.put(e.getKey(), fps.asInt());
        }
        return wanted;
    }

    private static String truncate(String s) {
        return s.length() > 64 ? s.substring(0, 64) + "…" : s;
    }
}
