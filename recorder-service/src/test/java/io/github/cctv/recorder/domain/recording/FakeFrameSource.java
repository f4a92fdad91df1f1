package io.github.cctv.recorder.domain.recording;

import io.github.cctv.protocol.EpochMicros;
import io.github.cctv.protocol.FrameMetadata;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The frame stream in memory: per camera a list of frames with stream sequences 1, 2, 3…, opened by sequence or by
 * ingest time as JetStream does, acknowledged "all up to here", and able to go away on request.
 */
public final class FakeFrameSource implements FrameSource {

    /** One {@link #open} call. */
    record Opened(String cameraId, Instant startAt, long afterSeq, boolean resumed) {
    }

    final List<Opened> opened = new CopyOnWriteArrayList<>();
    final List<String> forgotten = new CopyOnWriteArrayList<>();
    /** Polls of every stream so far. */
    final AtomicInteger polls = new AtomicInteger();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition added = lock.newCondition();
    private final Map<String, List<Frame>> frames = new HashMap<>();
    private final Map<String, Long> acked = new HashMap<>();
    private volatile boolean unavailable;
    private volatile int pollFailures;
    private volatile boolean held;
    private volatile boolean lagging;

    /** Appends a JPEG frame of {@code cameraId} to the stream; returns its stream sequence. */
    long add(String cameraId, long cameraSeq, long captureUs, long ingestUs, int width, int height) {
        return add(cameraId, cameraSeq, captureUs, ingestUs, width, height, "jpeg", true);
    }

    /** Appends a frame of {@code codec}, a keyframe or not; returns its stream sequence. */
    long add(String cameraId, long cameraSeq, long captureUs, long ingestUs, int width, int height, String codec,
             boolean key) {
        return add(cameraId, cameraSeq, captureUs, ingestUs, width, height, codec, key,
                new byte[]{(byte) cameraSeq, 1, 2, 3});
    }

    /** Appends a frame of {@code codec} holding {@code data} (real JPEG or H.264 bytes); returns its stream sequence. */
    public long add(String cameraId, long cameraSeq, long captureUs, long ingestUs, int width, int height, String codec,
                    boolean key, byte[] data) {
        lock.lock();
        try {
            List<Frame> list = frames.computeIfAbsent(cameraId, k -> new ArrayList<>());
            long streamSeq = list.size() + 1;
            FrameMetadata m = new FrameMetadata(cameraSeq, captureUs, ingestUs, codec, width, height, key);
            list.add(new Frame(cameraId, streamSeq, m, data, 0, () -> ack(cameraId, streamSeq)));
            added.signalAll();
            return streamSeq;
        } finally {
            lock.unlock();
        }
    }

    /** Appends {@code count} 320x240 frames numbered from {@code first}, {@code stepMs} apart from {@code t0}. */
    void addFrames(String cameraId, int first, int count, Instant t0, long stepMs) {
        for (int i = first; i < first + count; i++) {
            long us = EpochMicros.of(t0) + i * stepMs * 1000;
            add(cameraId, i, us, us, 320, 240);
        }
    }

    /**
     * Appends {@code count} 320x240 H.264 frames numbered from {@code first}, {@code stepMs} apart from {@code t0}
     * (capture = ingest time), a keyframe every {@code gop} frames by number.
     */
    void addH264(String cameraId, int first, int count, Instant t0, long stepMs, int gop) {
        for (int i = first; i < first + count; i++) {
            long us = EpochMicros.of(t0) + i * stepMs * 1000;
            add(cameraId, i, us, us, 320, 240, "h264", i % gop == 0);
        }
    }

    /** The highest stream sequence acknowledged so far, 0 for none. */
    public long acked(String cameraId) {
        lock.lock();
        try {
            return acked.getOrDefault(cameraId, 0L);
        } finally {
            lock.unlock();
        }
    }

    /** While true, {@link #open} fails as a missing stream does. */
    void unavailable(boolean value) {
        unavailable = value;
    }

    /** While true, polls deliver nothing and wait (past their own wait) until released: a stream stalled on purpose. */
    void hold(boolean value) {
        lock.lock();
        try {
            held = value;
            added.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * While true, {@link #open} takes every sequence for one beyond the stream's end, as a view of the stream that
     * lags behind (a new leader not caught up yet) does, and opens by time.
     */
    void lagging(boolean value) {
        lagging = value;
    }

    /** The next poll of any open stream fails, as a lost connection does. */
    void failNextPoll() {
        pollFailures = 1;
    }

    private void ack(String cameraId, long streamSeq) {
        lock.lock();
        try {
            acked.merge(cameraId, streamSeq, Math::max);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public FrameStream open(String cameraId, Instant startAt, long afterSeq) {
        if (unavailable) {
            opened.add(new Opened(cameraId, startAt, afterSeq, false));
            throw new FrameStreamUnavailableException("stream does not exist", null);
        }
        lock.lock();
        try {
            List<Frame> list = frames.computeIfAbsent(cameraId, k -> new ArrayList<>());
            boolean resumed = afterSeq > 0 && afterSeq <= list.size() && !lagging;
            int cursor;
            if (resumed) {
                cursor = (int) afterSeq;
            } else {
                long startUs = EpochMicros.of(startAt);
                cursor = 0;
                while (cursor < list.size() && list.get(cursor).metadata().ingestUs() < startUs) {
                    cursor++;
                }
            }
            opened.add(new Opened(cameraId, startAt, afterSeq, resumed));
            return new Stream(list, cursor, resumed);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void forget(String cameraId) {
        forgotten.add(cameraId);
    }

    private final class Stream implements FrameStream {
        private final List<Frame> list;
        private final boolean resumed;
        private int cursor;

        Stream(List<Frame> list, int cursor, boolean resumed) {
            this.list = list;
            this.cursor = cursor;
            this.resumed = resumed;
        }

        @Override
        public boolean resumed() {
            return resumed;
        }

        @Override
        public List<Frame> poll(int max, Duration wait) {
            polls.incrementAndGet();
            if (pollFailures > 0) {
                pollFailures--;
                throw new FrameStreamUnavailableException("connection lost", null);
            }
            lock.lock();
            try {
                while (held) {
                    added.await();
                }
                if (cursor >= list.size()) {
                    added.await(wait.toNanos(), TimeUnit.NANOSECONDS);
                }
                List<Frame> out = new ArrayList<>();
                while (cursor < list.size() && out.size() < max) {
                    out.add(list.get(cursor++));
                }
                return out;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new FrameStreamUnavailableException("interrupted", e);
            } finally {
                lock.unlock();
            }
        }

        @Override
        public void close() {
        }
    }
}
