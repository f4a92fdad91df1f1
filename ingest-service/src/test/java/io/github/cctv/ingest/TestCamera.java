package io.github.cctv.ingest;

import io.github.cctv.protocol.CameraToken;
import io.github.cctv.protocol.wire.Codec;
import io.github.cctv.protocol.wire.Message;
import io.github.cctv.protocol.wire.ProtocolException;
import io.github.cctv.protocol.wire.Wire;
import io.github.cctv.protocol.wire.WireDecoder;
import io.github.cctv.protocol.wire.WireEncoder;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A camera made of a raw socket and the protocol codec, nothing else: what any third-party camera would send. */
final class TestCamera implements AutoCloseable {

    final String id;
    private final Socket socket;
    private final OutputStream out;
    private final BlockingQueue<Message> received = new LinkedBlockingQueue<>();
    private final Thread reader;
    private volatile boolean disconnected;
    private volatile boolean stopHeartbeats;
    private Thread heartbeats;

    private TestCamera(String id, int port, InetAddress from) throws IOException {
        this(id, plain(port, from));
    }

    private TestCamera(String id, Socket connected) throws IOException {
        this.id = id;
        socket = connected;
        out = socket.getOutputStream();
        reader = new Thread(this::read, "test-camera-" + id);
        reader.setDaemon(true);
        reader.start();
    }

    static TestCamera connect(int port, String id) throws IOException {
        return new TestCamera(id, port, null);
    }

    /** Connects over TLS to {@code localhost:port}, trusting what {@code tls} trusts; fails if the handshake does. */
    static TestCamera connectTls(int port, String id, SSLContext tls) throws IOException {
        Socket raw = plain(port, null);
        SSLSocket s = (SSLSocket) tls.getSocketFactory().createSocket(raw, "localhost", port, true);
        SSLParameters params = s.getSSLParameters();
        params.setEndpointIdentificationAlgorithm("HTTPS");
        s.setSSLParameters(params);
        s.setSoTimeout(5_000);
        s.startHandshake();
        s.setSoTimeout(0);
        return new TestCamera(id, s);
    }

    /** Connects over TLS and completes the hello with the camera's own token, failing if refused. */
    static TestCamera onlineTls(int port, String id, SSLContext tls) throws Exception {
        TestCamera c = connectTls(port, id, tls);
        Message answer = c.handshake(token(id));
        if (!(answer instanceof Message.Accept)) {
            c.close();
            throw new AssertionError("camera " + id + " not accepted: " + answer);
        }
        return c;
    }

    private static Socket plain(int port, InetAddress from) throws IOException {
        Socket socket = new Socket();
        socket.setTcpNoDelay(true);
        if (from != null) {
            socket.bind(new InetSocketAddress(from, 0));
        }
        socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
        return socket;
    }

    /** Connects from the loopback address {@code from} (127.0.0.2, …: each is a source address of its own). */
    static TestCamera connectFrom(InetAddress from, int port, String id) throws IOException {
        return new TestCamera(id, port, from);
    }

    /** The camera's own token under the test secret ({@code secure-cam} has one of its own in the test profile). */
    static String token(String id) {
        return "secure-cam".equals(id) ? "s3cret" : CameraToken.derive(IngestTestSupport.SECRET, id);
    }

    static Message.Hello hello(String id, String token) {
        return hello(id, token, Codec.JPEG);
    }

    static Message.Hello hello(String id, String token, Codec codec) {
        return new Message.Hello(Wire.VERSION, id, "Test " + id, token, codec, 640, 480, 25_000);
    }

    /** Sends the hello and returns the server's answer (accept or reject). */
    Message handshake(String token) throws IOException, InterruptedException {
        return handshake(token, Codec.JPEG);
    }

    Message handshake(String token, Codec codec) throws IOException, InterruptedException {
        send(WireEncoder.encode(hello(id, token, codec)));
        return next(Duration.ofSeconds(5));
    }

    /** Connects and completes the handshake with the camera's own token, failing if refused. */
    static TestCamera online(int port, String id) throws Exception {
        return online(port, id, Codec.JPEG);
    }

    static TestCamera online(int port, String id, Codec codec) throws Exception {
        TestCamera c = connect(port, id);
        Message answer = c.handshake(token(id), codec);
        if (!(answer instanceof Message.Accept)) {
            c.close();
            throw new AssertionError("camera " + id + " not accepted: " + answer);
        }
        return c;
    }

    void frame(long seq, long captureMicros, byte[] data) throws IOException {
        frame(seq, captureMicros, true, data);
    }

    void frame(long seq, long captureMicros, boolean keyFrame, byte[] data) throws IOException {
        send(WireEncoder.encode(new Message.Frame(seq, captureMicros, keyFrame, data)));
    }

    void heartbeat() throws IOException {
        send(WireEncoder.encode(new Message.Heartbeat(System.currentTimeMillis() * 1000)));
    }

    void goodbye() throws IOException {
        send(WireEncoder.encode(new Message.Goodbye()));
    }

    synchronized void send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** Keeps the session alive while the test does something else. */
    void startHeartbeats(Duration every) {
        heartbeats = new Thread(() -> {
            while (!stopHeartbeats && !disconnected) {
                try {
                    heartbeat();
                    Thread.sleep(every.toMillis()); // pacing a sender, not waiting for a result
                } catch (IOException | InterruptedException e) {
                    return;
                }
            }
        }, "test-camera-heartbeat-" + id);
        heartbeats.setDaemon(true);
        heartbeats.start();
    }

    void stopHeartbeats() {
        stopHeartbeats = true;
    }

    /** The next message from the server other than a heartbeat, or null after {@code timeout}. */
    Message next(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            Message m = received.poll(Math.max(0, left), TimeUnit.NANOSECONDS);
            if (m == null || !(m instanceof Message.Heartbeat)) {
                return m;
            }
        }
    }

    boolean receivedHeartbeat() {
        return received.stream().anyMatch(m -> m instanceof Message.Heartbeat);
    }

    /** True once the connection has ended, whoever ended it. */
    boolean disconnected() {
        return disconnected;
    }

    /** Drops the connection without a goodbye, as a crashed camera or a cut cable would. */
    void kill() throws IOException {
        stopHeartbeats = true;
        socket.setSoLinger(true, 0);
        socket.close();
    }

    @Override
    public void close() throws IOException {
        stopHeartbeats = true;
        socket.close();
    }

    private void read() {
        WireDecoder decoder = WireDecoder.forCamera();
        byte[] buf = new byte[8192];
        try {
            InputStream in = socket.getInputStream();
            int n;
            while ((n = in.read(buf)) >= 0) {
                byte[] chunk = java.util.Arrays.copyOf(buf, n);
                decoder.feed(chunk, received::add);
            }
        } catch (IOException | ProtocolException e) {
            // the connection is over either way
        }
        disconnected = true;
    }
}
