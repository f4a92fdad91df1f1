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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** The cameras online on this ingest: at most one session per camera id. */
public class CameraSessions {

    private static final Logger LOG = Logger.getLogger(CameraSessions.class);

    private final ConcurrentMap<String, CameraSession> online = new ConcurrentHashMap<>();
    private final FramePublisher frames;
    private final CameraEvents events;
    private final CameraRegistry registry;
    private final IngestMetrics metrics;
    private final Clock clock;
    private final long registryIntervalMillis;

    /** {@code registryInterval}: least time between two registry updates of a streaming camera. */
    public CameraSessions(FramePublisher frames, CameraEvents events, CameraRegistry registry, IngestMetrics metrics,
                          Clock clock, Duration registryInterval) {
        this.frames = frames;
        this.events = events;
        this.registry = registry;
        this.metrics = metrics;
        this.clock = clock;
        this.registryIntervalMillis = registryInterval.toMillis();
    }

    /**
     * Opens the session of a camera: publishes {@code connected} and the online status. The returned
     * session publishes exactly one {@code disconnected} when closed, whatever closes it first.
     */
    public CameraSession open(CameraInfo camera) throws AlreadyOnlineException {
        Instant now = clock.instant();
        CameraSession session = new CameraSession(camera, now);
        if (online.putIfAbsent(camera.cameraId(), session) != null) {
            throw new AlreadyOnlineException(camera.cameraId());
        }
        metrics.sessionOpened();
        LOG.infof("camera %s connected from %s (%s %dx%d @ %.2f fps)", camera.cameraId(), camera.peer(),
                camera.codec().wireName(), camera.width(), camera.height(), camera.fps());
        events.publish(new CameraEvent.CameraConnected(camera.cameraId(), now, camera.name(), camera.codec().wireName(),
                camera.width(), camera.height(), camera.fps(), camera.peer()));
        registry.update(session.status(now, true, null));
        return session;
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
        private volatile long frameCount;
        private volatile Instant lastFrameAt;
        private long lastStatusMillis;
        private long framesAtLastStatus;
        private double measuredFps;
        private boolean closed;

        private CameraSession(CameraInfo camera, Instant connectedSince) {
            this.camera = camera;
            this.connectedSince = connectedSince;
            this.lastStatusMillis = connectedSince.toEpochMilli();
        }

        public CameraInfo camera() {
            return camera;
        }

        public long frames() {
            return frameCount;
        }

        /** Publishes a frame and, about once per registry interval, the camera's status. */
        public void frame(Message.Frame frame) {
            Instant now = clock.instant();
            metrics.frame(frame.data().length);
            frameCount++;
            lastFrameAt = now;
            frames.publish(camera.cameraId(), camera.metadata(frame, EpochMicros.of(now)), frame.data());
            long elapsed = now.toEpochMilli() - lastStatusMillis;
            if (elapsed >= registryIntervalMillis) {
                measuredFps = (frameCount - framesAtLastStatus) * 1000.0 / elapsed;
                framesAtLastStatus = frameCount;
                lastStatusMillis = now.toEpochMilli();
                synchronized (this) {
                    if (!closed) {
                        registry.update(status(now, true, null));
                    }
                }
            }
        }

        /** Ends the session for {@code reason}; only the first call publishes, later ones do nothing. */
        public void close(DisconnectReason reason, String detail) {
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
            events.publish(new CameraEvent.CameraDisconnected(camera.cameraId(), now, reason, detail, frameCount));
            registry.update(status(now, false, reason));
        }

        /** A session closed without a stated reason lost its connection. */
        @Override
        public void close() {
            close(DisconnectReason.CONNECTION_LOST, "");
        }

        public synchronized boolean isClosed() {
            return closed;
        }

        private CameraStatus status(Instant now, boolean isOnline, DisconnectReason reason) {
            double fps = frameCount == 0 ? 0.0 : Math.round(measuredFps * 100.0) / 100.0;
            return new CameraStatus(camera.cameraId(), camera.name(), isOnline, camera.codec().wireName(),
                    camera.width(), camera.height(), isOnline ? fps : 0.0, connectedSince, lastFrameAt, now,
                    camera.peer(), frameCount, reason);
        }
    }
}
