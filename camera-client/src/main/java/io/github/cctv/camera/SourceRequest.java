package io.github.cctv.camera;

import io.github.cctv.protocol.wire.Codec;

import java.time.Duration;
import java.util.Objects;

/**
 * What the command line asks of a grabbed source. Only what is given explicitly constrains it: a size,
 * rate or codec left out means "as the camera sends it", so an encoded camera is passed through.
 *
 * @param format        FFmpeg input format to force ({@code mjpeg}, {@code mpjpeg}, {@code video4linux2}…), or null
 * @param inputFormat   a V4L2 device's pixel format ({@code mjpeg}, {@code h264}, {@code yuyv422}…), or null
 * @param rtspTransport {@code tcp} or {@code udp}
 * @param width         wanted width, or null
 * @param height        wanted height, or null
 * @param fps           wanted frames per second, or null
 * @param codec         wanted codec on the wire, or null (the source's own if carried, else {@code rawCodec})
 * @param rawCodec      the codec to encode into when encoding is needed and none was asked
 * @param transcode     decode and encode again even when the source could be passed through
 * @param queueBytes    bytes a live source holds for the network (a slow first connection, an outage) before
 *                      it drops new frames; 0 for {@link #DEFAULT_QUEUE_BYTES}
 * @param backlogMaxAge on a reconnect, queued frames captured longer ago than this are discarded; null for
 *                      {@link #DEFAULT_BACKLOG_MAX_AGE}
 */
public record SourceRequest(String format, String inputFormat, String rtspTransport, Integer width, Integer height,
                            Double fps, Codec codec, Codec rawCodec, boolean transcode, EncoderSettings encoding,
                            long queueBytes, Duration backlogMaxAge) {

    /** 64 MiB: about 35 s of 720p30 MJPEG at 15 Mbit/s, minutes of H.264 at 2 Mbit/s. */
    public static final long DEFAULT_QUEUE_BYTES = 64L * 1024 * 1024;
    public static final Duration DEFAULT_BACKLOG_MAX_AGE = Duration.ofSeconds(60);

    public SourceRequest(String format, String inputFormat, String rtspTransport, Integer width, Integer height,
                         Double fps, Codec codec, Codec rawCodec, boolean transcode, EncoderSettings encoding) {
        this(format, inputFormat, rtspTransport, width, height, fps, codec, rawCodec, transcode, encoding, 0, null);
    }

    public SourceRequest {
        if (queueBytes < 0) {
            throw new IllegalArgumentException("queue size must be positive, got " + queueBytes + " bytes");
        }
        queueBytes = queueBytes == 0 ? DEFAULT_QUEUE_BYTES : queueBytes;
        backlogMaxAge = backlogMaxAge == null ? DEFAULT_BACKLOG_MAX_AGE : backlogMaxAge;
        if (backlogMaxAge.isNegative()) {
            throw new IllegalArgumentException("backlog age must not be negative, got " + backlogMaxAge);
        }
        rtspTransport = rtspTransport == null ? "tcp" : rtspTransport;
        if (!rtspTransport.equals("tcp") && !rtspTransport.equals("udp")) {
            throw new IllegalArgumentException("RTSP transport must be tcp or udp, got '" + rtspTransport + "'");
        }
        if ((width == null) != (height == null)) {
            throw new IllegalArgumentException("give both width and height, or neither");
        }
        Objects.requireNonNull(rawCodec, "rawCodec");
        Objects.requireNonNull(encoding, "encoding");
    }

    /** Everything as the camera sends it; raw sources encoded to H.264 with the default settings. */
    public static SourceRequest asSent() {
        return new SourceRequest(null, null, "tcp", null, null, null, null, Codec.H264, false, EncoderSettings.DEFAULTS);
    }

    public SourceRequest withSize(int w, int h) {
        return new SourceRequest(format, inputFormat, rtspTransport, w, h, fps, codec, rawCodec, transcode, encoding,
                queueBytes, backlogMaxAge);
    }

    public SourceRequest withFps(double f) {
        return new SourceRequest(format, inputFormat, rtspTransport, width, height, f, codec, rawCodec, transcode, encoding,
                queueBytes, backlogMaxAge);
    }

    public SourceRequest withCodec(Codec c) {
        return new SourceRequest(format, inputFormat, rtspTransport, width, height, fps, c, rawCodec, transcode, encoding,
                queueBytes, backlogMaxAge);
    }

    public SourceRequest withTranscode(boolean t) {
        return new SourceRequest(format, inputFormat, rtspTransport, width, height, fps, codec, rawCodec, t, encoding,
                queueBytes, backlogMaxAge);
    }

    public SourceRequest withRtspTransport(String t) {
        return new SourceRequest(format, inputFormat, t, width, height, fps, codec, rawCodec, transcode, encoding,
                queueBytes, backlogMaxAge);
    }

    /** The live queue bounded at {@code bytes}, stale frames older than {@code maxAge} at a reconnect. */
    public SourceRequest withQueue(long bytes, Duration maxAge) {
        return new SourceRequest(format, inputFormat, rtspTransport, width, height, fps, codec, rawCodec, transcode, encoding,
                bytes, maxAge);
    }

    public SourceRequest withFormat(String f) {
        return new SourceRequest(f, inputFormat, rtspTransport, width, height, fps, codec, rawCodec, transcode, encoding,
                queueBytes, backlogMaxAge);
    }
}
