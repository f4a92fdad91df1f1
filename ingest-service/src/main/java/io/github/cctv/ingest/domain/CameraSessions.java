package io.github.cctv.ingest.domain;

import io.github.cctv.ingest.health.IngestMetrics;
import io.github.cctv.protocol.EpochMicros;
import io.github.cctv.protocol.event.CameraEvent;
import io.github.cctv.protocol.event.CameraStatus;
import io.github.cctv.protocol.event.DisconnectReason;
import io.github.cctv.protocol.wire.Message;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Consumer;

/**
 * The cameras online on this ingest: at most one session per camera id. A camera that proved its id with its
 * token takes the id over from an older session (a stale connection, or an impostor's); one that did not is
 * refused while the id is online.
 */
public class CameraSessions {

    private static final Logger LOG = Logger.getLogger(CameraSessions.class);

    private final ConcurrentMap<String, CameraSession> online = new ConcurrentHashMap<>();
    private final FramePublisher frames;
    private final CameraEvents events;
    private final KnownCameras registry;
    private final IngestMetrics metrics;
    private final Clock clock;
    private final long registryIntervalMillis;
    private final long clockBoundMillis;
    private final String instanceId;

    /**
     * {@code registryInterval}: least time between two registry updates of a streaming camera; {@code clockBound}:
     * the largest camera clock offset that is not reported.
     */
    public CameraSessions(FramePublisher frames, CameraEvents events, KnownCameras registry, IngestMetrics metrics,
                          Clock clock, Duration registryInterval, Duration clockBound) {
        this(frames, events, registry, metrics, clock, registryInterval, clockBound, null);
    }

    /** {@code instanceId}: the ingest instance named as owner in the registry entries it writes (null: none named). */
    public CameraSessions(FramePublisher frames, CameraEvents events, KnownCameras registry, IngestMetrics metrics,
                          Clock clock, Duration registryInterval, Duration clockBound, String instanceId) {
        this.instanceId = instanceId;
        this.frames = frames;
        this.events = events;
        this.registry = registry;
        this.metrics = metrics;
        this.clock = clock;
        this.registryIntervalMillis = registryInterval.toMillis();
        this.clockBoundMillis = clockBound.toMillis();
        if (clockBoundMillis < 1) {
            throw new IllegalArgumentException("cctv.ingest.clock.max-offset must be positive, got " + clockBound);
        }
    }

    /**
     * Opens the session of a camera: publishes {@code connected} and the online status. The returned session
     * publishes exactly one {@code disconnected} when closed, whatever closes it first.
     *
     * @param authenticated the camera presented a token configured for it: an open session of the same id is then
     *                      closed ({@code replaced}, and {@code onReplaced} of that session runs) instead of this one refused
     * @param onReplaced    what to do when a later session takes this one's id: end its connection (it gets the
     *                      detail of this session's {@code disconnected}, which names the new session's address)
     */
    public CameraSession open(CameraInfo camera, boolean authenticated, Consumer<String> onReplaced)
            throws AlreadyOnlineException, RegistryFullException {
        String id = camera.cameraId();
        if (!registry.admit(id)) {
            throw new RegistryFullException(id, registry.size());
        }
        Instant now = clock.instant();
        CameraSession session = new CameraSession(camera, now, onReplaced);
        CameraSession existing;
        while ((existing = online.putIfAbsent(id, session)) != null) {
            if (!authenticated) {
                throw new AlreadyOnlineException(id);
            }
            // the old session's disconnected goes out before this one's connected
            String detail = "replaced by a new session from " + camera.peer();
            existing.close(DisconnectReason.REPLACED, detail);
            existing.onReplaced.accept(detail);
        }
        metrics.sessionOpened();
        LOG.infof("camera %s connected from %s (%s %dx%d @ %.2f fps%s)", id, camera.peer(),
                camera.codec().wireName(), camera.width(), camera.height(), camera.fps(),
                camera.substream() == null ? "" : ", substream " + camera.substream());
        events.publish(new CameraEvent.CameraConnected(id, now, camera.name(), camera.codec().wireName(),
                camera.width(), camera.height(), camera.fps(), camera.peer()));
        session.writeStatus(now, true, null);
        return session;
    }

    /**
     * Removes an offline camera's registry entry on request; a camera with a session here stays
     * ({@link KnownCameras.Forgotten#ONLINE}).
     */
    public KnownCameras.Forgotten forget(String cameraId) {
        if (online.containsKey(cameraId)) {
            return KnownCameras.Forgotten.ONLINE;
        }
        return registry.forget(cameraId);
    }

    /**
     * Another ingest instance holds {@code cameraId} now (this one's claim ran out while it could not renew it): the
     * session here ends ({@code replaced}) and its connection is told so.
     */
    public void claimLost(String cameraId, String holder) {
        claimLost(cameraId, holder, true);
    }

    /**
     * {@link #claimLost(String, String)}; with {@code announce} false the session ends without a {@code disconnected}
     * event or registry entry of its own: its end was announced already, once (by whichever instance marked its
     * registry entry offline).
     */
    public void claimLost(String cameraId, String holder, boolean announce) {
        CameraSession s = online.get(cameraId);
        if (s == null) {
            return;
        }
        String detail = String.format(StaleCameras.CLAIM_LOST_DETAIL, holder);
        s.close(DisconnectReason.REPLACED, detail, announce);
        s.onReplaced.accept(detail);
    }

    public boolean isOnline(String cameraId) {
        return online.containsKey(cameraId);
    }

    public List<CameraSession> all() {
        return List.copyOf(online.values());
    }

    /** One camera's open session. Frames come from one thread; {@link #close} may come from any. */
    public final class CameraSession implements AutoCloseable {

        private final CameraInfo camera;
        private final Instant connectedSince;
        private final Consumer<String> onReplaced;
        private final ClockWatch cameraClock = new ClockWatch(clockBoundMillis);
        private volatile long frameCount;
        private volatile long substreamFrames;
        private volatile Instant lastFrameAt;
        private long lastStatusMillis;
        private long framesAtLastStatus;
        private double measuredFps;
        private boolean closed;

        private CameraSession(CameraInfo camera, Instant connectedSince, Consumer<String> onReplaced) {
            this.camera = camera;
            this.connectedSince = connectedSince;
            this.onReplaced = onReplaced;
            this.lastStatusMillis = connectedSince.toEpochMilli();
        }

        public CameraInfo camera() {
            return camera;
        }

        public long frames() {
            return frameCount;
        }

        /** Frames of the substream received in this session. */
        public long substreamFrames() {
            return substreamFrames;
        }

        /**
         * Publishes a frame and, about once per registry interval, the camera's status; measures the camera's clock
         * and reports when it drifts past the bound or comes back.
         */
        public void frame(Message.Frame frame) {
            Instant now = clock.instant();
            long ingestUs = EpochMicros.of(now);
            metrics.frame(frame.data().length);
            if (frame.substream()) {
                // the main stream alone drives the registry's rate, last frame and the clock estimate
                substreamFrames++;
                boolean implausible = ClockWatch.implausible(frame.captureMicros(), ingestUs);
                if (implausible) {
                    metrics.implausibleCapture();
                }
                frames.publishSubstream(camera.cameraId(), camera.metadata(frame, ingestUs, implausible), frame.data());
                return;
            }
            frameCount++;
            lastFrameAt = now;
            boolean implausible = ClockWatch.implausible(frame.captureMicros(), ingestUs);
            if (implausible) {
                metrics.implausibleCapture();
            }
            cameraClock.sample(frame.captureMicros(), ingestUs);
            frames.publish(camera.cameraId(), camera.metadata(frame, ingestUs, implausible), frame.data());
            long elapsed = now.toEpochMilli() - lastStatusMillis;
            if (elapsed >= registryIntervalMillis) {
                measuredFps = (frameCount - framesAtLastStatus) * 1000.0 / elapsed;
                framesAtLastStatus = frameCount;
                lastStatusMillis = now.toEpochMilli();
                Optional<CameraEvent> clockChange = cameraClock.evaluate(camera.cameraId(), now);
                synchronized (this) {
                    if (!closed) {
                        clockChange.ifPresent(e -> {
                            LOG.infof("camera %s: clock %s (%d ms off the server's, bound %d ms)", camera.cameraId(),
                                    cameraClock.skewed() ? "skewed" : "back within bounds", cameraClock.offsetMs(),
                                    clockBoundMillis);
                            events.publish(e);
                        });
                        writeStatus(now, true, null);
                    }
                }
            }
        }

        /** Ends the session for {@code reason}; only the first call publishes, later ones do nothing. */
        public void close(DisconnectReason reason, String detail) {
            close(reason, detail, true);
        }

        /** {@link #close(DisconnectReason, String)}, publishing nothing when {@code announce} is false. */
        private void close(DisconnectReason reason, String detail, boolean announce) {
            Instant now = clock.instant();
            synchronized (this) {
                if (closed) {
                    return;
                }
                closed = true;
            }
            online.remove(camera.cameraId(), this);
            metrics.sessionClosed(reason.wireName());
            LOG.infof("camera %s disconnected: %s%s (%d frames)", camera.cameraId(), reason.wireName(),
                    detail == null || detail.isEmpty() ? "" : " (" + detail + ")", frameCount);
            if (announce) {
                events.publish(new CameraEvent.CameraDisconnected(camera.cameraId(), now, reason, detail, frameCount));
                writeStatus(now, false, reason);
            }
        }

        /** A session closed without a stated reason lost its connection. */
        @Override
        public void close() {
            close(DisconnectReason.CONNECTION_LOST, "");
        }

        public synchronized boolean isClosed() {
            return closed;
        }

        private void writeStatus(Instant now, boolean isOnline, DisconnectReason reason) {
            double fps = frameCount == 0 ? 0.0 : Math.round(measuredFps * 100.0) / 100.0;
            registry.update(new CameraStatus(camera.cameraId(), camera.name(), isOnline, camera.codec().wireName(),
                    camera.width(), camera.height(), isOnline ? fps : 0.0, connectedSince, lastFrameAt, now,
                    camera.peer(), frameCount, reason, cameraClock.offsetMs(), cameraClock.skewed(),
                    camera.substreamStatus(), instanceId));
        }
    }
}
