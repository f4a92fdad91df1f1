package io.github.cctv.dashboard.domain.live;

import io.github.cctv.dashboard.domain.auth.Principal;
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
 * Connects viewers to cameras. A camera stream's frames are subscribed while at least one viewer watches it and
 * unsubscribed when the last one leaves; each frame is encoded once and offered to every watching viewer's
 * {@link ViewerFeed}, which never blocks the caller. Per watched stream the hub keeps where a new viewer starts:
 * the newest JPEG, or the H.264 frames since the newest key frame (bounded in bytes), so a viewer that joins sees a
 * picture at once. Camera status and events go to every viewer as text.
 */
public class LiveHub implements CameraUpdates {

    /** How the hub is bounded. */
    public record Limits(int maxCamerasPerViewer, int maxPendingText, long gopCacheBytes, long viewerQueueBytes,
                         long viewerQueueLagNanos) {
    }

    private final FrameSource source;
    private final LiveMetrics metrics;
    private final Clock clock;
    private final Limits limits;
    private final Map<String, Viewer> viewers = new ConcurrentHashMap<>();
    /** Guarded by {@code this}; changed only when viewers come, go or change what they watch. Key: {@link #key}. */
    private final Map<String, Channel> channels = new HashMap<>();

    public LiveHub(FrameSource source, LiveMetrics metrics, Clock clock, Limits limits) {
        this.source = source;
        this.metrics = metrics;
        this.clock = clock;
        this.limits = limits;
        metrics.gauge("cctv.dashboard.viewers", "Connected browsers", viewers::size);
        metrics.gauge("cctv.dashboard.nats.subscriptions", "Camera streams whose frames are subscribed on NATS",
                this::subscriptionCount);
    }

    /** Most cameras one viewer may watch at once; the page is told, and subscribes to no more. */
    public int maxCamerasPerViewer() {
        return limits.maxCamerasPerViewer();
    }

    /** A viewer who may watch every camera (sign-in off, tests). */
    public Viewer connect(ViewerConnection connection) {
        return connect(connection, Principal.ANYONE);
    }

    /** A viewer who sees and watches only the cameras {@code principal} may. */
    public Viewer connect(ViewerConnection connection, Principal principal) {
        Viewer viewer = new Viewer(connection, limits.maxPendingText(), clock.instant(), principal);
        viewers.put(viewer.id(), viewer);
        return viewer;
    }

    public void disconnect(String viewerId) {
        Viewer viewer = viewers.remove(viewerId);
        if (viewer != null) {
            watch(viewer, Map.of());
        }
    }

    private static String key(String cameraId, boolean substream) {
        return substream ? cameraId + "/sub" : cameraId;
    }

    /**
     * Makes {@code viewer} watch exactly {@code wanted} (camera id to how). Cameras it newly watches, or watches
     * on another stream, start at once from the stream's starting point.
     *
     * @throws IllegalArgumentException for an invalid camera id, a camera not the viewer's, a negative cap or too many
     *                                  cameras
     */
    public void watch(Viewer viewer, Map<String, Watch> wanted) {
        if (wanted.size() > limits.maxCamerasPerViewer()) {
            throw new IllegalArgumentException("at most " + limits.maxCamerasPerViewer() + " cameras per viewer, "
                    + wanted.size() + " requested");
        }
        wanted.forEach((id, how) -> {
            CameraId.requireValid(id);
            if (!viewer.principal().mayWatch(id)) {
                throw new IllegalArgumentException("camera " + id + " is not among the cameras you may watch");
            }
            if (how == null || how.maxFps() < 0) {
                throw new IllegalArgumentException("frame rate for camera " + id + " must be 0 (full) or more");
            }
        });
        List<ViewerFeed> added = new ArrayList<>();
        List<Channel> toAttach = new ArrayList<>();
        synchronized (this) {
            Map<String, Viewer.Watched> feeds = viewer.feeds();
            for (String id : new ArrayList<>(feeds.keySet())) {
                Watch how = wanted.get(id);
                Viewer.Watched w = feeds.get(id);
                if (how == null || how.substream() != w.substream()) {
                    feeds.remove(id);
                    w.feed().close();
                    Channel channel = channels.get(key(id, w.substream()));
                    channel.feeds.remove(w.feed());
                    if (channel.feeds.isEmpty()) {
                        channels.remove(channel.key);
                        channel.close();
                    }
                }
            }
            wanted.forEach((id, how) -> {
                Viewer.Watched existing = feeds.get(id);
                if (existing != null) {
                    existing.feed().setMaxFps(how.maxFps());
                    return;
                }
                ViewerFeed feed = new ViewerFeed(id, how.maxFps(), viewer.connection(), metrics, System::nanoTime,
                        limits.viewerQueueBytes(), limits.viewerQueueLagNanos());
                feeds.put(id, new Viewer.Watched(feed, how.substream()));
                String k = key(id, how.substream());
                Channel channel = channels.get(k);
                if (channel == null) {
                    channel = new Channel(id, how.substream());
                    channels.put(k, channel);
                    channel.subscription = source.subscribe(id, how.substream(), channel::onFrame);
                }
                added.add(feed);
                toAttach.add(channel);
            });
        }
        // Outside the hub's lock: the first lookup of a stream's starting point may take network round trips.
        for (int i = 0; i < added.size(); i++) {
            toAttach.get(i).attach(added.get(i));
        }
    }

    /**
     * The frame a snapshot is made of: a JPEG camera's newest frame, an H.264 camera's newest key frame (from the
     * live subscription when someone watches the camera, else from the source).
     */
    public Optional<Frame> snapshotFrame(String cameraId) {
        CameraId.requireValid(cameraId);
        Channel channel;
        synchronized (this) {
            channel = channels.get(key(cameraId, false));
        }
        if (channel != null) {
            Optional<Frame> f = channel.startFrame();
            if (f.isPresent()) {
                return f;
            }
        }
        List<Frame> start = source.startingPoint(cameraId, false, limits.gopCacheBytes());
        return start.isEmpty() ? Optional.empty() : Optional.of(start.get(0));
    }

    /** Sends a status message to every viewer. */
    public void broadcast(String json) {
        for (Viewer v : viewers.values()) {
            v.sendText(json);
        }
    }

    /** Sends a status message about {@code cameraId} to the viewers who may see that camera. */
    private void broadcast(String cameraId, String json) {
        for (Viewer v : viewers.values()) {
            if (v.principal().mayWatch(cameraId)) {
                v.sendText(json);
            }
        }
    }

    /** Closes every live connection of user {@code name} (disabled, or changed: the page reconnects afresh). */
    public void closeUser(String name, String reason) {
        for (Viewer v : viewers.values()) {
            if (name.equals(v.principal().name())) {
                v.close(reason);
            }
        }
    }

    @Override
    public void cameraChanged(CameraView camera) {
        broadcast(camera.cameraId(), LiveMessages.camera(camera, clock.instant()));
    }

    @Override
    public void cameraRemoved(String cameraId) {
        broadcast(cameraId, LiveMessages.cameraRemoved(cameraId, clock.instant()));
    }

    @Override
    public void eventHappened(CameraEvent event) {
        broadcast(event.cameraId(), LiveMessages.event(event, clock.instant()));
    }

    public Viewer viewer(String viewerId) {
        return viewers.get(viewerId);
    }

    public Collection<Viewer> viewers() {
        return viewers.values();
    }

    /** Camera streams whose frames are subscribed right now: camera ids, {@code <id>/sub} for a substream. */
    public synchronized Set<String> subscribedCameras() {
        return new TreeSet<>(channels.keySet());
    }

    private synchronized int subscriptionCount() {
        return channels.size();
    }

    /** One watched camera stream: its subscription, its viewers and its starting point. */
    private final class Channel {
        final String cameraId;
        final boolean substream;
        final String key;
        final List<ViewerFeed> feeds = new CopyOnWriteArrayList<>();
        volatile FrameSource.Subscription subscription;
        volatile boolean closed;
        /** Guarded by this channel: the newest frame, and for H.264 the frames since the newest key frame. */
        private EncodedFrame latest;
        private final List<EncodedFrame> gop = new ArrayList<>();
        private long gopBytes;
        /** Live frames received before the retained ones were read (null once they were): merged in after them. */
        private List<EncodedFrame> arrivedEarly = new ArrayList<>();
        private long arrivedEarlyBytes;
        private boolean fetching;

        Channel(String cameraId, boolean substream) {
            this.cameraId = cameraId;
            this.substream = substream;
            this.key = key(cameraId, substream);
        }

        /** Runs on the source's delivery thread: encode once, hand to each feed (which never waits). */
        void onFrame(Frame frame) {
            metrics.received();
            if (closed) {
                return;
            }
            EncodedFrame encoded = EncodedFrame.of(frame, substream);
            synchronized (this) {
                if (arrivedEarly != null) {
                    arrivedEarly.add(encoded);
                    arrivedEarlyBytes += encoded.message().length;
                    if (arrivedEarlyBytes > limits.gopCacheBytes()) {
                        arrivedEarly.clear();
                        arrivedEarlyBytes = 0;
                    }
                }
                remember(encoded);
                for (ViewerFeed feed : feeds) {
                    feed.offer(encoded);
                }
            }
        }

        private void remember(EncodedFrame e) {
            Frame f = e.frame();
            if (latest != null && !f.h264() && f.ingestUs() < latest.frame().ingestUs()) {
                return;
            }
            EncodedFrame previous = latest;
            latest = e;
            if (!f.h264()) {
                clearGop();
                return;
            }
            if (f.keyFrame()) {
                clearGop();
            } else if (gop.isEmpty() || previous == null || f.seq() != previous.frame().seq() + 1
                    || gopBytes + e.message().length > limits.gopCacheBytes()) {
                // no complete run from a key frame: new viewers wait for the next one
                clearGop();
                return;
            }
            gop.add(e);
            gopBytes += e.message().length;
        }

        private void clearGop() {
            gop.clear();
            gopBytes = 0;
        }

        /**
         * Adds a viewer: it first gets the starting point (read from the source when this channel has none yet),
         * then every live frame, in order: both happen under this channel's lock.
         */
        void attach(ViewerFeed feed) {
            boolean fetch;
            synchronized (this) {
                fetch = arrivedEarly != null && !fetching;
                fetching = true;
            }
            List<Frame> retained = fetch ? source.startingPoint(cameraId, substream, limits.gopCacheBytes()) : List.of();
            synchronized (this) {
                if (closed) {
                    return;
                }
                if (fetch) {
                    mergeRetained(retained);
                }
                if (latest != null && !latest.frame().h264()) {
                    feed.offer(latest);
                } else {
                    for (EncodedFrame e : gop) {
                        feed.offer(e);
                    }
                }
                feeds.add(feed);
            }
        }

        /**
         * Rebuilds the starting point from the retained frames older than the first live one, then the live frames
         * received meanwhile, in order (where they do not join up, new viewers wait for the next key frame).
         */
        private void mergeRetained(List<Frame> retained) {
            List<EncodedFrame> live = arrivedEarly;
            arrivedEarly = null;
            if (retained.isEmpty()) {
                return;
            }
            long firstLiveUs = live.isEmpty() ? Long.MAX_VALUE : live.get(0).frame().ingestUs();
            latest = null;
            clearGop();
            for (Frame f : retained) {
                if (f.ingestUs() < firstLiveUs) {
                    remember(EncodedFrame.of(f, substream));
                }
            }
            live.forEach(this::remember);
        }

        synchronized Optional<Frame> startFrame() {
            if (latest != null && !latest.frame().h264()) {
                return Optional.of(latest.frame());
            }
            return gop.isEmpty() ? Optional.empty() : Optional.of(gop.get(0).frame());
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
