package io.github.cctv.ingest.endpoint;

import io.github.cctv.ingest.domain.AlreadyOnlineException;
import io.github.cctv.ingest.domain.CameraInfo;
import io.github.cctv.ingest.domain.CameraSessions;
import io.github.cctv.protocol.EpochMicros;
import io.github.cctv.protocol.event.DisconnectReason;
import io.github.cctv.protocol.wire.Message;
import io.github.cctv.protocol.wire.ProtocolException;
import io.github.cctv.protocol.wire.ReasonCode;
import io.github.cctv.protocol.wire.Wire;
import io.github.cctv.protocol.wire.WireDecoder;
import io.github.cctv.protocol.wire.WireEncoder;
import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import org.jboss.logging.Logger;

/**
 * One camera TCP connection: handshake, frames, heartbeats both ways, and the watchdog. Everything runs on
 * the connection's event loop, except {@link #shutdown()}.
 */
final class CameraConnection {

    /** Counted as a reject when a connection closes before its hello is complete. */
    static final String CLOSED_BEFORE_HELLO = "CLOSED_BEFORE_HELLO";

    private static final Logger LOG = Logger.getLogger(CameraConnection.class);

    private final CameraServer server;
    private final NetSocket socket;
    private final Context context;
    private final String peer;
    private final int maxFrameBytes;
    private final WireDecoder decoder;
    private volatile CameraSessions.CameraSession session;
    private volatile boolean closing;
    private long lastHeardMillis;
    private long lastSentMillis;
    private long handshakeTimer = -1;
    private long tickTimer = -1;

    CameraConnection(CameraServer server, NetSocket socket, Context context, int maxFrameBytes) {
        this.server = server;
        this.socket = socket;
        this.context = context;
        this.peer = String.valueOf(socket.remoteAddress());
        this.maxFrameBytes = maxFrameBytes;
        this.decoder = WireDecoder.forServer(maxFrameBytes);
    }

    String peer() {
        return peer;
    }

    void start() {
        lastHeardMillis = server.clock().millis();
        socket.handler(this::onData);
        socket.closeHandler(v -> onClosed());
        socket.exceptionHandler(e -> LOG.debugf("connection %s: %s", peer, e.toString()));
        handshakeTimer = server.vertx().setTimer(server.handshakeTimeoutMillis(), id -> {
            handshakeTimer = -1;
            if (session == null) {
                reject(ReasonCode.HANDSHAKE_TIMEOUT, "no complete hello within " + server.handshakeTimeoutMillis() + " ms");
            }
        });
    }

    /** Refuses a connection beyond the limit, before reading anything from it. */
    void refuseBusy(int limit) {
        reject(ReasonCode.SERVER_BUSY, "server has reached its limit of " + limit + " connections");
    }

    private void onData(Buffer data) {
        if (closing) {
            return;
        }
        lastHeardMillis = server.clock().millis();
        try {
            decoder.feed(data.getByteBuf().nioBuffer(), this::onMessage);
        } catch (ProtocolException e) {
            reject(e.reason(), e.getMessage());
        }
    }

    private void onMessage(Message message) {
        if (closing) {
            return;
        }
        if (message instanceof Message.Frame frame) {
            session.frame(frame);
        } else if (message instanceof Message.Heartbeat) {
            // lastHeardMillis already moved with the bytes
        } else if (message instanceof Message.Hello hello) {
            onHello(hello);
        } else if (message instanceof Message.Goodbye) {
            closing = true;
            session.close(DisconnectReason.GOODBYE, "");
            socket.close();
        }
    }

    private void onHello(Message.Hello hello) {
        cancelHandshakeTimer();
        String id = hello.cameraId();
        if (!server.codecs().contains(hello.codec())) {
            reject(ReasonCode.UNSUPPORTED_CODEC, "codec " + hello.codec().wireName() + " is not accepted by this server");
            return;
        }
        if (!server.tokens().accepts(id, hello.token())) {
            reject(ReasonCode.BAD_TOKEN, "token missing or wrong for camera " + id);
            return;
        }
        try {
            session = server.sessions().open(CameraInfo.of(hello, peer));
        } catch (AlreadyOnlineException e) {
            reject(ReasonCode.ALREADY_ONLINE, e.getMessage());
            return;
        }
        send(new Message.Accept(Wire.VERSION, maxFrameBytes, (int) server.heartbeatIntervalMillis(),
                (int) server.sessionTimeoutMillis()));
        tickTimer = server.vertx().setPeriodic(server.tickMillis(), id2 -> tick());
    }

    private void tick() {
        if (closing) {
            return;
        }
        long now = server.clock().millis();
        long silent = now - lastHeardMillis;
        if (silent >= server.sessionTimeoutMillis()) {
            reject(ReasonCode.HEARTBEAT_TIMEOUT, "nothing received for " + silent + " ms");
            return;
        }
        // a camera that does not read gets no more heartbeats queued: its socket buffer is already full
        if (now - lastSentMillis >= server.heartbeatIntervalMillis() && !socket.writeQueueFull()) {
            send(new Message.Heartbeat(EpochMicros.now(server.clock())));
        }
    }

    private void send(Message message) {
        lastSentMillis = server.clock().millis();
        socket.write(Buffer.buffer(WireEncoder.encode(message)));
    }

    /** Refuses the camera or ends its session with a reason it is told, then closes. */
    private void reject(ReasonCode reason, String message) {
        if (closing) {
            return;
        }
        closing = true;
        cancelHandshakeTimer();
        server.metrics().reject(reason.name());
        CameraSessions.CameraSession s = session;
        LOG.infof("rejected %s%s: %s %s", peer, s == null ? "" : " (camera " + s.camera().cameraId() + ")", reason, message);
        if (s != null) {
            s.close(reason == ReasonCode.HEARTBEAT_TIMEOUT ? DisconnectReason.HEARTBEAT_TIMEOUT
                    : DisconnectReason.PROTOCOL_ERROR, reason.name() + ": " + message);
        }
        // keep reading (and ignoring) until closed: unread input would turn the close into a reset that can eat the reject
        socket.end(Buffer.buffer(WireEncoder.encode(new Message.Reject(reason, message))));
    }

    private void onClosed() {
        cancelHandshakeTimer();
        if (tickTimer >= 0) {
            server.vertx().cancelTimer(tickTimer);
            tickTimer = -1;
        }
        server.closed(this);
        CameraSessions.CameraSession s = session;
        if (s != null) {
            s.close(DisconnectReason.CONNECTION_LOST, "");
        } else if (!closing) {
            closing = true;
            server.metrics().reject(CLOSED_BEFORE_HELLO);
            LOG.infof("rejected %s: connection closed before a complete hello (%d bytes received)", peer, decoder.bytesIn());
        }
    }

    /** Says goodbye to the camera and ends its session; called at shutdown from any thread. Completes when the goodbye is written. */
    java.util.concurrent.CompletableFuture<Void> shutdown() {
        CameraSessions.CameraSession s = session;
        if (s != null) {
            // closed here, not on the event loop, so that the event is queued before NATS is drained
            s.close(DisconnectReason.SERVER_SHUTDOWN, "ingest is shutting down");
        }
        java.util.concurrent.CompletableFuture<Void> done = new java.util.concurrent.CompletableFuture<>();
        context.runOnContext(v -> {
            if (closing) {
                done.complete(null);
                return;
            }
            closing = true;
            socket.end(Buffer.buffer(WireEncoder.encode(new Message.Goodbye()))).onComplete(r -> done.complete(null));
        });
        return done;
    }

    private void cancelHandshakeTimer() {
        if (handshakeTimer >= 0) {
            server.vertx().cancelTimer(handshakeTimer);
            handshakeTimer = -1;
        }
    }
}
