package io.github.cctv.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * A second RTSP implementation for tests, besides {@link RtspTestCamera}'s GStreamer: the real ffmpeg encodes a
 * live H.264 picture (x264, every picture carrying its frame number in the {@link CounterStrip}) and publishes it
 * with {@code -f rtsp} to {@code rtsp-server-perl} (Debian package), which serves it to clients over RTP/UDP only
 * (RTSP/TCP interleaving is refused), as a site does that restreams a camera it already has. Its own SDP, RTP
 * packetisation and session handling. Frame numbers count from ffmpeg's start, so a client that joins later sees
 * its first frame with a number above 1.
 *
 * <pre>{@code
 * try (PublishedRtspTestCamera cam = PublishedRtspTestCamera.builder().size(640, 360).fps(30).start(tmp)) {
 *     // open cam.url() over UDP …
 * }
 * }</pre>
 */
public final class PublishedRtspTestCamera extends TestCamera {

    private final CameraProcess publisher;

    private PublishedRtspTestCamera(String url, CameraProcess server, CameraProcess publisher) {
        super(url, server);
        this.publisher = publisher;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Stops the publisher, then the server. */
    @Override
    public void close() {
        try {
            publisher.close();
        } finally {
            super.close();
        }
    }

    /** Picture and stream settings; {@link #url()} is {@code rtsp://127.0.0.1:<port>/stream}. */
    public static final class Builder extends TestCamera.Builder<Builder> {
        private int keyInterval = 30;

        private Builder() {
        }

        /** Frames from one IDR to the next (default 30). */
        public Builder keyInterval(int frames) {
            this.keyInterval = frames;
            return this;
        }

        /** Starts the server and the publisher, their logs in {@code dir}; returns once the stream is served. */
        public PublishedRtspTestCamera start(Path dir) {
            VideoTools.requireFfmpeg();
            VideoTools.requireRtspServerPerl();
            int clientPort = NatsTestServer.freePort();
            int sourcePort = NatsTestServer.freePort();
            int rtpPort = NatsTestServer.freePort();
            CameraProcess server = CameraProcess.start("rtsp-server-perl", List.of(VideoTools.RTSP_SERVER_PERL,
                    "--clientport", String.valueOf(clientPort), "--serverport", String.valueOf(sourcePort),
                    "--client_listen_address", "127.0.0.1", "--source_listen_address", "127.0.0.1",
                    "--rtp_start_port", String.valueOf(rtpPort), "--loglevel", "2"),
                    dir.resolve("rtsp-server-perl-" + clientPort + ".log"));
            CameraProcess publisher = null;
            try {
                server.await(() -> VideoTools.listening(clientPort) && VideoTools.listening(sourcePort),
                        Duration.ofSeconds(20), "listening on ports " + clientPort + " and " + sourcePort);
                publisher = CameraProcess.start("rtsp-publisher", List.of("ffmpeg", "-hide_banner", "-nostdin",
                        "-loglevel", "error", "-re",
                        "-f", "lavfi", "-i", String.format(Locale.ROOT, "testsrc2=size=%dx%d:rate=%d", width, height, fps),
                        "-filter_complex", CounterStrip.ffmpegFilter(width, height), "-map", "[camera]",
                        "-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency", "-bf", "0",
                        "-g", String.valueOf(keyInterval), "-keyint_min", String.valueOf(keyInterval),
                        "-sc_threshold", "0", "-b:v", "2M",
                        "-f", "rtsp", "rtsp://127.0.0.1:" + sourcePort + "/stream"),
                        dir.resolve("rtsp-publisher-" + clientPort + ".log"));
                String url = "rtsp://127.0.0.1:" + clientPort + "/stream";
                publisher.await(() -> describes(clientPort, url), Duration.ofSeconds(20), "served at " + url);
                return new PublishedRtspTestCamera(url, server, publisher);
            } catch (RuntimeException e) {
                if (publisher != null) {
                    publisher.close();
                }
                server.close();
                throw e;
            }
        }
    }

    /** Whether an RTSP DESCRIBE of {@code url} is answered 200: the server has the published stream. */
    private static boolean describes(int port, String url) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            s.setSoTimeout(2000);
            OutputStream out = s.getOutputStream();
            out.write(("DESCRIBE " + url + " RTSP/1.0\r\nCSeq: 1\r\nAccept: application/sdp\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            byte[] status = in.readNBytes(12);
            return new String(status, StandardCharsets.US_ASCII).startsWith("RTSP/1.0 200");
        } catch (IOException e) {
            return false;
        }
    }
}
