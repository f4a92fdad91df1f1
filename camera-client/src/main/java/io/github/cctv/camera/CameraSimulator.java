package io.github.cctv.camera;

import io.github.cctv.protocol.wire.Codec;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.IntStream;

/**
 * Many cameras from one process for load tests: cameras {@code <prefix>-01 … <prefix>-NN}, each streaming
 * a cycle of distinct test-pattern frames (its name and a counter burned in) that are encoded once at
 * start, as JPEG or as H.264 with a key frame every keyframe interval (the cycle is a whole number of
 * key-frame groups, so it loops from one IDR back to the first); afterwards only sequence numbers and
 * capture times change, and one thread drives every camera.
 */
public final class CameraSimulator extends StreamHandle {

    private final List<String> ids;

    private CameraSimulator(StreamLoop loop, List<String> ids) {
        super(loop);
        this.ids = ids;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The camera ids, in order. */
    public List<String> ids() {
        return ids;
    }

    /** Starts every camera in the background; returns at once. */
    public CameraSimulator start() {
        startLoop();
        return this;
    }

    /** {@link Outcome#REJECTED} if any camera was refused for good, else the first camera's outcome. */
    public Outcome outcome() {
        for (Session s : loop.sessions()) {
            if (s.outcome() == Outcome.REJECTED) {
                return Outcome.REJECTED;
            }
        }
        return loop.sessions().get(0).outcome();
    }

    /** The first fatal rejection, or {@code null}. */
    public io.github.cctv.protocol.wire.Message.Reject rejection() {
        for (Session s : loop.sessions()) {
            if (s.fatalReject() != null) {
                return s.fatalReject();
            }
        }
        return null;
    }

    /** Camera id {@code i} (1-based) of {@code count} with this prefix: {@code cam-01}, or {@code cam-001} past 99. */
    static String simulatedId(String prefix, int i, int count) {
        int digits = Math.max(2, String.valueOf(count).length());
        return prefix + "-" + String.format("%0" + digits + "d", i);
    }

    /** A pre-encoded cycle of frames, stamped with the time when polled. */
    static final class CyclingSource implements FrameSource {
        private final List<SourceFrame> frames;
        private final StreamFormat format;
        private int next;

        CyclingSource(List<SourceFrame> frames, StreamFormat format) {
            if (frames.isEmpty() || !frames.get(0).keyFrame()) {
                throw new IllegalArgumentException("a cycle starts with a key frame");
            }
            this.frames = List.copyOf(frames);
            this.format = format;
        }

        @Override
        public StreamFormat format() {
            return format;
        }

        @Override
        public SourceFrame poll(long frameNumber, long nowMicros) {
            SourceFrame f = frames.get(next);
            next = (next + 1) % frames.size();
            return new SourceFrame(f.data(), nowMicros, f.keyFrame());
        }

        /** Moves on to the next key frame of the cycle (JPEG: the next frame is one). */
        @Override
        public void startAtKeyFrame() {
            while (!frames.get(next).keyFrame()) {
                next = (next + 1) % frames.size();
            }
        }
    }

    /** {@code frames} test-pattern frames of one camera, counters 1…frames, as {@code codec}. */
    static List<SourceFrame> encodeCycle(StreamBuilder<?> b, String name, int frames, Instant stamp) {
        return encodeCycle(b, name, b.width, b.height, b.fps, b.encoding, frames, stamp);
    }

    /** The same at another size and rate (a substream's), in the builder's codec. */
    static List<SourceFrame> encodeCycle(StreamBuilder<?> b, String name, int width, int height, double fps,
                                         EncoderSettings encoding, int frames, Instant stamp) {
        try (TestPatternSource pattern = new TestPatternSource(name, width, height, b.quality(), b.clock)) {
            List<SourceFrame> cycle = new ArrayList<>(frames);
            if (b.codec == Codec.JPEG) {
                for (int n = 0; n < frames; n++) {
                    cycle.add(new SourceFrame(pattern.jpeg(n + 1, stamp.plusNanos((long) (n * 1e9 / fps))), 0));
                }
                return cycle;
            }
            int gop = encoding.gopFrames(fps);
            try (VideoEncoder encoder = VideoEncoder.of(b.codec, encoding, width, height, fps)) {
                for (int n = 0; n < frames; n++) {
                    if (n % gop == 0) {
                        encoder.forceKeyFrame();
                    }
                    cycle.addAll(encoder.encode(pattern.render(n + 1, stamp.plusNanos((long) (n * 1e9 / fps))), n));
                }
                cycle.addAll(encoder.flush());
            }
            return cycle;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static final class Builder extends StreamBuilder<Builder> {
        private String idPrefix = "sim";
        private String namePrefix;
        private int count = 1;
        private int cycleFrames = 30;
        private int subWidth;
        private int subHeight;
        private double subFps;
        private Function<String, StreamListener> listeners = id -> new StreamListener() {
        };

        private Builder() {
        }

        /** Ids are {@code <prefix>-01}…; the prefix must itself be a valid camera id. */
        public Builder idPrefix(String prefix) {
            this.idPrefix = prefix;
            return this;
        }

        /** Display names are {@code <namePrefix> 01}…; defaults to the ids. */
        public Builder namePrefix(String prefix) {
            this.namePrefix = prefix;
            return this;
        }

        public Builder cameras(int count) {
            this.count = count;
            return this;
        }

        /**
         * Distinct frames per camera, encoded once at start and sent in a loop (default 30); for H.264
         * rounded up to a whole number of key-frame intervals.
         */
        public Builder cycleFrames(int frames) {
            this.cycleFrames = frames;
            return this;
        }

        /**
         * Every camera also sends a substream of this size and rate (the test pattern drawn again, pre-encoded in the
         * builder's codec at the automatic bitrate for its size), on the same connection.
         */
        public Builder substream(int width, int height, double fps) {
            this.subWidth = width;
            this.subHeight = height;
            this.subFps = fps;
            return this;
        }

        /** A listener per camera id. */
        public Builder listeners(Function<String, StreamListener> listeners) {
            this.listeners = Objects.requireNonNull(listeners, "listeners");
            return this;
        }

        /** Checks the settings and encodes every camera's frame cycle (in parallel, on all cores). */
        public CameraSimulator build() {
            if (count < 1 || count > 9999) {
                throw new IllegalArgumentException("number of simulated cameras " + count + " outside 1..9999");
            }
            if (cycleFrames < 1 || cycleFrames > 10_000) {
                throw new IllegalArgumentException("cycle of " + cycleFrames + " frames outside 1..10000");
            }
            requireServer();
            List<StreamConfig> configs = new ArrayList<>();
            List<String> ids = new ArrayList<>();
            for (int i = 1; i <= count; i++) {
                String id = simulatedId(idPrefix, i, count);
                String name = namePrefix == null ? id : namePrefix + " " + id.substring(idPrefix.length() + 1);
                configs.add(new StreamConfig(host, port, id, name, token, width, height, fps, frameLimit,
                        Duration.ofMillis(500), Duration.ofSeconds(30), Duration.ofSeconds(5), Duration.ofSeconds(10), tls));
                ids.add(id);
            }
            Instant stamp = clock.instant();
            int gop = encoding.gopFrames(fps);
            int frames = codec == Codec.JPEG ? cycleFrames : (cycleFrames + gop - 1) / gop * gop;
            StreamFormat format = new StreamFormat(codec, width, height, fps);
            List<FrameSource> sources = IntStream.range(0, count).parallel()
                    .mapToObj(i -> (FrameSource) new CyclingSource(
                            encodeCycle(this, configs.get(i).displayName(), frames, stamp), format))
                    .toList();
            List<FrameSource> subs = List.of();
            if (subWidth > 0) {
                if (!(subFps >= 0.01 && subFps <= 1000)) {
                    throw new IllegalArgumentException("substream fps " + subFps + " outside 0.01..1000");
                }
                EncoderSettings subEncoding = EncoderSettings.autoBitrate(encoding);
                int subGop = subEncoding.gopFrames(subFps);
                int wanted = Math.max(1, (int) Math.ceil(frames * subFps / fps));
                int subFrames = codec == Codec.JPEG ? wanted : (wanted + subGop - 1) / subGop * subGop;
                StreamFormat subFormat = new StreamFormat(codec, subWidth, subHeight, subFps);
                subs = IntStream.range(0, count).parallel()
                        .mapToObj(i -> (FrameSource) new CyclingSource(encodeCycle(this, configs.get(i).displayName(),
                                subWidth, subHeight, subFps, subEncoding, subFrames, stamp), subFormat))
                        .toList();
            }
            List<Session> sessions = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                sessions.add(new Session(configs.get(i), sources.get(i), subs.isEmpty() ? null : subs.get(i),
                        listeners.apply(ids.get(i)), clock));
            }
            List<FrameSource> all = new ArrayList<>(sources);
            all.addAll(subs);
            return new CameraSimulator(new StreamLoop("camera-simulator", sessions, all), List.copyOf(ids));
        }
    }
}
