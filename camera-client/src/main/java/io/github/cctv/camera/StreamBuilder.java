package io.github.cctv.camera;

import io.github.cctv.protocol.wire.Codec;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.Objects;

/** The settings one streamed camera and a simulated fleet have in common, for their builders. */
abstract class StreamBuilder<B extends StreamBuilder<B>> {

    String host;
    int port;
    String token = "";
    int width = 1280;
    int height = 720;
    double fps = 15;
    Codec codec = Codec.JPEG;
    EncoderSettings encoding = EncoderSettings.DEFAULTS;
    long frameLimit;
    Clock clock = Clock.systemUTC();
    TlsSettings tls = TlsSettings.OFF;

    @SuppressWarnings("unchecked")
    private B self() {
        return (B) this;
    }

    public B server(String host, int port) {
        this.host = host;
        this.port = port;
        return self();
    }

    /** TLS to the server and how its certificate is checked (default {@link TlsSettings#OFF}: plain TCP). */
    public B tls(TlsSettings tls) {
        this.tls = Objects.requireNonNull(tls, "tls");
        return self();
    }

    public B token(String token) {
        this.token = token;
        return self();
    }

    /** Frame size announced in the hello (default 1280x720) and used by the test pattern. */
    public B size(int width, int height) {
        this.width = width;
        this.height = height;
        return self();
    }

    /** Frames per second (default 15). */
    public B fps(double fps) {
        this.fps = fps;
        return self();
    }

    /** JPEG quality of the test pattern, 0..1 or 1..100 (default 0.8). */
    public B quality(double quality) {
        this.encoding = encoding.withJpegQuality(JpegEncoder.normalizeQuality(quality));
        return self();
    }

    /**
     * Codec of the test pattern: JPEG (the default here, encoded by ImageIO) or H.264 (FFmpeg, see
     * {@link #encoding}). The command line defaults to H.264.
     */
    public B codec(Codec codec) {
        this.codec = Objects.requireNonNull(codec, "codec");
        return self();
    }

    /** H.264 encoder, bitrate and keyframe interval, and JPEG quality. */
    public B encoding(EncoderSettings settings) {
        this.encoding = Objects.requireNonNull(settings, "settings");
        return self();
    }

    /** Stop with a goodbye after this many frames (per camera); 0 (default) streams until stopped. */
    public B frameLimit(long frames) {
        this.frameLimit = frames;
        return self();
    }

    /** Clock for capture and heartbeat timestamps. */
    public B clock(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        return self();
    }

    float quality() {
        return encoding.jpegQuality();
    }

    /** The moving test pattern named {@code name}, in this builder's codec. */
    FrameSource pattern(String name) {
        return pattern(name, width, height, fps, codec, encoding);
    }

    /** The moving test pattern named {@code name} at another size, rate and codec (a substream). */
    FrameSource pattern(String name, int w, int h, double rate, Codec c, EncoderSettings settings) {
        TestPatternSource pattern = new TestPatternSource(name, w, h, settings.jpegQuality(), clock);
        if (c == Codec.JPEG) {
            return pattern;
        }
        try {
            return new EncodedPatternSource(pattern, VideoEncoder.of(c, settings, w, h, rate), rate);
        } catch (IOException e) {
            pattern.close();
            throw new UncheckedIOException(e);
        }
    }

    void requireServer() {
        if (host == null) {
            throw new IllegalArgumentException("server host and port are required");
        }
    }
}
