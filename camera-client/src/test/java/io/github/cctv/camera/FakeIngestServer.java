package io.github.cctv.camera;

import io.github.cctv.protocol.wire.Message;
import io.github.cctv.protocol.wire.ProtocolException;
import io.github.cctv.protocol.wire.Wire;
import io.github.cctv.protocol.wire.WireDecoder;
import io.github.cctv.protocol.wire.WireEncoder;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * A small ingest stand-in on a real TCP port: decodes what cameras send with the protocol's server-side
 * decoder, answers each hello with what {@code reply} says (an accept or a reject), optionally sends
 * heartbeats, and records every message for assertions.
 */
final class FakeIngestServer implements AutoCloseable {

    static final Message.Accept ACCEPT = new Message.Accept(Wire.VERSION, 8 * 1024 * 1024, 1000, 5000);

    private final ServerSocket server;
    private final Function<Message.Hello, Message> reply;
    private final boolean heartbeats;
    private final List<Conn> connections = new CopyOnWriteArrayList<>();
    private final List<Thread> threads = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    /** Accepts every camera and sends heartbeats at the accept's interval. */
    FakeIngestServer() throws IOException {
        this(hello -> ACCEPT, true);
    }

    FakeIngestServer(Function<Message.Hello, Message> reply, boolean heartbeats) throws IOException {
        this(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()), reply, heartbeats);
    }

    /** Speaks TLS with {@code tls}'s certificate, accepts every camera and sends heartbeats. */
    FakeIngestServer(javax.net.ssl.SSLContext tls) throws IOException {
        this(tls.getServerSocketFactory().createServerSocket(0, 50, InetAddress.getLoopbackAddress()), hello -> ACCEPT, true);
    }

    private FakeIngestServer(ServerSocket server, Function<Message.Hello, Message> reply, boolean heartbeats) {
        this.server = server;
        this.reply = reply;
        this.heartbeats = heartbeats;
        Thread acceptor = new Thread(this::acceptLoop, "fake-ingest-accept");
        acceptor.setDaemon(true);
        threads.add(acceptor);
        acceptor.start();
    }

    int port() {
        return server.getLocalPort();
    }

    List<Conn> connections() {
        return connections;
    }

    Conn connection(int i) {
        return connections.get(i);
    }

    /** What a camera streamed to the end: its one connection as the server saw it, and its own counters. */
    record Streamed(Conn conn, StreamStats stats) {
        List<Message.Frame> frames() {
            return conn.frames();
        }
    }

    /**
     * Builds {@code camera} against this server, lets it stream to its frame limit and goodbye, and returns
     * its connection once the server has seen the end.
     */
    Streamed streamToEnd(CameraStreamer.Builder camera, java.time.Duration timeout) throws InterruptedException {
        try (CameraStreamer cam = camera.server("127.0.0.1", port()).build()) {
            cam.start();
            org.assertj.core.api.Assertions.assertThat(cam.awaitDone(timeout)).as("the camera reached its frame limit").isTrue();
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5))
                    .until(() -> !connections.isEmpty() && connection(0).ended);
            return new Streamed(connection(0), cam.stats());
        }
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket s = server.accept();
                Conn c = new Conn(s);
                connections.add(c);
                Thread t = new Thread(c::serve, "fake-ingest-conn-" + connections.size());
                t.setDaemon(true);
                threads.add(t);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        server.close();
        for (Conn c : connections) {
            c.drop();
        }
        for (Thread t : threads) {
            try {
                t.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** One camera connection as the server saw it. */
    final class Conn {
        private final Socket socket;
        final List<Message> messages = new CopyOnWriteArrayList<>();
        volatile Message.Hello hello;
        volatile boolean ended;
        volatile String error;
        /** Bytes of the protocol received (after TLS, decrypted). */
        volatile long bytesIn;

        Conn(Socket socket) {
            this.socket = socket;
        }

        /** The frames of the main stream, in order. */
        List<Message.Frame> frames() {
            List<Message.Frame> out = new ArrayList<>();
            for (Message m : messages) {
                if (m instanceof Message.Frame f && !f.substream()) {
                    out.add(f);
                }
            }
            return out;
        }

        /** The frames flagged as substream, in order. */
        List<Message.Frame> substreamFrames() {
            List<Message.Frame> out = new ArrayList<>();
            for (Message m : messages) {
                if (m instanceof Message.Frame f && f.substream()) {
                    out.add(f);
                }
            }
            return out;
        }

        boolean sawGoodbye() {
            return messages.stream().anyMatch(m -> m instanceof Message.Goodbye);
        }

        long heartbeats() {
            return messages.stream().filter(m -> m instanceof Message.Heartbeat).count();
        }

        /** Cuts the connection without a word, as a crashed server would. */
        void drop() {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }

        private synchronized void send(Message m) throws IOException {
            OutputStream out = socket.getOutputStream();
            out.write(WireEncoder.encode(m));
            out.flush();
        }

        private void serve() {
            WireDecoder decoder = WireDecoder.forServer(8 * 1024 * 1024);
            Thread beat = null;
            try (socket) {
                InputStream in = socket.getInputStream();
                byte[] buf = new byte[64 * 1024];
                int n;
                while ((n = in.read(buf)) >= 0) {
                    bytesIn += n;
                    List<Message> batch = new ArrayList<>();
                    byte[] chunk = java.util.Arrays.copyOf(buf, n);
                    decoder.feed(chunk, batch::add);
                    for (Message m : batch) {
                        messages.add(m);
                        if (m instanceof Message.Hello h) {
                            hello = h;
                            Message answer = reply.apply(h);
                            send(answer);
                            if (answer instanceof Message.Reject) {
                                return;
                            }
                            if (heartbeats && answer instanceof Message.Accept a) {
                                beat = heartbeatThread(a.heartbeatIntervalMs());
                            }
                        }
                    }
                    if (decoder.ended()) {
                        return;
                    }
                }
            } catch (SocketException e) {
                // dropped on purpose or by the camera
            } catch (IOException | ProtocolException e) {
                error = e.toString();
            } finally {
                ended = true;
                if (beat != null) {
                    beat.interrupt();
                }
            }
        }

        private Thread heartbeatThread(int intervalMs) {
            Thread t = new Thread(() -> {
                try {
                    while (!socket.isClosed()) {
                        Thread.sleep(intervalMs); // the server's heartbeat period, not a wait for a result
                        send(new Message.Heartbeat(System.currentTimeMillis() * 1000));
                    }
                } catch (InterruptedException | IOException e) {
                    // connection over
                }
            }, "fake-ingest-heartbeat");
            t.setDaemon(true);
            t.start();
            return t;
        }
    }
}
