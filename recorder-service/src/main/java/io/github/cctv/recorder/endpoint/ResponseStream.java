package io.github.cctv.recorder.endpoint;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * A blocking stream onto an HTTP response, for a thread of the media pools: writes wait while the connection's
 * write queue is full (so a slow viewer holds no more than that queue), and fail as soon as the client is gone, so
 * that whatever writes here stops. The status and headers go out with the first byte.
 */
final class ResponseStream extends OutputStream {

    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    /** The client closed the connection. */
    static final class ClientGoneException extends IOException {
        ClientGoneException() {
            super("the client went away");
        }
    }

    private final HttpServerResponse response;
    private final Consumer<HttpServerResponse> head;
    private boolean started;

    ResponseStream(HttpServerResponse response, Consumer<HttpServerResponse> head) {
        this.response = response;
        this.head = head;
    }

    /** True once the client has gone (or the thread is asked to stop): the writer should end. */
    boolean gone() {
        return response.closed() || Thread.currentThread().isInterrupted();
    }

    /** True once the status and headers are out (an error can no longer be answered with a status). */
    boolean started() {
        return started;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[]{(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        if (gone()) {
            throw new ClientGoneException();
        }
        if (!started) {
            head.accept(response);
            response.setChunked(true);
            started = true;
        }
        while (response.writeQueueFull()) {
            if (gone()) {
                throw new ClientGoneException();
            }
            LockSupport.parkNanos(POLL_NANOS);
        }
        try {
            response.write(Buffer.buffer(Arrays.copyOfRange(b, off, off + len)));
        } catch (IllegalStateException e) {
            throw new ClientGoneException(); // the response was closed between the check and the write
        }
    }

    /** Ends the response, if the client is still there. */
    void finish() {
        if (!response.closed() && !response.ended()) {
            if (!started) {
                head.accept(response);
            }
            response.end();
        }
    }
}
