package io.github.cctv.camera;

import io.github.cctv.protocol.wire.Codec;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Command-line options of {@link CameraClient}, parsed and checked. Size, rate and codec stay null when
 * not given: for a camera that means "as it sends", so that it is passed through.
 */
record ClientOptions(String host, int port, String id, String name, String token, String source, String format,
                     String inputFormat, String rtspTransport, Integer width, Integer height, Double fps,
                     Codec codec, boolean transcode, EncoderSettings encoding, long frames,
                     int statsIntervalSeconds, int simulate, int cycle, boolean help,
                     String substreamSource, Integer substreamWidth, Integer substreamHeight, Double substreamFps,
                     int queueMb, int backlogMaxAgeSeconds, boolean tls, String caFile, String pin) {

    static final int DEFAULT_WIDTH = 1280;
    static final int DEFAULT_HEIGHT = 720;
    static final double DEFAULT_FPS = 15;

    static final String USAGE = """
            Usage: java -jar camera-client.jar --server HOST:PORT --id ID [options]

            Streams a camera to a CCTV ingest server over the CCTV wire protocol. A camera that sends
            JPEG (HTTP MJPEG, MJPEG webcams) or H.264 (RTSP, H.264 webcams and files) is passed through
            unchanged, never decoded; anything else is encoded here.

            Required:
              --server HOST:PORT     ingest server address
              --id ID                camera id: letters, digits, '_' and '-', 1..64 characters

            TLS (the server's camera port speaks TLS unless it was set up for plain TCP):
              --tls                  connect with TLS 1.2+, trusting the system's certificate
                                     authorities and checking the server's name
              --ca FILE              trust the CA (or the server's own certificate) in this PEM file
                                     instead; the server's name is checked too (implies --tls)
              --pin sha256:HEX       trust only the server certificate with this SHA-256 fingerprint
                                     (openssl x509 -noout -fingerprint -sha256 -in server.crt; colons
                                     optional); no name check (implies --tls)
                                     A server that fails the check is refused before the hello: the
                                     token is never sent to it; the client retries with backoff.

            Source:
              --source SOURCE        test (default): moving test pattern with name, counter and clock
                                     FILE: a video file, looped forever
                                     /dev/videoN or webcam:N: a V4L2 camera
                                     URL: anything FFmpeg opens (rtsp://…, http://… MJPEG)
              --rtsp-transport T     tcp (default) or udp, for rtsp:// sources
              --format FORMAT        force FFmpeg's input format (e.g. mjpeg, mpjpeg, video4linux2)
              --input-format F       pixel format asked of a V4L2 camera (mjpeg, h264, yuyv422…)

            Picture (a camera passes through unless one of these differs from what it sends):
              --size WxH             frame size (test pattern default 1280x720)
              --width N, --height N  the same, one at a time
              --fps N                frames per second, decimals allowed (test pattern default 15)
              --codec CODEC          h264 (default for what is encoded here) or jpeg
              --transcode            decode and encode again even when the camera could pass through

            Encoding (test pattern, raw cameras, --transcode):
              --encoder NAME         auto (default: the Raspberry Pi's h264_v4l2m2m where it works,
                                     else libopenh264), libopenh264 or h264_v4l2m2m
              --bitrate KBPS         H.264 bitrate in kbit/s (default auto: 0.07 bit per pixel,
                                     about 1900 at 1280x720 30 fps)
              --keyframe-interval S  seconds between H.264 key frames (default 1)
              --quality Q            JPEG quality, 0..1 or 1..100 (default 0.8)

            Substream (a second, smaller stream on the same connection, for grid views):
              --substream URL        a second source passed through as it is encoded, e.g. an IP
                                     camera's second stream (rtsp://…/stream2)
              --substream-size WxH   a second H.264 encode of the same source at this size: the test
                                     pattern drawn again, a URL or file decoded once more (costs a
                                     decode and an encode at the edge)
              --substream-fps N      its frames per second (default: the source's rate)

            Camera queue (a camera's frames waiting for the server: a slow start, an outage):
              --queue-mb N           MiB held before new frames are dropped (default 64: about 35 s
                                     of 720p30 MJPEG, minutes of H.264)
              --backlog-max-age S    on a reconnect, queued frames older than this are discarded
                                     (default 60); the first connection sends all it holds
            Other:
              --name NAME            display name (default: the id)
              --token TOKEN          token the server expects (default: env CCTV_TOKEN, else none)
              --frames N             stop with a goodbye after N frames (default: never)
              --stats-interval S     seconds between stats lines, 0 for none (default 10)
              --simulate N           stream N test-pattern cameras <ID>-01..<ID>-NN from this process,
                                     each a pre-encoded cycle in --codec (default h264)
              --cycle N              distinct pre-encoded frames per simulated camera (default 30,
                                     for h264 rounded up to whole keyframe intervals)
              --help                 print this help

            Exit codes: 0 done or stopped, 1 bad arguments or unusable source,
                        2 refused for good by the server (invalid id, unsupported version).
            """;

    /** The codec of what is encoded here: the test pattern, raw cameras, transcodes without --codec. */
    Codec encodedCodec() {
        return codec != null ? codec : Codec.H264;
    }

    int patternWidth() {
        return width != null ? width : DEFAULT_WIDTH;
    }

    int patternHeight() {
        return height != null ? height : DEFAULT_HEIGHT;
    }

    double patternFps() {
        return fps != null ? fps : DEFAULT_FPS;
    }

    /** True when a substream is asked for, either way. */
    boolean hasSubstream() {
        return substreamSource != null || substreamWidth != null;
    }

    /** The substream's rate for a second encode: as asked, else the main stream's (the test pattern's --fps). */
    double substreamPatternFps() {
        return substreamFps != null ? substreamFps : patternFps();
    }

    /**
     * What the substream asks of a grabbed source: {@code --substream URL} as it is sent; {@code --substream-size} the
     * main source decoded again, scaled and encoded to H.264 (at the automatic bitrate for its size).
     */
    SourceRequest substreamRequest() {
        EncoderSettings sub = EncoderSettings.autoBitrate(encoding);
        if (substreamSource != null) {
            return new SourceRequest(null, null, rtspTransport, null, null, null, null, Codec.H264, false, sub)
                    .withQueue(queueBytes(), java.time.Duration.ofSeconds(backlogMaxAgeSeconds));
        }
        return new SourceRequest(format, inputFormat, rtspTransport, substreamWidth, substreamHeight, substreamFps,
                Codec.H264, Codec.H264, true, sub).withQueue(queueBytes(), java.time.Duration.ofSeconds(backlogMaxAgeSeconds));
    }

    long queueBytes() {
        return (long) queueMb << 20;
    }

    /** What the command line asks of a grabbed source. */
    SourceRequest sourceRequest() {
        return new SourceRequest(format, inputFormat, rtspTransport, width, height, fps, codec, Codec.H264, transcode,
                encoding, queueBytes(), java.time.Duration.ofSeconds(backlogMaxAgeSeconds));
    }

    static ClientOptions parse(String[] args, Map<String, String> env) {
        String server = null;
        String id = null;
        String name = null;
        String token = env.getOrDefault("CCTV_TOKEN", "");
        String source = "test";
        String format = null;
        String inputFormat = null;
        String rtspTransport = "tcp";
        Integer width = null;
        Integer height = null;
        Double fps = null;
        Codec codec = null;
        boolean transcode = false;
        String encoder = "auto";
        int bitrate = 0;
        double keyframeInterval = 1.0;
        float quality = 0.8f;
        long frames = 0;
        int stats = 10;
        int simulate = 0;
        int cycle = 30;
        String substream = null;
        Integer subWidth = null;
        Integer subHeight = null;
        Double subFps = null;
        int queueMb = (int) (SourceRequest.DEFAULT_QUEUE_BYTES >> 20);
        int backlogMaxAge = (int) SourceRequest.DEFAULT_BACKLOG_MAX_AGE.toSeconds();
        boolean tls = false;
        String caFile = null;
        String pin = null;
        List<String> list = new ArrayList<>(List.of(args));
        for (int i = 0; i < list.size(); i++) {
            String arg = list.get(i);
            String value = null;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0) {
                value = arg.substring(eq + 1);
                arg = arg.substring(0, eq);
            }
            if (arg.equals("--help") || arg.equals("-h")) {
                return new ClientOptions(null, 0, null, null, null, null, null, null, null, null, null, null, null,
                        false, EncoderSettings.DEFAULTS, 0, 0, 0, 0, true, null, null, null, null, 0, 0, false, null, null);
            }
            if (!arg.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument '" + arg + "'");
            }
            if (arg.equals("--tls")) {
                tls = value == null || Boolean.parseBoolean(value);
                continue;
            }
            if (arg.equals("--transcode")) {
                transcode = value == null || Boolean.parseBoolean(value);
                continue;
            }
            if (value == null) {
                if (i + 1 >= list.size()) {
                    throw new IllegalArgumentException(arg + " needs a value");
                }
                value = list.get(++i);
            }
            switch (arg) {
                case "--server" -> server = value;
                case "--id" -> id = value;
                case "--name" -> name = value;
                case "--token" -> token = value;
                case "--source" -> source = value;
                case "--format" -> format = value;
                case "--input-format" -> inputFormat = value;
                case "--rtsp-transport" -> rtspTransport = oneOf(arg, value, "tcp", "udp");
                case "--size" -> {
                    int[] wh = size(value);
                    width = wh[0];
                    height = wh[1];
                }
                case "--width" -> width = intIn(arg, value, 16, 16384);
                case "--height" -> height = intIn(arg, value, 16, 16384);
                case "--fps" -> fps = doubleIn(arg, value, 0.01, 1000);
                case "--codec" -> {
                    codec = Codec.ofName(value.trim());
                    if (codec == null) {
                        throw new IllegalArgumentException("--codec must be h264 or jpeg, got '" + value + "'");
                    }
                }
                case "--encoder" -> encoder = oneOf(arg, value, "auto", "libopenh264", "h264_v4l2m2m");
                case "--bitrate" -> bitrate = value.trim().equalsIgnoreCase("auto") ? 0 : intIn(arg, value, 50, 200_000);
                case "--keyframe-interval" -> keyframeInterval = doubleIn(arg, value, 0.04, 60);
                case "--quality" -> quality = JpegEncoder.normalizeQuality(doubleIn(arg, value, 0, 100));
                case "--frames" -> frames = longIn(arg, value, 0, Long.MAX_VALUE);
                case "--stats-interval" -> stats = intIn(arg, value, 0, 86400);
                case "--simulate" -> simulate = intIn(arg, value, 1, 9999);
                case "--cycle" -> cycle = intIn(arg, value, 1, 10000);
                case "--substream" -> substream = value;
                case "--substream-size" -> {
                    int[] wh = size(value);
                    subWidth = wh[0];
                    subHeight = wh[1];
                }
                case "--substream-fps" -> subFps = doubleIn(arg, value, 0.01, 1000);
                case "--queue-mb" -> queueMb = intIn(arg, value, 1, 4096);
                case "--backlog-max-age" -> backlogMaxAge = intIn(arg, value, 0, 86400);
                case "--ca" -> caFile = value;
                case "--pin" -> {
                    TlsSettings.parsePin(value); // says what is wrong with it now, not at the first connection
                    pin = value;
                }
                default -> throw new IllegalArgumentException("unknown option " + arg);
            }
        }
        if (server == null) {
            throw new IllegalArgumentException("--server HOST:PORT is required");
        }
        if (id == null) {
            throw new IllegalArgumentException("--id is required");
        }
        if ((width == null) != (height == null)) {
            throw new IllegalArgumentException("give the height with the width (or --size WxH)");
        }
        if (substream != null && subWidth != null) {
            throw new IllegalArgumentException("--substream URL and --substream-size are two ways to make a substream: "
                    + "give one (a second camera stream is not scaled here)");
        }
        if (subFps != null && subWidth == null && substream == null) {
            throw new IllegalArgumentException("--substream-fps needs --substream-size (or --substream URL)");
        }
        if (substream != null && subFps != null) {
            throw new IllegalArgumentException("--substream-fps applies to --substream-size; a --substream URL is passed "
                    + "through at its own rate");
        }
        if (subWidth != null && source.startsWith("/dev/video") || subWidth != null && source.startsWith("webcam:")) {
            throw new IllegalArgumentException("--substream-size needs a second reading of the source, and a V4L2 device "
                    + "opens only once: use --substream with the camera's own second stream, or none");
        }
        int colon = server.lastIndexOf(':');
        if (colon <= 0 || colon == server.length() - 1) {
            throw new IllegalArgumentException("--server must be HOST:PORT, got '" + server + "'");
        }
        String host = server.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1); // [::1]:9000
        }
        int port = intIn("--server port", server.substring(colon + 1), 1, 65535);
        EncoderSettings encoding = new EncoderSettings(encoder, bitrate, keyframeInterval, quality);
        return new ClientOptions(host, port, id, name, token, source, format, inputFormat, rtspTransport, width, height,
                fps, codec, transcode, encoding, frames, stats, simulate, cycle, false, substream, subWidth, subHeight, subFps,
                queueMb, backlogMaxAge, tls || caFile != null || pin != null, caFile, pin);
    }

    /** How the server is checked: plain TCP without --tls, --ca or --pin. Reads the --ca file. */
    TlsSettings tlsSettings() {
        if (!tls) {
            return TlsSettings.OFF;
        }
        if (caFile == null && pin == null) {
            return TlsSettings.systemTrust();
        }
        return TlsSettings.of(caFile == null ? null : java.nio.file.Path.of(caFile), pin);
    }

    private static int[] size(String value) {
        String[] parts = value.trim().toLowerCase(Locale.ROOT).split("x");
        if (parts.length != 2) {
            throw new IllegalArgumentException("--size must be WIDTHxHEIGHT (e.g. 1280x720), got '" + value + "'");
        }
        return new int[] {intIn("--size width", parts[0], 16, 16384), intIn("--size height", parts[1], 16, 16384)};
    }

    private static String oneOf(String what, String value, String... allowed) {
        for (String a : allowed) {
            if (a.equalsIgnoreCase(value.trim())) {
                return a;
            }
        }
        throw new IllegalArgumentException(what + " must be one of " + String.join(", ", allowed) + ", got '" + value + "'");
    }

    private static int intIn(String what, String value, int min, int max) {
        return (int) longIn(what, value, min, max);
    }

    private static long longIn(String what, String value, long min, long max) {
        long v;
        try {
            v = Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(what + " must be a whole number, got '" + value + "'");
        }
        if (v < min || v > max) {
            throw new IllegalArgumentException(what + " " + v + " outside " + min + ".." + max);
        }
        return v;
    }

    private static double doubleIn(String what, String value, double min, double max) {
        double v;
        try {
            v = Double.parseDouble(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(what + " must be a number, got '" + value + "'");
        }
        if (!(v >= min && v <= max)) {
            throw new IllegalArgumentException(what + " " + value + " outside " + min + ".." + max);
        }
        return v;
    }
}
