package io.github.cctv.dashboard;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** HTTP/1.1 written and read by hand on a socket: requests a client library would not send, answers it would hide. */
final class RawHttp {

    private RawHttp() {
    }

    /** A socket connected to {@code uri}'s host and port, reads timing out after {@code readTimeoutMillis}. */
    static Socket connect(URI uri, int readTimeoutMillis) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 5000);
        socket.setSoTimeout(readTimeoutMillis);
        return socket;
    }

    /** Sends {@code GET path} with the given extra header lines. */
    static void get(Socket socket, URI uri, String path, String... headerLines) throws IOException {
        StringBuilder request = new StringBuilder("GET " + path + " HTTP/1.1\r\nHost: " + uri.getHost() + ":"
                + uri.getPort() + "\r\n");
        for (String line : headerLines) {
            request.append(line).append("\r\n");
        }
        socket.getOutputStream().write(request.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
    }

    /** The status line and headers of the answer, up to the blank line. */
    static String readHead(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        while (matched < end.length) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed after " + head.size() + " bytes: " + head);
            }
            head.write(b);
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    /** {@code n} connections that each send the start of a request and never its end (non-blocking, for {@link #stillOpen}). */
    static List<SocketChannel> halfSentRequests(String host, int port, int n) throws IOException {
        byte[] half = ("GET /index.html HTTP/1.1\r\nHost: " + host + "\r\nX-Never-Ends: ").getBytes(StandardCharsets.US_ASCII);
        List<SocketChannel> held = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                SocketChannel c = SocketChannel.open(new InetSocketAddress(host, port));
                held.add(c);
                c.write(ByteBuffer.wrap(half));
                c.configureBlocking(false);
            }
        } catch (IOException e) {
            closeAll(held);
            throw e;
        }
        return held;
    }

    /** How many of the (non-blocking) channels the server has not closed; a read returns -1 or fails once it has. */
    static int stillOpen(List<SocketChannel> channels) {
        int open = 0;
        ByteBuffer sink = ByteBuffer.allocate(4096);
        for (SocketChannel c : channels) {
            if (!c.isOpen()) {
                continue;
            }
            try {
                sink.clear();
                if (c.read(sink) < 0) {
                    c.close();
                } else {
                    open++;
                }
            } catch (IOException e) {
                closeQuietly(c);
            }
        }
        return open;
    }

    static void closeAll(List<SocketChannel> channels) {
        channels.forEach(RawHttp::closeQuietly);
    }

    private static void closeQuietly(SocketChannel c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // closed either way
        }
    }
}
