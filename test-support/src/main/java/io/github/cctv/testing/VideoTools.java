package io.github.cctv.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.abort;

/**
 * The third-party video programs tests use as cameras and decoders. Where one is missing the calling test
 * is skipped loudly, or fails when {@code CCTV_REQUIRE_TOOLS=1} (CI, which installs them).
 */
public final class VideoTools {

    /** Debian's own Python, the one python3-gi is installed for (not whatever python3 is first on the PATH). */
    public static final String SYSTEM_PYTHON = "/usr/bin/python3";
    /** The RTSP server of Debian package rtsp-server-perl. */
    public static final String RTSP_SERVER_PERL = "/usr/bin/rtsp-server-perl";

    private static Boolean ffmpeg;
    private static Boolean gstreamerRtsp;

    private VideoTools() {
    }

    /** ffmpeg and ffprobe (Debian package ffmpeg). */
    public static synchronized void requireFfmpeg() {
        if (ffmpeg == null) {
            ffmpeg = succeeds(new ProcessBuilder("ffmpeg", "-version")) && succeeds(new ProcessBuilder("ffprobe", "-version"));
        }
        if (!ffmpeg) {
            skipOrFail("ffmpeg/ffprobe are not installed (apt-get install ffmpeg)");
        }
    }

    /**
     * GStreamer's RTSP server with x264, driven from Debian's Python (Debian packages gstreamer1.0-rtsp,
     * gir1.2-gst-rtsp-server-1.0, gstreamer1.0-plugins-ugly/-good/-base, python3-gi). Libraries have no
     * command to look for: the check imports them the way the camera script does.
     */
    public static synchronized void requireGstreamerRtspServer() {
        if (gstreamerRtsp == null) {
            gstreamerRtsp = new File(SYSTEM_PYTHON).canExecute() && succeeds(new ProcessBuilder(SYSTEM_PYTHON, "-c",
                    "import gi; gi.require_version('Gst', '1.0'); gi.require_version('GstRtspServer', '1.0');"
                            + "from gi.repository import Gst, GstRtspServer; Gst.init(None);"
                            + "import sys; sys.exit(0 if all(Gst.ElementFactory.find(e) for e in"
                            + " ('x264enc', 'rtph264pay', 'appsrc', 'queue')) else 1)"));
        }
        if (!gstreamerRtsp) {
            skipOrFail("GStreamer's RTSP server with x264 is not usable from " + SYSTEM_PYTHON + " (apt-get install "
                    + "gstreamer1.0-rtsp gir1.2-gst-rtsp-server-1.0 gstreamer1.0-plugins-ugly gstreamer1.0-plugins-good "
                    + "gstreamer1.0-plugins-base python3-gi)");
        }
    }

    /** The RTSP server that takes a stream ffmpeg publishes and serves it over RTP/UDP (Debian package rtsp-server-perl). */
    public static void requireRtspServerPerl() {
        if (!new File(RTSP_SERVER_PERL).canExecute()) {
            skipOrFail(RTSP_SERVER_PERL + " is not installed (apt-get install rtsp-server-perl)");
        }
    }

    private static void skipOrFail(String why) {
        String msg = why + ": SKIPPING the test that needs it (set CCTV_REQUIRE_TOOLS=1 to make this a failure)";
        if ("1".equals(System.getenv("CCTV_REQUIRE_TOOLS"))) {
            fail(why + " and CCTV_REQUIRE_TOOLS=1");
        }
        System.err.println("\n*** " + msg + " ***\n");
        abort(msg);
    }

    private static boolean succeeds(ProcessBuilder pb) {
        try {
            Process p = pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return false;
            }
            return p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** True once something listens on TCP {@code port} of 127.0.0.1, seen in {@code /proc/net/tcp} without connecting. */
    public static boolean listening(int port) {
        String local = String.format("0100007F:%04X", port);
        try {
            for (String line : Files.readAllLines(Path.of("/proc/net/tcp"), StandardCharsets.US_ASCII)) {
                String[] f = line.trim().split("\\s+");
                if (f.length > 3 && f[1].equals(local) && f[3].equals("0A")) {
                    return true;
                }
            }
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
