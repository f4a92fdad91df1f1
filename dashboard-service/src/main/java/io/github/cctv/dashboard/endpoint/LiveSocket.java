package io.github.cctv.dashboard.endpoint;

import io.github.cctv.dashboard.config.DashboardConfig;
import io.github.cctv.dashboard.domain.auth.Principal;
import io.github.cctv.dashboard.domain.auth.SignIn;
import io.github.cctv.dashboard.domain.cameras.CameraDirectory;
import io.github.cctv.dashboard.domain.live.LiveHub;
import io.github.cctv.dashboard.domain.live.LiveMessages;
import io.github.cctv.dashboard.domain.live.Viewer;
import io.github.cctv.dashboard.domain.live.ViewerConnection;
import io.github.cctv.dashboard.domain.live.Watch;
import io.netty.handler.codec.http.cookie.ServerCookieDecoder;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.HandshakeRequest;
import io.quarkus.websockets.next.OnClose;
import io.quarkus.websockets.next.OnOpen;
import io.quarkus.websockets.next.OnTextMessage;
import io.quarkus.websockets.next.WebSocket;
import io.quarkus.websockets.next.WebSocketConnection;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;

import java.time.Clock;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The live WebSocket: the browser says which cameras it shows (text JSON), frames go out as binary
 * messages ({@link io.github.cctv.dashboard.domain.LiveFrameCodec}), status and events as text JSON.
 */
@WebSocket(path = "/ws/live")
public class LiveSocket {

    private final LiveHub hub;
    private final CameraDirectory directory;
    private final DashboardConfig config;
    private final Clock clock;
    private final SignIn signIn;

    public LiveSocket(LiveHub hub, CameraDirectory directory, DashboardConfig config, Clock clock, SignIn signIn) {
        this.hub = hub;
        this.directory = directory;
        this.config = config;
        this.clock = clock;
        this.signIn = signIn;
    }

    @OnOpen
    public void open(WebSocketConnection connection) {
        Principal who = principal(connection.handshakeRequest());
        Connected transport = new Connected(connection, Vertx.currentContext());
        if (who == null) {
            // the gate let the upgrade through a moment ago; the session ended since
            transport.close("sign in again");
            return;
        }
        Viewer viewer = hub.connect(transport, who);
        viewer.sendText(LiveMessages.hello(viewer.id(), config.staleAfter(), hub.maxCamerasPerViewer(),
                clock.instant()));
        viewer.sendText(LiveMessages.cameras(directory.cameras().stream().filter(c -> who.mayWatch(c.cameraId()))
                .toList(), clock.instant()));
    }

    /**
     * Who opened the socket, from the same credentials {@link AuthFilter} checked on the upgrade request (session
     * cookie or HTTP Basic): the viewer sees and watches only that user's cameras. Null when they no longer hold.
     */
    private Principal principal(HandshakeRequest request) {
        if (!signIn.enabled()) {
            return Principal.ANYONE;
        }
        String authorization = request.header("Authorization");
        if (authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            String[] credentials = AuthFilter.decodeBasic(authorization.substring(6).trim());
            return signIn.authenticate(credentials[0], credentials[1]).map(Principal::of).orElse(null);
        }
        String cookies = request.header("Cookie");
        if (cookies == null) {
            return null;
        }
        for (io.netty.handler.codec.http.cookie.Cookie c : ServerCookieDecoder.LAX.decode(cookies)) {
            if (AuthFilter.COOKIE.equals(c.name())) {
                SignIn.SessionCheck check = signIn.checkSession(c.value());
                if (check.status() == SignIn.SessionCheck.Status.VALID) {
                    return check.principal();
                }
            }
        }
        return null;
    }

    @OnTextMessage
    public void message(String text, WebSocketConnection connection) {
        Viewer viewer = hub.viewer(connection.id());
        if (viewer == null) {
            return;
        }
        Map<String, Watch> wanted;
        try {
            LiveMessages.ClientMessage parsed = LiveMessages.parse(text);
            if (parsed instanceof LiveMessages.Ping ping) {
                viewer.sendText(LiveMessages.pong(ping.t(), clock.instant()));
                return;
            }
            wanted = ((LiveMessages.Subscribe) parsed).cameras();
            hub.watch(viewer, wanted);
        } catch (IllegalArgumentException e) {
            viewer.sendText(LiveMessages.error(e.getMessage(), clock.instant()));
            return;
        }
        viewer.sendText(LiveMessages.subscribed(wanted, clock.instant()));
    }

    @OnClose
    public void close(WebSocketConnection connection) {
        hub.disconnect(connection.id());
    }

    /**
     * The domain's view of a websockets-next connection. Every send runs on the connection's own event loop:
     * Vert.x writes a message larger than one WebSocket frame (64 KiB) as several frames, one write each, and
     * sends started on different threads (NATS dispatcher, registry watcher, completion callbacks) would
     * otherwise put one message's frames between another's fragments, which browsers reject.
     */
    private record Connected(WebSocketConnection connection, Context context) implements ViewerConnection {

        @Override
        public String id() {
            return connection.id();
        }

        @Override
        public void sendBinary(byte[] message, Consumer<Boolean> done) {
            // Buffer.buffer(byte[]) wraps, it does not copy: one encoded frame is shared by every viewer.
            send(() -> connection.sendBinary(Buffer.buffer(message)), done);
        }

        @Override
        public void sendText(String message, Consumer<Boolean> done) {
            send(() -> connection.sendText(message), done);
        }

        private void send(java.util.function.Supplier<io.smallrye.mutiny.Uni<Void>> op, Consumer<Boolean> done) {
            if (context == null || (Context.isOnEventLoopThread() && Vertx.currentContext() == context)) {
                sendNow(op, done);
            } else {
                context.runOnContext(v -> sendNow(op, done));
            }
        }

        private static void sendNow(java.util.function.Supplier<io.smallrye.mutiny.Uni<Void>> op, Consumer<Boolean> done) {
            try {
                op.get().subscribe().with(ok -> done.accept(true), err -> done.accept(false));
            } catch (RuntimeException e) {
                done.accept(false);
            }
        }

        @Override
        public void close(String reason) {
            connection.close(new CloseReason(1008, reason)).subscribe().with(ok -> { }, err -> { });
        }
    }
}
