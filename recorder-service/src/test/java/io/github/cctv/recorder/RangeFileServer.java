package io.github.cctv.recorder;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A tiny HTTP server on loopback for browser tests: serves registered files with single byte ranges (as browsers
 * ask for video) and registered HTML pages.
 */
final class RangeFileServer implements AutoCloseable {

    private static final Pattern RANGE = Pattern.compile("bytes=(\\d*)-(\\d*)");

    private final HttpServer server;
    private final Map<String, Path> files = new ConcurrentHashMap<>();
    private final Map<String, String> pages = new ConcurrentHashMap<>();

    RangeFileServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.createContext("/", this::handle);
        server.start();
    }

    /** Serves {@code file} at {@code /name}; returns its URL. */
    String file(String name, Path file) {
        files.put("/" + name, file);
        return url(name);
    }

    /** Serves {@code html} at {@code /name}; returns its URL. */
    String page(String name, String html) {
        pages.put("/" + name, html);
        return url(name);
    }

    private String url(String name) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/" + name;
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getPath();
            String html = pages.get(path);
            if (html != null) {
                byte[] body = html.getBytes(StandardCharsets.UTF_8);
                ex.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
                ex.sendResponseHeaders(200, body.length);
                ex.getResponseBody().write(body);
                return;
            }
            Path file = files.get(path);
            if (file == null || !Files.isRegularFile(file)) {
                ex.sendResponseHeaders(404, -1);
                return;
            }
            long size = Files.size(file);
            long from = 0;
            long to = size - 1;
            int status = 200;
            String range = ex.getRequestHeaders().getFirst("Range");
            if (range != null) {
                Matcher m = RANGE.matcher(range.trim());
                if (!m.matches() || (m.group(1).isEmpty() && m.group(2).isEmpty())) {
                    ex.sendResponseHeaders(416, -1);
                    return;
                }
                if (m.group(1).isEmpty()) {
                    from = Math.max(0, size - Long.parseLong(m.group(2)));
                } else {
                    from = Long.parseLong(m.group(1));
                    if (!m.group(2).isEmpty()) {
                        to = Math.min(to, Long.parseLong(m.group(2)));
                    }
                }
                if (from > to) {
                    ex.getResponseHeaders().set("Content-Range", "bytes */" + size);
                    ex.sendResponseHeaders(416, -1);
                    return;
                }
                status = 206;
                ex.getResponseHeaders().set("Content-Range", "bytes " + from + "-" + to + "/" + size);
            }
            ex.getResponseHeaders().set("Content-Type", path.endsWith(".mp4") ? "video/mp4" : "video/x-matroska");
            ex.getResponseHeaders().set("Accept-Ranges", "bytes");
            long length = to - from + 1;
            ex.sendResponseHeaders(status, length);
            try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
                raf.seek(from);
                byte[] buf = new byte[64 * 1024];
                OutputStream out = ex.getResponseBody();
                while (length > 0) {
                    int n = raf.read(buf, 0, (int) Math.min(buf.length, length));
                    if (n < 0) {
                        break;
                    }
                    out.write(buf, 0, n);
                    length -= n;
                }
            } catch (IOException e) {
                // the browser closed the connection once it had what it wanted
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
