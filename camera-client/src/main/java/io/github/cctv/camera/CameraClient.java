package io.github.cctv.camera;

import io.github.cctv.protocol.CameraId;
import io.github.cctv.protocol.wire.Message;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** Command-line entry point: {@code java -jar camera-client.jar --server HOST:PORT --id cam1 --source test}. */
public final class CameraClient {

    public static final int EXIT_OK = 0;
    public static final int EXIT_USAGE = 1;
    public static final int EXIT_REFUSED = 2;

    private CameraClient() {
    }

    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true");
        System.exit(run(args, System.getenv(), System.out, System.err, true));
    }

    /**
     * Runs the client until it is done and returns the exit code. With {@code shutdownHook}, SIGTERM/SIGINT
     * make it say goodbye before the JVM exits.
     */
    static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err, boolean shutdownHook) {
        ClientOptions o;
        try {
            o = ClientOptions.parse(args, env);
        } catch (IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            err.println("try --help");
            return EXIT_USAGE;
        }
        if (o.help()) {
            out.print(ClientOptions.USAGE);
            return EXIT_OK;
        }
        if (!CameraId.isValid(o.id())) {
            try {
                CameraId.requireValid(o.id());
            } catch (CameraId.InvalidCameraIdException e) {
                err.println("error: " + e.getMessage());
            }
            return EXIT_REFUSED;
        }
        try {
            return o.simulate() > 0 ? simulate(o, out, err, shutdownHook) : stream(o, out, err, shutdownHook);
        } catch (IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            return EXIT_USAGE;
        } catch (IOException e) {
            err.println("error: " + e.getMessage());
            return EXIT_USAGE;
        } catch (java.io.UncheckedIOException e) {
            err.println("error: " + e.getCause().getMessage());
            return EXIT_USAGE;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return EXIT_OK;
        }
    }

    private static int stream(ClientOptions o, PrintStream out, PrintStream err, boolean hook)
            throws IOException, InterruptedException {
        TlsSettings tls = o.tlsSettings(); // a bad --ca file stops here, before a source is opened
        FrameSource source = null;
        FrameSource substream = null;
        if (!o.source().equals("test")) {
            source = GrabberSource.open(o.source(), o.sourceRequest(), Clock.systemUTC());
        }
        try {
            if (o.substreamSource() != null) {
                substream = GrabberSource.open(o.substreamSource(), o.substreamRequest(), Clock.systemUTC());
            } else if (o.substreamWidth() != null && source != null) {
                // a second reading of the same source, decoded, scaled and encoded
                substream = GrabberSource.open(o.source(), o.substreamRequest(), Clock.systemUTC());
            }
        } catch (IOException | RuntimeException e) {
            if (source != null) {
                source.close();
            }
            throw e;
        }
        CameraStreamer.Builder builder = CameraStreamer.builder()
                .server(o.host(), o.port())
                .tls(tls)
                .id(o.id())
                .name(o.name())
                .token(o.token())
                .size(o.patternWidth(), o.patternHeight())
                .fps(o.patternFps())
                .codec(o.encodedCodec())
                .encoding(o.encoding())
                .frameLimit(o.frames())
                .source(source)
                .substream(substream)
                .listener(new LoggingListener(o.id(), o.host() + ":" + o.port(), err));
        if (o.substreamWidth() != null && source == null) {
            builder.substreamPattern(o.substreamWidth(), o.substreamHeight(), o.substreamPatternFps());
        }
        CameraStreamer streamer = builder.build();
        err.println("streaming " + o.id() + " (" + o.source() + ", " + streamer.format() + ") to " + o.host() + ":" + o.port()
                + " (" + tls.describe() + ")"
                + (streamer.substreamFormat() == null ? "" : ", substream " + streamer.substreamFormat()
                + " (" + (o.substreamSource() != null ? o.substreamSource() : "encoded here") + ")"));
        return runUntilDone(streamer::start, streamer::stop, streamer::awaitDone, streamer::stats,
                streamer::outcome, streamer::rejection, o, out, err, hook);
    }

    private static int simulate(ClientOptions o, PrintStream out, PrintStream err, boolean hook)
            throws InterruptedException {
        err.println("encoding " + o.cycle() + " " + o.encodedCodec().wireName() + " frames for each of "
                + o.simulate() + " simulated cameras…");
        if (o.substreamSource() != null) {
            throw new IllegalArgumentException("--simulate makes its substream itself: use --substream-size, not --substream");
        }
        CameraSimulator.Builder simBuilder = CameraSimulator.builder()
                .server(o.host(), o.port())
                .tls(o.tlsSettings())
                .idPrefix(o.id())
                .namePrefix(o.name())
                .cameras(o.simulate())
                .token(o.token())
                .size(o.patternWidth(), o.patternHeight())
                .fps(o.patternFps())
                .codec(o.encodedCodec())
                .encoding(o.encoding())
                .cycleFrames(o.cycle())
                .frameLimit(o.frames())
                .listeners(id -> new LoggingListener(id, o.host() + ":" + o.port(), err));
        if (o.substreamWidth() != null) {
            simBuilder.substream(o.substreamWidth(), o.substreamHeight(), o.substreamPatternFps());
        }
        CameraSimulator sim = simBuilder.build();
        err.println("simulating " + sim.ids().size() + " cameras " + sim.ids().get(0) + ".."
                + sim.ids().get(sim.ids().size() - 1) + " (" + o.encodedCodec().wireName() + " " + o.patternWidth() + "x"
                + o.patternHeight() + " @ " + o.patternFps() + " fps"
                + (o.substreamWidth() == null ? "" : ", substream " + o.substreamWidth() + "x" + o.substreamHeight()
                + " @ " + o.substreamPatternFps() + " fps") + ") to " + o.host() + ":" + o.port());
        return runUntilDone(sim::start, sim::stop, sim::awaitDone, sim::stats, sim::outcome, sim::rejection,
                o, out, err, hook);
    }

    /** The await part of a streamer or simulator. */
    private interface Await {
        boolean awaitDone(Duration timeout) throws InterruptedException;
    }

    private static int runUntilDone(Runnable start, Runnable stop, Await await, Supplier<StreamStats> stats,
                                    Supplier<Outcome> outcome, Supplier<Message.Reject> rejection,
                                    ClientOptions o, PrintStream out, PrintStream err, boolean hook)
            throws InterruptedException {
        Thread stopper = new Thread(stop, "camera-client-shutdown");
        if (hook) {
            Runtime.getRuntime().addShutdownHook(stopper);
        }
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "camera-client-stats");
            t.setDaemon(true);
            return t;
        });
        try {
            start.run();
            if (o.statsIntervalSeconds() > 0) {
                StatsLine line = new StatsLine(stats);
                ticker.scheduleAtFixedRate(() -> out.println(line.next()), o.statsIntervalSeconds(),
                        o.statsIntervalSeconds(), TimeUnit.SECONDS);
            }
            while (!await.awaitDone(Duration.ofSeconds(1))) {
                // waiting for the frame limit, a stop or a fatal rejection
            }
        } finally {
            ticker.shutdownNow();
            if (hook) {
                try {
                    Runtime.getRuntime().removeShutdownHook(stopper);
                } catch (IllegalStateException shuttingDown) {
                    // the hook is running: it owns the goodbye now
                }
            }
        }
        StreamStats s = stats.get();
        err.println("done: " + s.framesSent() + " frames sent, " + s.framesDropped() + " dropped, "
                + s.reconnects() + " reconnects");
        if (outcome.get() == Outcome.REJECTED) {
            Message.Reject r = rejection.get();
            err.println("error: refused by the server: " + r.reason() + ": " + r.message());
            return EXIT_REFUSED;
        }
        return EXIT_OK;
    }

    /** The periodic stats line: rates over the last interval, totals since start. */
    static final class StatsLine {
        private final Supplier<StreamStats> stats;
        private StreamStats last;
        private long lastNanos;

        StatsLine(Supplier<StreamStats> stats) {
            this.stats = stats;
            this.last = stats.get();
            this.lastNanos = System.nanoTime();
        }

        String next() {
            StreamStats now = stats.get();
            long t = System.nanoTime();
            double seconds = Math.max(1e-3, (t - lastNanos) / 1e9);
            double fps = (now.framesSent() - last.framesSent()) / seconds;
            double kbps = (now.bytesSent() - last.bytesSent()) * 8 / 1000.0 / seconds;
            last = now;
            lastNanos = t;
            return String.format(Locale.ROOT, "stats: %.1f fps sent, %.0f kbit/s, %d frames dropped, %d reconnects, %d frames total",
                    fps, kbps, now.framesDropped(), now.reconnects(), now.framesSent());
        }
    }

    /** Says on stderr what happens to a connection and why. */
    private static final class LoggingListener implements StreamListener {
        private final String id;
        private final String server;
        private final PrintStream err;

        LoggingListener(String id, String server, PrintStream err) {
            this.id = id;
            this.server = server;
            this.err = err;
        }

        @Override
        public void onConnected(Message.Accept a) {
            err.println(id + ": connected to " + server + " (max frame " + a.maxFrameBytes() + " bytes, heartbeat "
                    + a.heartbeatIntervalMs() + " ms, session timeout " + a.sessionTimeoutMs() + " ms)");
        }

        @Override
        public void onRejected(Message.Reject r) {
            err.println(id + ": rejected: " + r.reason() + (r.message().isEmpty() ? "" : ": " + r.message()));
            if (r.reason() == io.github.cctv.protocol.wire.ReasonCode.UNSUPPORTED_CODEC) {
                err.println(id + ": the server does not take this codec: start the camera with --codec jpeg, "
                        + "or let ingest take it (CCTV_INGEST_CODECS=jpeg,h264)");
            }
        }

        @Override
        public void onDisconnected(String reason) {
            err.println(id + ": disconnected: " + reason);
        }

        @Override
        public void onRetry(String reason, Duration delay) {
            err.println(id + ": " + reason + "; retrying in " + String.format(Locale.ROOT, "%.1f", delay.toMillis() / 1000.0) + " s");
        }
    }
}
