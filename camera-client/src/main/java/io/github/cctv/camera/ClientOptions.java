package io.github.cctv.camera;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Command-line options of {@link CameraClient}, parsed and checked. */
record ClientOptions(String host, int port, String id, String name, String token, String source, String format,
                     int width, int height, double fps, float quality, long frames, int statsIntervalSeconds,
                     int simulate, int cycle, boolean help) {

    static final String USAGE = """
            Usage: java -jar camera-client.jar --server HOST:PORT --id ID [options]

            Streams a camera to a CCTV ingest server over the CCTV wire protocol.

            Required:
              --server HOST:PORT     ingest server address
              --id ID                camera id: letters, digits, '_' and '-', 1..64 characters

            Options:
              --source SOURCE        test (default): moving test pattern with name, counter and clock
                                     FILE: a video file, looped forever
                                     /dev/videoN or webcam:N: a V4L2 camera
                                     URL: anything FFmpeg opens (rtsp://…, http://… MJPEG)
              --format FORMAT        force FFmpeg's input format (e.g. mjpeg, mpjpeg, video4linux2)
              --name NAME            display name (default: the id)
              --token TOKEN          token the server expects (default: env CCTV_TOKEN, else none)
              --width N              frame width in pixels (default 1280)
              --height N             frame height in pixels (default 720)
              --fps N                frames per second, decimals allowed (default 15)
              --quality Q            JPEG quality, 0..1 or 1..100 (default 0.8)
              --frames N             stop with a goodbye after N frames (default: never)
              --stats-interval S     seconds between stats lines, 0 for none (default 10)
              --simulate N           stream N test-pattern cameras <ID>-01..<ID>-NN from this process
              --cycle N              distinct pre-encoded frames per simulated camera (default 30)
              --help                 print this help

            Exit codes: 0 done or stopped, 1 bad arguments or unusable source,
                        2 refused for good by the server (invalid id, unsupported version).
            """;

    static ClientOptions parse(String[] args, Map<String, String> env) {
        String server = null;
        String id = null;
        String name = null;
        String token = env.getOrDefault("CCTV_TOKEN", "");
        String source = "test";
        String format = null;
        int width = 1280;
        int height = 720;
        double fps = 15;
        float quality = 0.8f;
        long frames = 0;
        int stats = 10;
        int simulate = 0;
        int cycle = 30;
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
                return new ClientOptions(null, 0, null, null, null, null, null, 0, 0, 0, 0, 0, 0, 0, 0, true);
            }
            if (!arg.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument '" + arg + "'");
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
                case "--width" -> width = intIn(arg, value, 16, 16384);
                case "--height" -> height = intIn(arg, value, 16, 16384);
                case "--fps" -> fps = doubleIn(arg, value, 0.01, 1000);
                case "--quality" -> quality = JpegEncoder.normalizeQuality(doubleIn(arg, value, 0, 100));
                case "--frames" -> frames = longIn(arg, value, 0, Long.MAX_VALUE);
                case "--stats-interval" -> stats = intIn(arg, value, 0, 86400);
                case "--simulate" -> simulate = intIn(arg, value, 1, 9999);
                case "--cycle" -> cycle = intIn(arg, value, 1, 10000);
                default -> throw new IllegalArgumentException("unknown option " + arg);
            }
        }
        if (server == null) {
            throw new IllegalArgumentException("--server HOST:PORT is required");
        }
        if (id == null) {
            throw new IllegalArgumentException("--id is required");
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
        return new ClientOptions(host, port, id, name, token, source, format, width, height, fps, quality, frames,
                stats, simulate, cycle, false);
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
