package io.github.cctv.system;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A loopback TCP load balancer for tests, as a camera site has in front of its ingests: each accepted connection is
 * forwarded to the first of its targets that accepts one, so with the first target gone (its process killed) new
 * connections go to the next. Bytes are copied both ways as they come; when either side closes or fails, both are
 * closed, as a balancer does when a backend dies.
 */
final class TcpForwarder implements AutoCloseable {

    private final ServerSocket server;
    private final List<Integer> targets;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();

    private TcpForwarder(ServerSocket server, List<Integer> targets) {
        this.server = server;
        this.targets = List.copyOf(targets);
    }

    /** Listens on a free loopback port, forwarding to {@code targetPorts} on loopback, first that accepts. */
    static TcpForwarder start(List<Integer> targetPorts) throws IOException {
        ServerSocket s = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        TcpForwarder f = new TcpForwarder(s, targetPorts);
        Thread t = new Thread(f::acceptLoop, "forwarder-" + s.getLocalPort());
        t.setDaemon(true);
        t.start();
        return f;
    }

    int port() {
        return server.getLocalPort();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket in = server.accept();
                Socket out = connectFirst();
                if (out == null) {
                    in.close();
                    continue;
                }
                in.setTcpNoDelay(true);
                out.setTcpNoDelay(true);
                open.add(in);
                open.add(out);
                pump(in, out);
                pump(out, in);
            } catch (IOException e) {
                // closed, or one connection failed: the next accept goes on
            }
        }
    }

    private Socket connectFirst() {
        for (int port : targets) {
            Socket s = new Socket();
            try {
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
                return s;
            } catch (IOException e) {
                closeQuietly(s);
            }
        }
        return null;
    }

    private void pump(Socket from, Socket to) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[64 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buf)) >= 0) {
                    out.write(buf, 0, n);
                }
            } catch (IOException e) {
                // one side went away
            } finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        }, "forward-" + from.getPort() + "-" + to.getPort());
        t.setDaemon(true);
        t.start();
    }

    private void closeQuietly(Socket s) {
        open.remove(s);
        try {
            s.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        open.forEach(this::closeQuietly);
    }
}
