package io.github.cctv.ingest.endpoint;

import io.github.cctv.ingest.domain.AlreadyOnlineException;
import io.github.cctv.ingest.domain.CameraClaims;
import io.github.cctv.ingest.domain.CameraInfo;
import io.github.cctv.ingest.domain.CameraSessions;
import io.github.cctv.ingest.domain.CameraTokens;
import io.github.cctv.ingest.domain.FrameCheck;
import io.github.cctv.ingest.domain.RegistryFullException;
import io.github.cctv.protocol.EpochMicros;
import io.github.cctv.protocol.event.DisconnectReason;
import io.github.cctv.protocol.wire.Message;
import io.github.cctv.protocol.wire.ProtocolException;
import io.github.cctv.protocol.wire.ReasonCode;
import io.github.cctv.protocol.wire.WireDecoder;
import io.github.cctv.protocol.wire.WireEncoder;
import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import org.jboss.logging.Logger;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;

/**
 * One camera TCP connection: handshake, frames, heartbeats both ways, and the watchdog. Everything runs on
 * the connection's event loop, except {@link #shutdown()}. After a valid hello the connection stops reading while its
 * camera id is claimed cluster-wide ({@link CameraClaims}, off the event loop); the
 * session opens once the claim is held, and the claim is released when the connection closes.
 *
 * <p>What a connection may cost is bounded: a frame's buffer grows with the bytes that arrive, from the shared
 * {@link FrameMemory} (when it is exhausted the connection stops reading until memory is given back); every message
 * must be complete within the message timeout of its first byte; and a silent connection is lost after the session
 * timeout. Bytes after a goodbye or a reject are read and ignored.
 */
final class CameraConnection {

    /** Counted as a reject when a connection closes before its hello is complete. */
    static final String CLOSED_BEFORE_HELLO = "CLOSED_BEFORE_HELLO";

    /** Counted as a reject when a connection to the TLS port does not complete its TLS handshake (plain bytes, garbage, an untrusting client, a timeout). */
    static final String TLS_HANDSHAKE_FAILED = "TLS_HANDSHAKE_FAILED";

    private static final Logger LOG = Logger.getLogger(CameraConnection.class);

    private final CameraServer server;
    private final NetSocket socket;
    private final Context context;
    private final String peer;
    private final int maxFrameBytes;
    private final WireDecoder decoder;
    /** The connection must be upgraded to TLS before anything is read from it. */
    private final boolean tls;
    /** The TLS handshake is complete (or the connection is plain): protocol messages may be read and written. */
    private boolean secured;
    private String lastError = "";
    private volatile CameraSessions.CameraSession session;
    private volatile boolean closing;
    private long lastHeardMillis;
    private long lastSentMillis;
    private long handshakeTimer = -1;
    private long tickTimer = -1;
    /** Input not yet decoded because frame memory ran out; non-null while reading is paused for it. */
    private Buffer unread;
    private long messageStart = -1;
    private long messageStartMillis;
    /** The hello waiting for its cluster-wide claim; non-null while reading is paused for it. */
    private Message.Hello claiming;
    /** Messages decoded after the hello while its claim was on its way, handled once the session is open. */
    private ArrayDeque<Message> afterHello;
    /** This connection's claim of its camera id, released when it closes; null when it holds none. */
    private CameraClaims.Claim claimed;

    CameraConnection(CameraServer server, NetSocket socket, Context context, int maxFrameBytes, boolean tls) {
        this.server = server;
        this.socket = socket;
        this.context = context;
        this.peer = String.valueOf(socket.remoteAddress());
        this.maxFrameBytes = maxFrameBytes;
        this.decoder = WireDecoder.forServer(maxFrameBytes, server.frameMemory());
        this.tls = tls;
        this.secured = !tls;
    }

    String peer() {
        return peer;
    }

    void start() {
        lastHeardMillis = server.clock().millis();
        socket.handler(this::onData);
        socket.closeHandler(v -> onClosed());
        socket.exceptionHandler(e -> {
            lastError = describe(e);
            LOG.debugf("connection %s: %s", peer, e.toString());
        });
        // one timer from the TCP accept: the TLS handshake and the hello together have the handshake timeout
        handshakeTimer = server.vertx().setTimer(server.handshakeTimeoutMillis(), id -> {
            handshakeTimer = -1;
            if (!secured) {
                tlsFailed("not complete within " + server.handshakeTimeoutMillis() + " ms");
            } else if (session == null) {
                reject(ReasonCode.HANDSHAKE_TIMEOUT, "no complete hello within " + server.handshakeTimeoutMillis() + " ms");
            }
        });
        if (tls) {
            socket.upgradeToSsl().onComplete(done -> {
                if (done.succeeded()) {
                    secured = true;
                } else {
                    tlsFailed(describe(done.cause()));
                }
            });
        }
    }

    /** A TLS handshake that did not complete: counted and logged (rate-limited) like any reject, then closed. */
    private void tlsFailed(String detail) {
        if (closing) {
            return;
        }
        closing = true;
        cancelHandshakeTimer();
        server.metrics().reject(TLS_HANDSHAKE_FAILED);
        server.rejectLog().log(TLS_HANDSHAKE_FAILED, "rejected " + peer + ": TLS handshake failed: " + detail
                + " (a camera on the TLS port must speak TLS first)");
        server.closed(this);
        // nothing of the protocol can be said before TLS: just close
        socket.close();
    }

    private static String describe(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        if (t instanceof io.netty.handler.ssl.NotSslRecordException) {
            // its message dumps the bytes received, which may hold a camera's token: never logged
            return "the first bytes are not a TLS record";
        }
        String m = t.getMessage();
        if (m != null && m.length() > 200) {
            m = m.substring(0, 200) + "…";
        }
        return t.getClass().getSimpleName() + (m == null || m.isBlank() ? "" : ": " + m);
    }

    /** Refuses a connection beyond the limit, before reading anything from it. */
    void refuseBusy(int limit) {
        reject(ReasonCode.SERVER_BUSY, "server has reached its limit of " + limit + " connections");
    }

    private void onData(Buffer data) {
        if (closing) {
            return;
        }
        if (tls && !socket.isSsl()) {
            // cannot happen while the upgrade starts at accept; if it ever did, plain bytes on the TLS port are refused
            tlsFailed("bytes before the TLS handshake");
            return;
        }
        lastHeardMillis = server.clock().millis();
        if (unread != null) {
            // arrived while reading was being paused: keep it behind what waits
            unread.appendBuffer(data);
            return;
        }
        decode(data);
    }

    /** Feeds the decoder; when frame memory runs out, keeps the rest and pauses reading until memory comes back. */
    private void decode(Buffer data) {
        ByteBuffer in = data.getByteBuf().nioBuffer();
        boolean all;
        try {
            all = decoder.feed(in, this::onMessage);
        } catch (ProtocolException e) {
            reject(e.reason(), e.getMessage());
            return;
        }
        if (closing) {
            // rejected by a message of this input: what the rest of it began holds no memory
            decoder.discard();
            return;
        }
        noteMessageStart();
        if (!all) {
            byte[] rest = new byte[in.remaining()];
            in.get(rest);
            unread = Buffer.buffer(rest);
            socket.pause();
            server.metrics().readPaused();
            server.frameMemory().whenAvailable(() -> context.runOnContext(v -> resumeReading()));
        }
    }

    private void resumeReading() {
        if (closing || unread == null) {
            return;
        }
        Buffer waiting = unread;
        unread = null;
        decode(waiting);
        if (unread == null && !closing) {
            socket.resume();
        }
    }

    /** Starts the message timeout when a new message has begun. */
    private void noteMessageStart() {
        long start = decoder.messageStart();
        if (start < 0) {
            messageStart = -1;
        } else if (start != messageStart) {
            messageStart = start;
            messageStartMillis = server.clock().millis();
        }
    }

    private void onMessage(Message message) {
        if (closing) {
            return;
        }
        if (claiming != null) {
            // the rest of the input that brought the hello: kept until the session is open (reading is paused)
            afterHello.addLast(message);
            return;
        }
        if (message instanceof Message.Frame frame) {
            String problem = FrameCheck.problem(session.camera().codecOf(frame), frame.data(), frame.keyFrame());
            if (problem != null) {
                reject(ReasonCode.INVALID_FRAME, (frame.substream() ? "substream frame " : "frame ")
                        + Long.toUnsignedString(frame.seq()) + ": " + problem);
                return;
            }
            session.frame(frame);
        } else if (message instanceof Message.Heartbeat) {
            // lastHeardMillis already moved with the bytes
        } else if (message instanceof Message.Hello hello) {
            onHello(hello);
        } else if (message instanceof Message.Goodbye) {
            // whatever follows is ignored: the decoder reads no message after a goodbye, and closing drops the rest
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
        if (hello.substream() != null && !server.codecs().contains(hello.substream().codec())) {
            reject(ReasonCode.UNSUPPORTED_CODEC, "substream codec " + hello.substream().codec().wireName()
                    + " is not accepted by this server");
            return;
        }
        CameraTokens.Verdict verdict = server.tokens().check(id, hello.token());
        if (verdict == CameraTokens.Verdict.REFUSED) {
            reject(ReasonCode.BAD_TOKEN, "token missing or wrong for camera " + id);
            return;
        }
        // the id is claimed cluster-wide first (off the event loop); nothing more is read until that is settled
        claiming = hello;
        afterHello = new ArrayDeque<>();
        socket.pause();
        server.claims().claim(id).whenComplete((claim, failure) -> context.runOnContext(v ->
                claimed(hello, verdict, failure == null ? claim : null, failure)));
    }

    /** The claim of the hello's camera id is settled: open the session (or refuse the camera), then read on. */
    private void claimed(Message.Hello hello, CameraTokens.Verdict verdict, CameraClaims.Claim claim,
                         Throwable failure) {
        String id = hello.cameraId();
        claiming = null;
        ArrayDeque<Message> waiting = afterHello;
        afterHello = null;
        claimed = claim;
        if (closing) {
            // closed while the claim was on its way
            releaseClaim();
            return;
        }
        if (claim == null) {
            if (failure != null) {
                LOG.warnf("claim of camera %s failed: %s", id, failure.toString());
            }
            reject(ReasonCode.ALREADY_ONLINE, "camera " + id + " is online on another ingest instance");
            socket.resume();
            return;
        }
        try {
            session = server.sessions().open(CameraInfo.of(hello, peer), verdict == CameraTokens.Verdict.AUTHENTICATED,
                    this::replaced);
        } catch (AlreadyOnlineException e) {
            releaseClaim();
            reject(ReasonCode.ALREADY_ONLINE, e.getMessage());
            socket.resume();
            return;
        } catch (RegistryFullException e) {
            releaseClaim();
            reject(ReasonCode.SERVER_BUSY, e.getMessage());
            socket.resume();
            return;
        }
        // the session speaks the camera's version (the decoder took only versions this server speaks)
        send(new Message.Accept(hello.version(), maxFrameBytes, (int) server.heartbeatIntervalMillis(),
                (int) server.sessionTimeoutMillis()));
        tickTimer = server.vertx().setPeriodic(server.tickMillis(), id2 -> tick());
        lastHeardMillis = server.clock().millis();
        while (waiting != null && !waiting.isEmpty() && !closing) {
            onMessage(waiting.pollFirst());
        }
        if (!closing && unread == null) {
            socket.resume();
        }
    }

    private void releaseClaim() {
        CameraClaims.Claim c = claimed;
        if (c != null) {
            claimed = null;
            c.release();
        }
    }

    /** A newer session of this camera took its id (the session is closed already): tell the camera and close. */
    private void replaced(String detail) {
        context.runOnContext(v -> reject(ReasonCode.ALREADY_ONLINE, "camera " + session.camera().cameraId()
                + " connected again: this connection is " + detail));
    }

    private void tick() {
        if (closing) {
            return;
        }
        long now = server.clock().millis();
        if (unread != null) {
            // not reading for want of memory is not the camera's silence
            lastHeardMillis = now;
        }
        if (messageStart >= 0 && now - messageStartMillis >= server.messageTimeoutMillis()) {
            reject(ReasonCode.HEARTBEAT_TIMEOUT, (decoder.bufferedBytes() > 0 ? "frame" : "message") + " incomplete after "
                    + (now - messageStartMillis) + " ms: a message must be complete within "
                    + server.messageTimeoutMillis() + " ms of its first byte");
            return;
        }
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
        if (!secured) {
            // a reject before the TLS handshake (the connection limit) cannot be written: counted, logged, closed
            closing = true;
            cancelHandshakeTimer();
            server.metrics().reject(reason.name());
            server.rejectLog().log(reason.name(), "rejected " + peer + ": " + reason + " " + message
                    + " (closed before the TLS handshake)");
            server.closed(this);
            socket.close();
            return;
        }
        closing = true;
        cancelHandshakeTimer();
        decoder.discard();
        server.metrics().reject(reason.name());
        CameraSessions.CameraSession s = session;
        server.rejectLog().log(reason.name(), "rejected " + peer + (s == null ? "" : " (camera " + s.camera().cameraId() + ")")
                + ": " + reason + " " + message);
        if (s != null) {
            s.close(reason == ReasonCode.HEARTBEAT_TIMEOUT ? DisconnectReason.HEARTBEAT_TIMEOUT
                    : DisconnectReason.PROTOCOL_ERROR, reason.name() + ": " + message);
        }
        if (unread != null) {
            unread = null;
            socket.resume();
        }
        server.closed(this);
        // keep reading (and ignoring) until closed: unread input would turn the close into a reset that can eat the reject
        socket.end(Buffer.buffer(WireEncoder.encode(new Message.Reject(reason, message))));
    }

    private void onClosed() {
        cancelHandshakeTimer();
        if (tickTimer >= 0) {
            server.vertx().cancelTimer(tickTimer);
            tickTimer = -1;
        }
        decoder.discard();
        unread = null;
        server.closed(this);
        CameraSessions.CameraSession s = session;
        if (s != null) {
            s.close(DisconnectReason.CONNECTION_LOST, "");
        } else if (claiming != null) {
            // the claim on its way is released once it is settled
            closing = true;
        } else if (!closing && !secured) {
            closing = true;
            server.metrics().reject(TLS_HANDSHAKE_FAILED);
            server.rejectLog().log(TLS_HANDSHAKE_FAILED, "rejected " + peer + ": TLS handshake failed: connection closed "
                    + "during the handshake" + (lastError.isEmpty() ? "" : " (" + lastError + ")")
                    + " (a camera on the TLS port must speak TLS first)");
        } else if (!closing) {
            closing = true;
            server.metrics().reject(CLOSED_BEFORE_HELLO);
            server.rejectLog().log(CLOSED_BEFORE_HELLO, "rejected " + peer + ": connection closed before a complete hello ("
                    + decoder.bytesIn() + " bytes received)");
        }
        if (claiming == null) {
            // after the session's end: its registry entry is queued before the id is free for another instance
            releaseClaim();
        }
    }

    /** Says goodbye to the camera and ends its session; called at shutdown from any thread. Completes when the goodbye is written. */
    CompletableFuture<Void> shutdown() {
        CameraSessions.CameraSession s = session;
        if (s != null) {
            // closed here, not on the event loop, so that the event is queued before NATS is drained
            s.close(DisconnectReason.SERVER_SHUTDOWN, "ingest is shutting down");
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        context.runOnContext(v -> {
            if (closing) {
                done.complete(null);
                return;
            }
            if (!secured) {
                closing = true;
                socket.close();
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
