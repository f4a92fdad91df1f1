package io.github.cctv.camera;

/**
 * Where a camera's frames come from. Two kinds:
 * <ul>
 *   <li><b>paced</b> ({@link #live()} false: test pattern, files): the streamer calls {@link #poll} once per
 *       frame slot at the configured fps and the source makes that frame then;</li>
 *   <li><b>live</b> (cameras): frames arrive at the camera's own pace on the source's own thread, wait in
 *       a bounded queue, and the streamer polls until it is empty whenever {@link #onFrameReady} fires.</li>
 * </ul>
 * {@link #poll} runs on the network thread: it must answer at once.
 */
public interface FrameSource extends AutoCloseable {

    /**
     * The next frame, or {@code null} when none is ready (a paced slot is then skipped, nothing is sent).
     *
     * @param frameNumber 1, 2, 3… counting the frames this source has handed out
     * @param nowMicros   the current time, epoch microseconds, to stamp frames made on demand
     */
    SourceFrame poll(long frameNumber, long nowMicros);

    /** What the frames are; {@code null} for JPEG of the streamer's configured size and fps. */
    default StreamFormat format() {
        return null;
    }

    /** True when frames come at the source's own pace and each is sent as soon as it is ready. */
    default boolean live() {
        return false;
    }

    /** A live source runs {@code wakeup} (from any thread) whenever a frame becomes ready. */
    default void onFrameReady(Runnable wakeup) {
    }

    /**
     * A new connection starts, or a frame was lost: the next frame should be a key frame (an encoder
     * makes one, a queue skips to one). The streamer discards non-key frames until one comes anyway.
     */
    default void startAtKeyFrame() {
    }

    /**
     * The server accepted a connection ({@code firstOfRun}: the first one since the streamer started). A live
     * source sends what it queued meanwhile from its oldest key frame (on a reconnect, without the frames older
     * than its backlog bound); by default, as after a loss, the next frame is a key frame.
     */
    default void startConnection(boolean firstOfRun) {
        startAtKeyFrame();
    }

    /** Frames this source had to throw away itself (a full queue), since it started. */
    default long droppedFrames() {
        return 0;
    }

    /** Releases devices, decoders and threads. */
    @Override
    default void close() {
    }
}
