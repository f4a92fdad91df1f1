package io.github.cctv.ingest.domain;

import java.util.concurrent.CompletionStage;

/**
 * The cluster-wide hold of camera ids: a camera's session opens on an ingest instance only while that instance
 * claims the id, so that a second connection with the id on any instance is refused. Never blocks the caller.
 */
public interface CameraClaims {

    /**
     * Claims {@code cameraId} for this instance, once per connection that will open a session with it; completes
     * (on another thread) with true when this instance holds the id, false when another live instance does. Every
     * true is matched by one {@link #release}.
     */
    CompletionStage<Boolean> claim(String cameraId);

    /** Gives up one {@link #claim} of {@code cameraId}; the id is free for other instances when the last one goes. */
    void release(String cameraId);

    /** This instance's id, as registry entries name their owner. */
    String instanceId();
}
