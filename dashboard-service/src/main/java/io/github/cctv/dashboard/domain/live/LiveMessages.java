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

    public static String hello(String viewerId, Duration staleAfter, int maxCameras, Instant now) {
        ObjectNode n = base("hello", now);
        n.put("viewerId", viewerId);
        n.put("protocol", LiveFrameCodec.VERSION);
        n.put("staleAfterMs", staleAfter.toMillis());
        n.put("maxCameras", maxCameras);
        return n.toString();
    }

    /** The answer to a page's {@code ping}: its own time {@code t} back, and the server's time when answered. */
    public static String pong(double browserTime, Instant now) {
        ObjectNode n = base("pong", now);
        n.put("t", browserTime);
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

    public static String subscribed(Map<String, Watch> cameras, Instant now) {
        Map<String, Object> out = new LinkedHashMap<>();
        cameras.forEach((id, w) -> out.put(id, w.substream() ? Map.of("fps", w.maxFps(), "stream", "sub") : w.maxFps()));
        return message("subscribed", now, "cameras", out);
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

    /** What a page sends. */
    public sealed interface ClientMessage permits Subscribe, Ping {
    }

    /** Watch exactly these cameras (camera id to how). */
    public record Subscribe(Map<String, Watch> cameras) implements ClientMessage {
    }

    /** A clock and liveness probe: {@code t} is the page's clock, answered at once with a {@code pong}. */
    public record Ping(double t) implements ClientMessage {
    }

    /**
     * Parses a page's message: {@code {"type":"ping","t":1700000000123.4}} or
     * {@code {"type":"subscribe","cameras":{"cam1":5,"cam2":0,"cam3":{"fps":0,"stream":"sub"}}}} (camera id to max
     * frames per second, 0 = full rate, or to an object that also names the stream: {@code main} or {@code sub}).
     *
     * @throws IllegalArgumentException with a message fit for the browser
     */
    public static ClientMessage parse(String text) {
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
        if ("ping".equals(type)) {
            JsonNode t = root.get("t");
            if (t == null || !t.isNumber()) {
                throw new IllegalArgumentException("'t' of a ping must be a number (the page's clock, ms)");
            }
            return new Ping(t.asDouble());
        }
        if (!"subscribe".equals(type)) {
            throw new IllegalArgumentException("unknown message type '" + truncate(type)
                    + "', expected 'subscribe' or 'ping'");
        }
        JsonNode cameras = root.get("cameras");
        if (cameras == null || !cameras.isObject()) {
            throw new IllegalArgumentException("'cameras' must be an object of camera id to max fps (0 = full rate)");
        }
        Map<String, Watch> wanted = new LinkedHashMap<>();
        var fields = cameras.fields();
        while (fields.hasNext()) {
            var e = fields.next();
            JsonNode value = e.getValue();
            JsonNode fps = value.isObject() ? value.path("fps") : value;
            boolean sub = false;
            if (value.isObject()) {
                String stream = value.path("stream").asText("main");
                if (!"main".equals(stream) && !"sub".equals(stream)) {
                    throw new IllegalArgumentException("stream of camera '" + truncate(e.getKey())
                            + "' must be 'main' or 'sub'");
                }
                sub = "sub".equals(stream);
                if (fps.isMissingNode()) {
                    fps = MAPPER.getNodeFactory().numberNode(0);
                }
            }
            if (!fps.canConvertToInt() || !fps.isNumber() || fps.asInt() < 0 || fps.asInt() > 1000) {
                throw new IllegalArgumentException("max fps for camera '" + truncate(e.getKey())
                        + "' must be a number from 0 (full rate) to 1000");
            }
            wanted.put(e.getKey(), new Watch(fps.asInt(), sub));
        }
        return new Subscribe(wanted);
    }

    /** Parses a {@code subscribe} message (see {@link #parse}); anything else is an error. */
    public static Map<String, Watch> parseSubscribe(String text) {
        if (parse(text) instanceof Subscribe s) {
            return s.cameras();
        }
        throw new IllegalArgumentException("expected a 'subscribe' message");
    }

    private static String truncate(String s) {
        return s.length() > 64 ? s.substring(0, 64) + "…" : s;
    }
}
