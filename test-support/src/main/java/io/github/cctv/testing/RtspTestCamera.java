package io.github.cctv.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An RTSP IP camera for tests: GStreamer's RTSP server ({@code gst-rtsp-server}, x264) run from Debian's
 * Python, serving a live H.264 picture on a free loopback port over RTSP/TCP (interleaved) and RTP/UDP, as a
 * real IP camera does. Frames are made in real time at the camera's rate, whether anyone watches or not,
 * and every picture carries its frame number 1, 2, 3… in the {@link CounterStrip}. Clients share one
 * stream, as on a camera. The script is {@code rtsp_camera.py} beside this class.
 *
 * <pre>{@code
 * try (RtspTestCamera cam = RtspTestCamera.builder().size(1280, 720).fps(30).start(tmp)) {
 *     // open cam.url() …
 * }
 * }</pre>
 */
public final class RtspTestCamera extends TestCamera {

    private static final Pattern PUSHED = Pattern.compile("PUSHED (\\d+)");

    private RtspTestCamera(String url, CameraProcess process) {
        super(url, process);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Frames the camera has handed to its encoder while someone watched, as it last reported (once a second). */
    public long framesMade() {
        long last = 0;
        try {
            Matcher m = PUSHED.matcher(Files.readString(process.log()));
            while (m.find()) {
                last = Long.parseLong(m.group(1));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return last;
    }

    /** Picture and stream settings; {@link #url()} is {@code rtsp://127.0.0.1:<port>/stream}. */
    public static final class Builder extends TestCamera.Builder<Builder> {
        private int bitrateKbps = 2000;
        private int keyInterval = 30;
        private boolean inBandParameterSets = true;

        private Builder() {
        }

        public Builder bitrateKbps(int kbps) {
            this.bitrateKbps = kbps;
            return this;
        }

        /** Frames from one IDR to the next (default 30). */
        public Builder keyInterval(int frames) {
            this.keyInterval = frames;
            return this;
        }

        /**
         * True (default): SPS and PPS before every IDR in the stream, as most cameras send them. False: only in
         * the SDP's {@code sprop-parameter-sets}, as some do.
         */
        public Builder inBandParameterSets(boolean inBand) {
            this.inBandParameterSets = inBand;
            return this;
        }

        /** Starts the camera, its script and log in {@code dir}; returns once it takes RTSP clients. */
        public RtspTestCamera start(Path dir) {
            VideoTools.requireGstreamerRtspServer();
            Path script = dir.resolve("rtsp_camera.py");
            try (InputStream in = RtspTestCamera.class.getResourceAsStream("rtsp_camera.py")) {
                if (in == null) {
                    throw new IllegalStateException("rtsp_camera.py is missing from test-support's resources");
                }
                Files.createDirectories(dir);
                Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            int port = NatsTestServer.freePort();
            Path log = dir.resolve("rtsp-camera-" + port + ".log");
            CameraProcess p = CameraProcess.start("rtsp-camera", List.of(VideoTools.SYSTEM_PYTHON, "-u", script.toString(),
                    "--port", String.valueOf(port), "--width", String.valueOf(width), "--height", String.valueOf(height),
                    "--fps", String.valueOf(fps), "--bitrate", String.valueOf(bitrateKbps),
                    "--key-interval", String.valueOf(keyInterval),
                    "--in-band-parameter-sets", inBandParameterSets ? "yes" : "no"), log);
            p.await(() -> {
                try {
                    return Files.readString(log).contains("READY ");
                } catch (IOException e) {
                    return false;
                }
            }, Duration.ofSeconds(30), "ready for RTSP clients");
            return new RtspTestCamera("rtsp://127.0.0.1:" + port + "/stream", p);
        }
    }
}
