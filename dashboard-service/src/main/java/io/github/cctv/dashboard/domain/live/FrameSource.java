package io.github.cctv.dashboard.domain.live;

import java.util.Optional;
import java.util.function.Consumer;

/** Where live frames come from. Implementations deliver on their own thread and must not be blocked by the sink. */
public interface FrameSource {

    /** Starts delivering a camera's frames to {@code sink} until the returned handle is closed. */
    Subscription subscribe(String cameraId, Consumer<Frame> sink);

    /** The camera's newest retained frame, if any (looked up now, may take a network round trip). */
    Optional<Frame> latest(String cameraId);

    /** A running subscription; closing it stops delivery. */
    interface Subscription extends AutoCloseable {
        @Override
        void close();
    }
}
