package io.github.cctv.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.cctv.dashboard.domain.live.Frame;
import io.github.cctv.dashboard.domain.live.LiveFrameCodec;
import io.github.cctv.protocol.event.Events;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A browser stand-in on the live WebSocket (JDK client). A stalled client reads nothing after its first
 * frame, so TCP back-pressure reaches the server as it would from a frozen tab.
 */
public final class LiveClient implements AutoCloseable {

    public final List<Frame> frames = new CopyOnWriteArrayList<>();
    public final List<JsonNode> texts = new CopyOnWriteArrayList<>();
    /** Protocol errors the client saw (an interleaved fragment, say): a correct server causes none. */
    public final List<Throwable> errors = new CopyOnWriteArrayList<>();
    private final WebSocket socket;
    private final boolean stalled;
    /** A slow page: after each frame, this long before it reads on (0 = at once). */
    private final long readPauseMillis;
    private volatile boolean closed;

    private LiveClient(URI httpUri, boolean stalled, String... headers) throws Exception {
        this(httpUri, stalled, 0, headers);
    }

    private LiveClient(URI httpUri, boolean stalled, long readPauseMillis, String... headers) throws Exception {
        this.stalled = stalled;
        this.readPauseMillis = readPauseMillis;
        URI ws = URI.create(httpUri.toString().replaceFirst("^http", "ws"));
        WebSocket.Builder builder = HttpClient.newHttpClient().newWebSocketBuilder();
        for (int i = 0; i + 1 < headers.length; i += 2) {
            builder.header(headers[i], headers[i + 1]);
        }
        socket = builder.buildAsync(ws, new Listener()).get(5, TimeUnit.SECONDS);
    }

    public static LiveClient open(URI httpUri) throws Exception {
        return new LiveClient(httpUri, false);
    }

    /** Opens with extra handshake headers, as name, value pairs (a session {@code Cookie}, say). */
    public static LiveClient open(URI httpUri, String... headers) throws Exception {
        return new LiveClient(httpUri, false, headers);
    }

    /** A page that takes {@code perFrame} over each frame, as a slow phone on a slow link would. */
    public static LiveClient openSlow(URI httpUri, java.time.Duration perFrame) throws Exception {
        return new LiveClient(httpUri, false, perFrame.toMillis());
    }

    public static LiveClient openStalled(URI httpUri) throws Exception {
        return new LiveClient(httpUri, true);
    }

    public void send(String json) {
        socket.sendText(json, true).join();
    }

    public List<Frame> framesOf(String cameraId) {
        return frames.stream().filter(f -> f.cameraId().equals(cameraId)).collect(Collectors.toList());
    }

    public List<JsonNode> textsOfType(String type) {
        return texts.stream().filter(t -> type.equals(t.path("type").asText())).collect(Collectors.toList());
    }

    /** Whether the server closed the socket (or it broke). */
    public boolean closedByServer() {
        return closed || socket.isInputClosed();
    }

    @Override
    public void close() {
        socket.abort();
    }

    private final class Listener implements WebSocket.Listener {
        private final ByteArrayOutputStream binary = new ByteArrayOutputStream();
        private final StringBuilder text = new StringBuilder();

        @Override
        public void onOpen(WebSocket webSocket) {
            webSocket.request(1);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                try {
                    texts.add(Events.mapper().readTree(text.toString()));
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
                text.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            errors.add(error);
            closed = true;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed = true;
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            byte[] chunk = new byte[data.remaining()];
            data.get(chunk);
            binary.writeBytes(chunk);
            if (last) {
                frames.add(LiveFrameCodec.decode(binary.toByteArray()));
                binary.reset();
                if (stalled) {
                    return null; // never asks for more: the socket stops being read
                }
                if (readPauseMillis > 0) {
                    java.util.concurrent.CompletableFuture.delayedExecutor(readPauseMillis,
                            java.util.concurrent.TimeUnit.MILLISECONDS).execute(() -> webSocket.request(1));
                    return null;
                }
            }
            webSocket.request(1);
            return null;
        }
    }
}
