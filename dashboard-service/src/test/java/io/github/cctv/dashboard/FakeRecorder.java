package io.github.cctv.dashboard;

import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A recorder HTTP API on a free port, real HTTP with real Range handling, so that the proxy is tested
 * against a server; it can be stopped to play an absent recorder. Like the real recorder it requires the service
 * token ({@link #SERVICE_TOKEN}, which it gives the dashboard as {@code cctv.http.service-token}) and answers 401
 * without it, so every proxy test also proves that the dashboard sends it.
 */
public class FakeRecorder implements QuarkusTestResourceLifecycleManager {

    /** The bytes of recording {@code r1}'s file. */
    public static final byte[] FILE = NatsFixtures.bytes(100_000, 42);
    /** Each request as "METHOD uri | Range header". */
    public static final List<String> REQUESTS = new CopyOnWriteArrayList<>();
    /** The service token the recorder requires and the dashboard is given. */
    public static final String SERVICE_TOKEN = "fake-recorder-service-token-0123456789";
    /** Requests that came without the service token, answered 401 (there should be none). */
    public static final List<String> UNAUTHORIZED = new CopyOnWriteArrayList<>();
    /**
     * Any {@code Cookie} header, or {@code Authorization} other than the service token, that reached the recorder
     * (there should be none: the browser's credentials stay with the dashboard).
     */
    public static final List<String> CREDENTIALS = new CopyOnWriteArrayList<>();

    /** Playbacks of {@code held} being streamed now: they send one chunk, then hold until {@link #releaseHeld()}. */
    public static final AtomicInteger HELD = new AtomicInteger();
    /** How long {@code /api/recordings/slow/file} takes before it answers. */
    public static volatile long slowMillis = 5000;

    private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-(\\d*)");
    private static volatile CountDownLatch release = new CountDownLatch(1);
    private static HttpServer server;
    private static int port;

    @Override
    public Map<String, String> start() {
        try {
            port = io.github.cctv.testing.NatsTestServer.freePort();
            startServer();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return Map.of("cctv.dashboard.recorder-url", "http://127.0.0.1:" + port, "cctv.http.service-token", SERVICE_TOKEN);
    }

    /**
     * True when the request carries the service token; else answers 401 and notes it. Notes any other credential that
     * came along, wanted or not.
     */
    private static boolean authorized(com.sun.net.httpserver.HttpExchange ex) throws IOException {
        List<String> authorization = ex.getRequestHeaders().getOrDefault("Authorization", List.of());
        for (String value : authorization) {
            if (!value.equals("Bearer " + SERVICE_TOKEN)) {
                CREDENTIALS.add("Authorization: " + value);
            }
        }
        if (ex.getRequestHeaders().containsKey("Cookie")) {
            CREDENTIALS.add("Cookie: " + ex.getRequestHeaders().getFirst("Cookie"));
        }
        if (authorization.contains("Bearer " + SERVICE_TOKEN)) {
            return true;
        }
        UNAUTHORIZED.add(ex.getRequestMethod() + " " + ex.getRequestURI());
        byte[] body = "{\"error\":\"Unauthorized\",\"message\":\"no service token\"}".getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(401, body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
        return false;
    }

    public static synchronized void startServer() throws IOException {
        if (server != null) {
            return;
        }
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        server.createContext("/api/recordings", ex -> {
            String range = ex.getRequestHeaders().getFirst("Range");
            REQUESTS.add(ex.getRequestMethod() + " " + ex.getRequestURI() + " | " + range);
            if (!authorized(ex)) {
                return;
            }
            String path = ex.getRequestURI().getPath();
            if (path.equals("/api/recordings/held/play")) {
                hold(ex);
            } else if (path.equals("/api/recordings/slow/file")) {
                try {
                    Thread.sleep(slowMillis); // plays a recorder that takes its time to start an answer
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                ex.sendResponseHeaders(200, 4);
                try (OutputStream out = ex.getResponseBody()) {
                    out.write("slow".getBytes(StandardCharsets.UTF_8));
                }
            } else if (path.equals("/api/recordings")) {
                byte[] body = ("[{\"id\":\"r1\",\"cameraId\":\"cam1\",\"query\":\"" + ex.getRequestURI().getQuery()
                        + "\"}]").getBytes(StandardCharsets.UTF_8);
                ex.getResponseHeaders().add("Content-Type", "application/json");
                ex.sendResponseHeaders(200, body.length);
                try (OutputStream out = ex.getResponseBody()) {
                    out.write(body);
                }
            } else if (path.equals("/api/recordings/r1")) {
                byte[] body = "{\"id\":\"r1\",\"cameraId\":\"cam1\"}".getBytes(StandardCharsets.UTF_8);
                ex.getResponseHeaders().add("Content-Type", "application/json");
                ex.sendResponseHeaders(200, body.length);
                try (OutputStream out = ex.getResponseBody()) {
                    out.write(body);
                }
            } else if (path.equals("/api/recordings/r1/file")) {
                ex.getResponseHeaders().add("Content-Type", "video/x-matroska");
                ex.getResponseHeaders().add("Accept-Ranges", "bytes");
                Matcher m = range == null ? null : RANGE.matcher(range);
                if (m != null && m.matches()) {
                    int from = Integer.parseInt(m.group(1));
                    int to = m.group(2).isEmpty() ? FILE.length - 1 : Integer.parseInt(m.group(2));
                    ex.getResponseHeaders().add("Content-Range", "bytes " + from + "-" + to + "/" + FILE.length);
                    ex.sendResponseHeaders(206, to - from + 1);
                    try (OutputStream out = ex.getResponseBody()) {
                        out.write(FILE, from, to - from + 1);
                    }
                } else {
                    ex.sendResponseHeaders(200, FILE.length);
                    try (OutputStream out = ex.getResponseBody()) {
                        out.write(FILE);
                    }
                }
            } else {
                byte[] body = "{\"error\":\"Not Found\",\"message\":\"no such recording\"}".getBytes(StandardCharsets.UTF_8);
                ex.getResponseHeaders().add("Content-Type", "application/json");
                ex.sendResponseHeaders(404, body.length);
                try (OutputStream out = ex.getResponseBody()) {
                    out.write(body);
                }
            }
        });
        // the review routes answer what reached them: method, path and query, content type, body
        com.sun.net.httpserver.HttpHandler echo = ex -> {
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            REQUESTS.add(ex.getRequestMethod() + " " + ex.getRequestURI() + " | " + body);
            if (!authorized(ex)) {
                return;
            }
            String json = "{\"method\":\"" + ex.getRequestMethod() + "\",\"uri\":\"" + ex.getRequestURI()
                    + "\",\"contentType\":\"" + ex.getRequestHeaders().getFirst("Content-Type") + "\",\"body\":"
                    + (body.isEmpty() ? "null" : body) + "}";
            byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(200, bytes.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(bytes);
            }
        };
        server.createContext("/api/exports", echo);
        server.createContext("/api/timeline", echo);
        server.createContext("/api/storage", echo);
        server.createContext("/api/recordings/r1/keep", echo);
        server.createContext("/api/recordings/r2", echo);
        // one thread per exchange: held playbacks must not stop the others
        server.setExecutor(Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "fake-recorder");
            t.setDaemon(true);
            return t;
        }));
        server.start();
    }

    /** An MJPEG-like playback that streams one part, then waits as a paced stream does between frames. */
    private static void hold(com.sun.net.httpserver.HttpExchange ex) throws IOException {
        ex.getResponseHeaders().add("Content-Type", "multipart/x-mixed-replace; boundary=frame");
        ex.sendResponseHeaders(200, 0);
        HELD.incrementAndGet();
        CountDownLatch until = release;
        try (OutputStream out = ex.getResponseBody()) {
            out.write("--frame\r\nContent-Type: image/jpeg\r\n\r\n".getBytes(StandardCharsets.UTF_8));
            out.flush();
            while (!until.await(200, TimeUnit.MILLISECONDS)) {
                out.write(new byte[]{0});
                out.flush(); // fails once the dashboard closed its side
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // the dashboard went away
        } finally {
            HELD.decrementAndGet();
        }
    }

    /** Ends every held playback. */
    public static void releaseHeld() {
        CountDownLatch was = release;
        release = new CountDownLatch(1);
        was.countDown();
    }

    public static synchronized void stopServer() {
        if (server != null) {
            server.stop(0);
            server = null;
        }
    }

    @Override
    public void stop() {
        stopServer();
    }
}
