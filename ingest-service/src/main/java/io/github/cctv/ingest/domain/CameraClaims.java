package io.github.cctv.ingest.domain;

import java.util.concurrent.CompletionStage;

/**
 * The cluster-wide hold of camera ids: a camera's session opens on an ingest instance only while that instance
 * claims the id, so that a second connection with the id on any instance is refused. Never blocks the caller.
 */
public interface CameraClaims {

    /**
     * Claims {@code cameraId} for this instance, once per connection that will open a session with it; completes
     * (on another thread) with the connection's claim when this instance holds the id, null when another live
     * instance does. Every claim is released once.
     */
    CompletionStage<Claim> claim(String cameraId);

    /** This instance's id, as registry entries name their owner. */
    String instanceId();

    /** One connection's share of this instance's claim of a camera id. */
    interface Claim {

        String cameraId();

        /**
         * Gives this share up; the id is free for other instances when the last share goes. Does nothing when the
         * claim was lost meanwhile (another instance holds the id now) or after the first call.
         */
        void release();
    }
}
