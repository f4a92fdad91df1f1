package io.github.cctv.ingest.messaging;

import io.github.cctv.ingest.config.IngestConfig;
import io.github.cctv.ingest.domain.CameraEvents;
import io.github.cctv.ingest.domain.CameraRegistry;
import io.github.cctv.ingest.domain.CameraSessions;
import io.github.cctv.ingest.health.IngestMetrics;
import io.github.cctv.protocol.Subjects;
import io.github.cctv.protocol.event.CameraEvent;
import io.github.cctv.protocol.event.CameraStatus;
import io.github.cctv.protocol.event.DisconnectReason;
import io.github.cctv.protocol.event.Events;
import io.nats.client.Connection;
import io.nats.client.KeyValue;
import io.nats.client.PublishOptions;
import io.nats.client.api.KeyValueEntry;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Everything ingest writes to JetStream besides frames: events (in order) and registry entries (newest per
 * camera wins). Callers only enqueue; one worker thread makes the blocking NATS calls, sets up the streams
 * when a connection comes up, and holds everything in a bounded queue while NATS is away.
 */
@ApplicationScoped
public class NatsOutbox implements CameraEvents, CameraRegistry {

    private static final Logger LOG = Logger.getLogger(NatsOutbox.class);
    private static final long RETRY_MILLIS = 500;

    private final NatsClient client;
    private final StreamSetup setup;
    private final CameraSessions sessions;
    private final IngestMetrics metrics;
    private final Clock clock;
    private final int capacity;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<PendingEvent> events = new ArrayDeque<>();
    private final LinkedHashMap<String, CameraStatus> statuses = new LinkedHashMap<>();
    private boolean connected;
    private boolean setupNeeded;
    private boolean stopped;
    private boolean swept;
    private volatile boolean streamsReady;
    private Thread worker;

    public NatsOutbox(NatsClient client, StreamSetup setup, CameraSessions sessions, IngestMetrics metrics, Clock clock,
                      IngestConfig config) {
        this.client = client;
        this.setup = setup;
        this.sessions = sessions;
        this.metrics = metrics;
        this.clock = clock;
        this.capacity = config.outboxCapacity();
    }

    /** Starts the worker; call before the NATS connection starts so that no connect is missed. */
    public synchronized void start() {
        if (worker != null) {
            return;
        }
        client.addListener(this::connectionChanged);
        worker = new Thread(this::run, "cctv-ingest-outbox");
        worker.setDaemon(true);
        worker.start();
    }

    /** True once the streams and bucket are in place on the current connection. */
    public boolean streamsReady() {
        return streamsReady;
    }

    public int pending() {
        lock.lock();
        try {
            return events.size() + statuses.size();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void publish(CameraEvent event) {
        lock.lock();
        try {
            if (events.size() >= capacity) {
                PendingEvent lost = events.pollFirst();
                metrics.outboxDropped("event");
                LOG.warnf("outbox full: dropped %s event of %s", lost.event().type(), lost.event().cameraId());
            }
            events.addLast(new PendingEvent(event, UUID.randomUUID().toString()));
            changedLocked();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void update(CameraStatus status) {
        lock.lock();
        try {
            // re-insert so that the queue keeps the order of the newest updates
            statuses.remove(status.cameraId());
            if (statuses.size() >= capacity) {
                Iterator<String> oldest = statuses.keySet().iterator();
                String lost = oldest.next();
                oldest.remove();
                metrics.outboxDropped("registry");
                LOG.warnf("outbox full: dropped registry update of %s", lost);
            }
            statuses.put(status.cameraId(), status);
            changedLocked();
        } finally {
            lock.unlock();
        }
    }

    /** Waits up to {@code timeout} for the queue to reach NATS (not at all if NATS is away), then stops the worker. */
    public void flushAndStop(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        lock.lock();
        try {
            while (connected && (events.size() + statuses.size()) > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                changed.awaitNanos(left);
            }
            int lost = events.size() + statuses.size();
            if (lost > 0) {
                LOG.warnf("stopping with %d events/registry updates not delivered to NATS", lost);
            }
            stopped = true;
            changed.signalAll();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            lock.unlock();
        }
        Thread w = worker;
        if (w != null) {
            w.interrupt();
            try {
                w.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    // called on a jnats thread: flags only
    private void connectionChanged(boolean up) {
        lock.lock();
        try {
            connected = up;
            if (up) {
                setupNeeded = true;
            } else {
                streamsReady = false;
            }
            changedLocked();
        } finally {
            lock.unlock();
        }
    }

    private void changedLocked() {
        metrics.outboxSize(events.size() + statuses.size());
        changed.signalAll();
    }

    private void run() {
        while (true) {
            boolean doSetup = false;
            PendingEvent event = null;
            CameraStatus status = null;
            lock.lock();
            try {
                while (true) {
                    if (stopped) {
                        return;
                    }
                    if (connected && setupNeeded) {
                        doSetup = true;
                        break;
                    }
                    if (connected && streamsReady && !events.isEmpty()) {
                        event = events.peekFirst();
                        break;
                    }
                    if (connected && streamsReady && !statuses.isEmpty()) {
                        status = statuses.values().iterator().next();
                        break;
                    }
                    changed.await(1, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                return;
            } finally {
                lock.unlock();
            }
            Connection conn = client.connection();
            try {
                if (doSetup) {
                    setUp(conn);
                } else if (event != null) {
                    conn.jetStream().publish(Subjects.event(event.event().cameraId(), event.event().type()),
                            Events.toJson(event.event()), PublishOptions.builder().messageId(event.id()).build());
                    done(event, null);
                } else {
                    conn.keyValue(Subjects.CAMERAS_BUCKET).put(status.cameraId(), Events.write(status));
                    done(null, status);
                }
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                if (!doSetup) {
                    metrics.publishFailure(event != null ? "event" : "registry");
                }
                LOG.warnf("NATS %s failed, will retry: %s", doSetup ? "stream setup" : event != null ? "event publish"
                        : "registry update", e.toString());
                if (!pause()) {
                    return;
                }
            }
        }
    }

    private void setUp(Connection conn) throws Exception {
        setup.ensure(conn);
        if (!swept) {
            markStaleOffline(conn);
            swept = true;
        }
        lock.lock();
        try {
            setupNeeded = false;
            streamsReady = true;
            changedLocked();
        } finally {
            lock.unlock();
        }
        LOG.info("streams and camera registry ready");
    }

    /** A previous run that crashed left its cameras "online"; they are not, unless they are connected here. */
    private void markStaleOffline(Connection conn) throws Exception {
        KeyValue kv = conn.keyValue(Subjects.CAMERAS_BUCKET);
        Instant now = clock.instant();
        int marked = 0;
        for (String key : kv.keys()) {
            KeyValueEntry entry = kv.get(key);
            if (entry == null || entry.getValue() == null || sessions.isOnline(key)) {
                continue;
            }
            CameraStatus s;
            try {
                s = Events.read(entry.getValue(), CameraStatus.class);
            } catch (IllegalArgumentException e) {
                LOG.warnf("registry entry %s is not a camera status, left alone: %s", key, e.getMessage());
                continue;
            }
            if (!s.online()) {
                continue;
            }
            Instant lastSeen = s.lastFrameAt() != null ? s.lastFrameAt() : s.lastSeen();
            kv.put(key, Events.write(new CameraStatus(s.cameraId(), s.name(), false, s.codec(), s.width(), s.height(),
                    0.0, s.connectedSince(), s.lastFrameAt(), lastSeen, s.peer(), s.frames(),
                    DisconnectReason.CONNECTION_LOST)));
            // the previous run's "connected" never got its pair
            publish(new CameraEvent.CameraDisconnected(key, now, DisconnectReason.CONNECTION_LOST,
                    "ingest restarted", s.frames()));
            marked++;
        }
        if (marked > 0) {
            LOG.infof("marked %d cameras offline that a previous run left online", marked);
        }
    }

    private void done(PendingEvent event, CameraStatus status) {
        lock.lock();
        try {
            if (event != null && events.peekFirst() == event) {
                events.pollFirst();
            }
            if (status != null) {
                statuses.remove(status.cameraId(), status);
            }
            changedLocked();
        } finally {
            lock.unlock();
        }
    }

    private boolean pause() {
        lock.lock();
        try {
            if (!stopped) {
                changed.await(RETRY_MILLIS, TimeUnit.MILLISECONDS);
            }
            return !stopped;
        } catch (InterruptedException e) {
            return false;
        } finally {
            lock.unlock();
        }
    }

    private record PendingEvent(CameraEvent event, String id) {
    }
}
