package io.github.cctv.dashboard;

import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A recorder HTTP API on a free port, real HTTP with real Range handling, so that the proxy is tested
 * against a server; it can be stopped to play an absent recorder.
 */
public class FakeRecorder implements QuarkusTestResourceLifecycleManager {

    /** The bytes of recording {@code r1}'s file. */
    public static final byte[] FILE = NatsFixtures.bytes(100_000, 42);
    /** Each request as "METHOD uri | Range header". */
    public static final List<String> REQUESTS = new CopyOnWriteArrayList<>();
    /** Any {@code Authorization} or {@code Cookie} header that reached the recorder (there should be none). */
    public static final List<String> CREDENTIALS = new CopyOnWriteArrayList<>();

    private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-(\\d*)");
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
        return Map.of("cctv.dashboard.recorder-url", "http://127.0.0.1:" + port);
    }

    public static synchronized void startServer() throws IOException {
        if (server != null) {
            return;
        }
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        server.createContext("/api/recordings", ex -> {
            String range = ex.getRequestHeaders().getFirst("Range");
            REQUESTS.add(ex.getRequestMethod() + " " + ex.getRequestURI() + " | " + range);
            for (String name : new String[]{"Authorization", "Cookie"}) {
                if (ex.getRequestHeaders().containsKey(name)) {
                    CREDENTIALS.add(name + ": " + ex.getRequestHeaders().getFirst(name));
                }
            }
            String path = ex.getRequestURI().getPath();
            if (path.equals("/api/recordings")) {
                byte[] body = ("[{\"id\":\"r1\",\"cameraId\":\"cam1\",\"query\":\"" + ex.getRequestURI().getQuery()
                        + "\"}]").getBytes(StandardCharsets.UTF_8);
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
        server.start();
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
