package io.github.cctv.dashboard.domain.live;

import io.github.cctv.dashboard.domain.auth.Principal;

import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** One connected browser: its connection, the cameras it watches, and a guard against unread status messages. */
public final class Viewer {

    private final ViewerConnection connection;
    private final int maxPendingText;
    private final Instant connectedAt;
    private final Principal principal;
    private final Map<String, Watched> feeds = new ConcurrentHashMap<>();
    private final AtomicInteger pendingText = new AtomicInteger();
    private volatile boolean closing;

    public Viewer(ViewerConnection connection, int maxPendingText, Instant connectedAt, Principal principal) {
        this.connection = connection;
        this.principal = principal;
        this.maxPendingText = maxPendingText;
        this.connectedAt = connectedAt;
    }

    public String id() {
        return connection.id();
    }

    public ViewerConnection connection() {
        return connection;
    }

    public Instant connectedAt() {
        return connectedAt;
    }

    /** Who this viewer is, and so which cameras it may see. */
    public Principal principal() {
        return principal;
    }

    /** Closes the connection (the page reconnects, and is signed in again or sent to the sign-in page). */
    public void close(String reason) {
        closing = true;
        connection.close(reason);
    }

    Map<String, Watched> feeds() {
        return feeds;
    }

    /** A camera this viewer watches: its feed, and whether on the substream. */
    record Watched(ViewerFeed feed, boolean substream) {
    }

    /**
     * Sends a status message. Status messages are small and rare, but a browser that stops reading would
     * let them pile up without end, so past a limit it is disconnected (a live page reconnects afresh).
     */
    public void sendText(String json) {
        if (closing) {
            return;
        }
        if (pendingText.incrementAndGet() > maxPendingText) {
            closing = true;
            connection.close("too many unread messages");
            return;
        }
        connection.sendText(json, ok -> pendingText.decrementAndGet());
    }

    /** Snapshot of what this viewer watches and how it fares. */
    public Stats stats() {
        Map<String, Integer> cameras = new TreeMap<>();
        Map<String, Long> skips = new TreeMap<>();
        long sent = 0;
        long dropped = 0;
        long skipped = 0;
        for (Watched w : feeds.values()) {
            ViewerFeed f = w.feed();
            cameras.put(w.substream() ? f.cameraId() + "/sub" : f.cameraId(), f.maxFps());
            sent += f.sent();
            dropped += f.dropped();
            long s = f.skips();
            skipped += s;
            if (s > 0) {
                skips.put(f.cameraId(), s);
            }
        }
        return new Stats(id(), connectedAt, cameras, sent, dropped, skipped, skips);
    }

    /**
     * {@code cameras}: camera id ({@code <id>/sub} on the substream) to frame-rate cap (0 = full rate);
     * {@code keyframeSkips}: times this viewer fell behind an H.264 camera and skipped to its next key frame, in
     * all and per camera.
     */
    public record Stats(String id, Instant connectedAt, Map<String, Integer> cameras, long framesSent,
                        long framesDropped, long keyframeSkips, Map<String, Long> keyframeSkipsByCamera) {
    }
}
