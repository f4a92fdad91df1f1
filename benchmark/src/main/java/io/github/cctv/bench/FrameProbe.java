package io.github.cctv.bench;

import io.github.cctv.nats.FrameMessages;
import io.github.cctv.protocol.EpochMicros;
import io.github.cctv.protocol.FrameMetadata;
import io.github.cctv.protocol.Subjects;
import io.github.cctv.protocol.event.CameraStatus;
import io.github.cctv.protocol.event.Events;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Message;

import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A NATS subscriber on every camera's frames, as the recorder or dashboard would be: counts frames per
 * camera, sequence gaps, and the latency from capture (camera clock, same machine) to receipt. Or, so that NATS
 * does not serve the measurement one more copy of every frame, on the frames of the cameras it is told to
 * {@link #follow} only, every other camera's frames counted from its registry entry (ingest's count, written
 * about once a second).
 */
final class FrameProbe implements AutoCloseable {

    private static final String REGISTRY_UPDATES = "$KV." + Subjects.CAMERAS_BUCKET + ".>";

    private final Dispatcher dispatcher;
    private final boolean everyCamera;
    private final Samples latency = new Samples();
    private final Map<String, long[]> perCamera = new ConcurrentHashMap<>(); // {frames, lastSeq, gaps, bytes}
    private final Map<String, Long> registryFrames = new ConcurrentHashMap<>();
    private final Set<String> followed = ConcurrentHashMap.newKeySet();
    private final AtomicLong frames = new AtomicLong();
    private volatile boolean measuring;

    /** A probe on every camera's frames. */
    FrameProbe(Connection nats) {
        this(nats, true);
    }

    /** With {@code everyCamera} false, on the frames of the cameras given to {@link #follow} and the registry. */
    FrameProbe(Connection nats, boolean everyCamera) {
        this.everyCamera = everyCamera;
        dispatcher = nats.createDispatcher(this::onMessage);
        dispatcher.setPendingLimits(1_000_000, 4L * 1024 * 1024 * 1024);
        if (everyCamera) {
            dispatcher.subscribe(Subjects.FRAMES_ALL);
        } else {
            dispatcher.subscribe(REGISTRY_UPDATES, this::onRegistryUpdate);
        }
    }

    /** Receives the frames of {@code cameraIds} from now on (a probe on every camera receives them already). */
    void follow(Collection<String> cameraIds) {
        if (!everyCamera) {
            cameraIds.stream().filter(followed::add).forEach(id -> dispatcher.subscribe(Subjects.frames(id)));
        }
    }

    private void onRegistryUpdate(Message m) {
        if (m.getData() == null || m.getData().length == 0) {
            return; // a removed entry
        }
        try {
            CameraStatus s = Events.read(m.getData(), CameraStatus.class);
            registryFrames.merge(s.cameraId(), s.frames(), Math::max);
        } catch (IllegalArgumentException e) {
            // not a camera status: nothing to count
        }
    }

    private void onMessage(Message m) {
        long now = nowMicros();
        String id = Subjects.cameraIdOf(m.getSubject());
        FrameMetadata frame = FrameMessages.metadata(m.getHeaders());
        long seq = frame.seq();
        long capture = frame.captureUs();
        long[] c = perCamera.computeIfAbsent(id, k -> new long[]{0, seq - 1, 0, 0});
        c[0]++;
        c[3] += m.getData() == null ? 0 : m.getData().length;
        if (seq != c[1] + 1) {
            c[2] += Math.max(0, seq - c[1] - 1);
        }
        c[1] = seq;
        frames.incrementAndGet();
        if (measuring) {
            latency.add(now - capture);
        }
    }

    static long nowMicros() {
        return EpochMicros.of(Instant.now());
    }

    void startMeasuring() {
        latency.clear();
        measuring = true;
    }

    void stopMeasuring() {
        measuring = false;
    }

    Samples latency() {
        return latency;
    }

    long frames() {
        return frames.get();
    }

    /**
     * Frames that reached NATS from cameras whose id starts with {@code prefix}: those received, or for a camera whose
     * frames are not received, ingest's count in its registry entry.
     */
    long frames(String prefix) {
        long received = perCamera.entrySet().stream().filter(e -> e.getKey().startsWith(prefix))
                .mapToLong(e -> e.getValue()[0]).sum();
        long counted = registryFrames.entrySet().stream()
                .filter(e -> e.getKey().startsWith(prefix) && !perCamera.containsKey(e.getKey()))
                .mapToLong(Map.Entry::getValue).sum();
        return received + counted;
    }

    /** Frame bytes (the bodies: what the cameras encoded) received from cameras whose id starts with {@code prefix}. */
    long bytes(String prefix) {
        return perCamera.entrySet().stream().filter(e -> e.getKey().startsWith(prefix)).mapToLong(e -> e.getValue()[3]).sum();
    }

    /** How many of {@code ids} have had at least one frame received. */
    long camerasSeen(Collection<String> ids) {
        return ids.stream().filter(id -> perCamera.containsKey(id) || registryFrames.getOrDefault(id, 0L) > 0).count();
    }

    /** Sequence numbers never received, from cameras whose id starts with {@code prefix}. */
    long gaps(String prefix) {
        return perCamera.entrySet().stream().filter(e -> e.getKey().startsWith(prefix)).mapToLong(e -> e.getValue()[2]).sum();
    }

    long droppedByClient() {
        return dispatcher.getDroppedCount();
    }

    @Override
    public void close() {
        dispatcher.unsubscribe(everyCamera ? Subjects.FRAMES_ALL : REGISTRY_UPDATES);
        followed.forEach(id -> dispatcher.unsubscribe(Subjects.frames(id)));
    }
}
