package io.github.cctv.dashboard.domain.live;

import io.github.cctv.dashboard.domain.cameras.CameraUpdates;
import io.github.cctv.dashboard.domain.cameras.CameraView;
import io.github.cctv.dashboard.domain.live.ViewerFeed.EncodedFrame;
import io.github.cctv.dashboard.health.LiveMetrics;
import io.github.cctv.protocol.CameraId;
import io.github.cctv.protocol.event.CameraEvent;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Connects viewers to cameras. A camera's frames are subscribed while at least one viewer watches it and
 * unsubscribed when the last one leaves; each frame is encoded once and offered to every watching viewer's
 * {@link ViewerFeed}, which never blocks the caller. Camera status and events go to every viewer as text.
 */
public class LiveHub implements CameraUpdates {

    private final FrameSource source;
    private final LiveMetrics metrics;
    private final Clock clock;
    private final int maxCamerasPerViewer;
    private final int maxPendingText;
    private final Map<String, Viewer> viewers = new ConcurrentHashMap<>();
    /** Guarded by {@code this}; changed only when viewers come, go or change what they watch. */
    private final Map<String, Channel> channels = new HashMap<>();

    /**
     * {@code maxCamerasPerViewer}: most cameras one browser may watch; {@code maxPendingText}: status messages a
     * browser may leave unread before it is disconnected.
     */
    public LiveHub(FrameSource source, LiveMetrics metrics, Clock clock, int maxCamerasPerViewer, int maxPendingText) {
        this.source = source;
        this.metrics = metrics;
        this.clock = clock;
        this.maxCamerasPerViewer = maxCamerasPerViewer;
        this.maxPendingText = maxPendingText;
        metrics.gauge("cctv.dashboard.viewers", "Connected browsers", viewers::size);
        metrics.gauge("cctv.dashboard.nats.subscriptions", "Cameras whose frames are subscribed on NATS",
                this::subscriptionCount);
    }

    public Viewer connect(ViewerConnection connection) {
        Viewer viewer = new Viewer(connection, maxPendingText, clock.instant());
        viewers.put(viewer.id(), viewer);
        return viewer;
    }

    public void disconnect(String viewerId) {
        Viewer viewer = viewers.remove(viewerId);
        if (viewer != null) {
            watch(viewer, Map.of());
        }
    }

    /**
     * Makes {@code viewer} watch exactly {@code wanted} (camera id to frame-rate cap, 0 = full rate).
     * Cameras it newly watches get their latest frame at once.
     *
     * @throws IllegalArgumentException for an invalid camera id, a negative cap or too many cameras
     */
    public void watch(Viewer viewer, Map<String, Integer> wanted) {
        if (wanted.size() > maxCamerasPerViewer) {
            throw new IllegalArgumentException("at most " + maxCamerasPerViewer + " cameras per viewer, "
                    + wanted.size() + " requested");
        }
        wanted.forEach((id, fps) -> {
            CameraId.requireValid(id);
            if (fps == null || fps < 0) {
                throw new IllegalArgumentException("frame rate for camera " + id + " must be 0 (full) or more");
            }
        });
        List<ViewerFeed> added = new ArrayList<>();
        List<Channel> toFill = new ArrayList<>();
        synchronized (this) {
            Map<String, ViewerFeed> feeds = viewer.feeds();
            for (String id : new ArrayList<>(feeds.keySet())) {
                if (!wanted.containsKey(id)) {
                    ViewerFeed feed = feeds.remove(id);
                    feed.close();
                    Channel channel = channels.get(id);
                    channel.feeds.remove(feed);
                    if (channel.feeds.isEmpty()) {
                        channels.remove(id);
                        channel.close();
                    }
                }
            }
            wanted.forEach((id, fps) -> {
                ViewerFeed existing = feeds.get(id);
                if (existing != null) {
                    existing.setMaxFps(fps);
                    return;
                }
                ViewerFeed feed = new ViewerFeed(id, fps, viewer.connection(), metrics, System::nanoTime);
                feeds.put(id, feed);
                Channel channel = channels.get(id);
                if (channel == null) {
                    channel = new Channel(id);
                    channels.put(id, channel);
                    channel.subscription = source.subscribe(id, channel::onFrame);
                }
                channel.feeds.add(feed);
                added.add(feed);
                toFill.add(channel);
            });
        }
        // Outside the lock: the first lookup of a camera's latest frame may be a network round trip.
        for (int i = 0; i < added.size(); i++) {
            EncodedFrame latest = toFill.get(i).latestOrFetch();
            if (latest != null) {
                added.get(i).offer(latest);
            }
        }
    }

    /** The camera's newest frame: from the live subscription when someone watches it, else from the source. */
    public Optional<Frame> latestFrame(String cameraId) {
        CameraId.requireValid(cameraId);
        Channel channel;
        synchronized (this) {
            channel = channels.get(cameraId);
        }
        if (channel != null && channel.latest != null) {
            return Optional.of(channel.latest.frame());
        }
        return source.latest(cameraId);
    }

    /** Sends a status message to every viewer. */
    public void broadcast(String json) {
        for (Viewer v : viewers.values()) {
            v.sendText(json);
        }
    }

    @Override
    public void cameraChanged(CameraView camera) {
        broadcast(LiveMessages.camera(camera, clock.instant()));
    }

    @Override
    public void cameraRemoved(String cameraId) {
        broadcast(LiveMessages.cameraRemoved(cameraId, clock.instant()));
    }

    @Override
    public void eventHappened(CameraEvent event) {
        broadcast(LiveMessages.event(event, clock.instant()));
    }

    public Viewer viewer(String viewerId) {
        return viewers.get(viewerId);
    }

    public Collection<Viewer> viewers() {
        return viewers.values();
    }

    /** Cameras whose frames are subscribed right now. */
    public synchronized Set<String> subscribedCameras() {
        return new TreeSet<>(channels.keySet());
    }

    private synchronized int subscriptionCount() {
        return channels.size();
    }

    private final class Channel {
        final String cameraId;
        final List<ViewerFeed> feeds = new CopyOnWriteArrayList<>();
        volatile FrameSource.Subscription subscription;
        volatile EncodedFrame latest;
        volatile boolean closed;

        Channel(String cameraId) {
            this.cameraId = cameraId;
        }

        /** Runs on the source's delivery thread: encode once, hand to each feed, never wait. */
        void onFrame(Frame frame) {
            metrics.received();
            if (closed) {
                return;
            }
            EncodedFrame encoded = EncodedFrame.of(frame);
            keepIfNewer(encoded);
            for (ViewerFeed feed : feeds) {
                feed.offer(encoded);
            }
        }

        private synchronized void keepIfNewer(EncodedFrame frame) {
            if (latest == null || latest.frame().ingestUs() <= frame.frame().ingestUs()) {
                latest = frame;
            }
        }

        EncodedFrame latestOrFetch() {
            if (latest == null && !closed) {
                source.latest(cameraId).map(EncodedFrame::of).ifPresent(this::keepIfNewer);
            }
            return latest;
        }

        void close() {
            closed = true;
            FrameSource.Subscription s = subscription;
            if (s != null) {
                s.close();
            }
        }
    }
}
