package io.github.cctv.bench;

import io.github.cctv.nats.FrameMessages;
import io.github.cctv.protocol.EpochMicros;
import io.github.cctv.protocol.FrameMetadata;
import io.github.cctv.protocol.Subjects;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Message;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A NATS subscriber on every camera's frames, as the recorder or dashboard would be: counts frames per
 * camera, sequence gaps, and the latency from capture (camera clock, same machine) to receipt.
 */
final class FrameProbe implements AutoCloseable {

    private final Dispatcher dispatcher;
    private final Samples latency = new Samples();
    private final Map<String, long[]> perCamera = new ConcurrentHashMap<>(); // {frames, lastSeq, gaps, bytes}
    private final AtomicLong frames = new AtomicLong();
    private volatile boolean measuring;

    FrameProbe(Connection nats) {
        dispatcher = nats.createDispatcher(this::onMessage);
        dispatcher.setPendingLimits(1_000_000, 4L * 1024 * 1024 * 1024);
        dispatcher.subscribe(Subjects.FRAMES_ALL);
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

    /** Frames received from cameras whose id starts with {@code prefix}. */
    long frames(String prefix) {
        return perCamera.entrySet().stream().filter(e -> e.getKey().startsWith(prefix)).mapToLong(e -> e.getValue()[0]).sum();
    }

    /** Frame bytes (the bodies: what the cameras encoded) received from cameras whose id starts with {@code prefix}. */
    long bytes(String prefix) {
        return perCamera.entrySet().stream().filter(e -> e.getKey().startsWith(prefix)).mapToLong(e -> e.getValue()[3]).sum();
    }

    /** How many of {@code ids} have had at least one frame received. */
    long camerasSeen(java.util.Collection<String> ids) {
        return ids.stream().filter(perCamera::containsKey).count();
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
        dispatcher.unsubscribe(Subjects.FRAMES_ALL);
    }
}
