package io.github.cctv.dashboard.domain.live;

import java.util.List;
import java.util.function.Consumer;

/** Where live frames come from. Implementations deliver on their own thread and must not be blocked by the sink. */
public interface FrameSource {

    /** Starts delivering a camera's frames (main stream or substream) to {@code sink} until the handle is closed. */
    Subscription subscribe(String cameraId, boolean substream, Consumer<Frame> sink);

    /**
     * Where a new viewer starts, from what is retained (looked up now, may take network round trips): the newest
     * frame of a JPEG camera; for an H.264 camera the newest key frame and every frame after it, in order, if they
     * fit in {@code maxBytes}. Empty when nothing usable is retained.
     */
    List<Frame> startingPoint(String cameraId, boolean substream, long maxBytes);

    /** A running subscription; closing it stops delivery. */
    interface Subscription extends AutoCloseable {
        @Override
        void close();
    }
}
