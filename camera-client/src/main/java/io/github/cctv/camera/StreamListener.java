package io.github.cctv.camera;

import io.github.cctv.protocol.wire.Message;

import java.time.Duration;

/**
 * What happens to one camera's connection. Callbacks run on the streaming thread, which also serves the
 * other simulated cameras: they must return quickly (hand anything slow to another thread).
 */
public interface StreamListener {

    /** The server accepted the hello; frames follow. */
    default void onConnected(Message.Accept accept) {
    }

    /** The server refused the hello (or ended the session) with a reason and a message. */
    default void onRejected(Message.Reject reject) {
    }

    /** A frame went out completely; {@code jpeg} is exactly the image bytes that were written. */
    default void onFrameSent(long seq, long captureMicros, byte[] jpeg) {
    }

    /** A substream frame went out completely (its own sequence); {@code data} is exactly the bytes written. */
    default void onSubstreamFrameSent(long seq, long captureMicros, byte[] data) {
    }

    /** An accepted session ended: goodbye sent, server gone, silent or closed. */
    default void onDisconnected(String reason) {
    }

    /** A connection attempt or session failed for {@code reason}; the next attempt comes after {@code delay}. */
    default void onRetry(String reason, Duration delay) {
    }
}
