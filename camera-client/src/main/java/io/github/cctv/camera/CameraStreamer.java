package io.github.cctv.camera;

import io.github.cctv.protocol.wire.Codec;
import io.github.cctv.protocol.wire.Message;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Streams one camera to an ingest server over the CCTV wire protocol: hello, frames at the configured
 * fps, heartbeats when idle, a goodbye on {@link #stop()} or after the frame limit, and reconnection with
 * exponential backoff whenever the connection fails. Everything runs on one background thread.
 *
 * <pre>{@code
 * try (CameraStreamer cam = CameraStreamer.builder().server("127.0.0.1", 9000).id("cam1").frameLimit(100).build()) {
 *     cam.start();
 *     cam.awaitDone(Duration.ofSeconds(30));
 * }
 * }</pre>
 */
public final class CameraStreamer extends StreamHandle {

    private final Session session;

    private CameraStreamer(Session session, List<FrameSource> sources) {
        super(new StreamLoop("camera-" + session.cameraId(), List.of(session), sources));
        this.session = session;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Starts connecting and streaming in the background; returns at once. */
    public CameraStreamer start() {
        startLoop();
        return this;
    }

    public Outcome outcome() {
        return session.outcome();
    }

    /** The rejection that ended the stream, when {@link #outcome()} is {@link Outcome#REJECTED}. */
    public Message.Reject rejection() {
        return session.fatalReject();
    }

    public String cameraId() {
        return session.cameraId();
    }

    /** The substream the hello announces, or null. */
    public StreamFormat substreamFormat() {
        return session.substreamFormat();
    }

    /** What the hello announces: codec, size and rate. */
    public StreamFormat format() {
        return session.format();
    }

    /** Settings of a {@link CameraStreamer}; server and id are required, the rest has defaults. */
    public static final class Builder extends StreamBuilder<Builder> {
        private String id;
        private String name;
        private FrameSource source;
        private FrameSource substream;
        private int substreamWidth;
        private int substreamHeight;
        private double substreamFps;
        private StreamListener listener = new StreamListener() {
        };
        private Duration initialBackoff = Duration.ofMillis(500);
        private Duration maxBackoff = Duration.ofSeconds(30);
        private Duration connectTimeout = Duration.ofSeconds(5);
        private Duration handshakeTimeout = Duration.ofSeconds(10);

        private Builder() {
        }

        /** Camera id, {@code [A-Za-z0-9_-]{1,64}}. */
        public Builder id(String id) {
            this.id = id;
            return this;
        }

        /** Display name; defaults to the id. */
        public Builder name(String name) {
            this.name = name;
            return this;
        }

        /** Where frames come from; default the test pattern with the name, size, rate and codec. */
        public Builder source(FrameSource source) {
            this.source = source;
            return this;
        }

        /**
         * A second, smaller stream sent on the same connection (version 2 hello, frames flagged as substream): an
         * already encoded source such as an IP camera's second stream. It must state its {@link FrameSource#format()}.
         */
        public Builder substream(FrameSource substream) {
            this.substream = substream;
            return this;
        }

        /** A substream of the test pattern, drawn again at this size and rate and encoded to H.264. */
        public Builder substreamPattern(int width, int height, double fps) {
            this.substreamWidth = width;
            this.substreamHeight = height;
            this.substreamFps = fps;
            return this;
        }

        public Builder listener(StreamListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /** Reconnection delays: the first one, doubled up to the max (defaults 0.5 s and 30 s). */
        public Builder backoff(Duration initial, Duration max) {
            this.initialBackoff = initial;
            this.maxBackoff = max;
            return this;
        }

        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = timeout;
            return this;
        }

        public CameraStreamer build() {
            requireServer();
            if (id == null) {
                throw new IllegalArgumentException("camera id is required");
            }
            StreamConfig config = new StreamConfig(host, port, id, name, token, width, height, fps, frameLimit,
                    initialBackoff, maxBackoff, connectTimeout, handshakeTimeout, tls);
            FrameSource src = source != null ? source : pattern(config.displayName());
            FrameSource sub = substream;
            if (sub == null && substreamWidth > 0) {
                sub = pattern(config.displayName(), substreamWidth, substreamHeight, substreamFps, Codec.H264,
                        EncoderSettings.autoBitrate(encoding));
            }
            List<FrameSource> sources = sub == null ? List.of(src) : List.of(src, sub);
            return new CameraStreamer(new Session(config, src, sub, listener, clock), sources);
        }
    }
}
