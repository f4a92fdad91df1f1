package io.github.cctv.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * An HTTP MJPEG IP camera for tests: the real ffmpeg serving {@code multipart/x-mixed-replace} JPEG
 * ({@code -f mpjpeg -listen 1}) on a free loopback port to one client, in real time, every picture carrying
 * its frame number 1, 2, 3… in the {@link CounterStrip}. The same ffmpeg writes a second, identical output
 * to a file (the same pictures through the same deterministic JPEG encoder, started with the HTTP response),
 * so {@link #servedFrames()} is what the camera served, frame for frame and byte for byte; the client's
 * response is a prefix of it. (One output duplicated with the tee muxer would open the HTTP side only after
 * ffmpeg's clock started, and then serve the frames made meanwhile in a burst, which no camera does.)
 *
 * <pre>{@code
 * try (MjpegTestCamera cam = MjpegTestCamera.builder().size(1280, 720).fps(30).start(tmp)) {
 *     // connect to cam.url() …
 * }
 * }</pre>
 */
public final class MjpegTestCamera extends TestCamera {

    private static final byte[] LENGTH = "Content-length: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] BLANK_LINE = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    private final Path served;

    private MjpegTestCamera(int port, Path served, CameraProcess process) {
        super("http://127.0.0.1:" + port + "/", process);
        this.served = served;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The JPEGs served so far, in order: the parts of the multipart body, without their headers. */
    public List<byte[]> servedFrames() {
        byte[] body;
        try {
            if (!Files.exists(served)) {
                return List.of(); // ffmpeg opens its copy once the client has connected
            }
            body = Files.readAllBytes(served);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<byte[]> frames = new ArrayList<>();
        int at = 0;
        while (true) {
            int header = indexOf(body, LENGTH, at);
            if (header < 0) {
                return frames;
            }
            int eol = indexOf(body, "\r\n".getBytes(StandardCharsets.US_ASCII), header);
            int start = indexOf(body, BLANK_LINE, header);
            if (eol < 0 || start < 0) {
                return frames;
            }
            int length = Integer.parseInt(new String(body, header + LENGTH.length, eol - header - LENGTH.length,
                    StandardCharsets.US_ASCII).trim());
            start += BLANK_LINE.length;
            if (start + length > body.length) {
                return frames; // still being written
            }
            frames.add(Arrays.copyOfRange(body, start, start + length));
            at = start + length;
        }
    }

    private static int indexOf(byte[] haystack, byte[] needle, int from) {
        outer:
        for (int i = from; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** Picture settings; {@link #url()} is {@code http://127.0.0.1:<port>/}, for one client, once. */
    public static final class Builder extends TestCamera.Builder<Builder> {
        private int qscale = 3;

        private Builder() {
        }

        /** ffmpeg's JPEG quantiser scale, 2 (best, biggest) … 31 (default 3: 720p frames of about 100 KB). */
        public Builder qscale(int qscale) {
            this.qscale = qscale;
            return this;
        }

        /** Starts the camera, its log and its copy of the served bytes in {@code dir}; returns once it listens. */
        public MjpegTestCamera start(Path dir) {
            VideoTools.requireFfmpeg();
            int port = NatsTestServer.freePort();
            Path served = dir.resolve("mjpeg-camera-" + port + ".served");
            List<String> cmd = List.of("ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "error", "-re",
                    "-f", "lavfi", "-i", String.format(Locale.ROOT, "testsrc2=size=%dx%d:rate=%d", width, height, fps),
                    "-filter_complex", CounterStrip.ffmpegFilter(width, height) + ";[camera]split[http][copy]",
                    "-map", "[http]", "-c:v", "mjpeg", "-q:v", String.valueOf(qscale),
                    "-f", "mpjpeg", "-listen", "1", "-content_type", "multipart/x-mixed-replace;boundary=ffmpeg",
                    "http://127.0.0.1:" + port + "/",
                    "-map", "[copy]", "-c:v", "mjpeg", "-q:v", String.valueOf(qscale), "-f", "mpjpeg", served.toString());
            CameraProcess p = CameraProcess.start("mjpeg-camera", cmd, dir.resolve("mjpeg-camera-" + port + ".log"));
            p.await(() -> VideoTools.listening(port), Duration.ofSeconds(20), "listening on port " + port);
            return new MjpegTestCamera(port, served, p);
        }
    }
}
