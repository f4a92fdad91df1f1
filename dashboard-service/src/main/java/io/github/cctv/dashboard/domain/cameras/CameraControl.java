package io.github.cctv.dashboard.domain.cameras;

import io.github.cctv.protocol.event.CameraCommandReply;

/** Commands to ingest about a camera's registry entry. */
public interface CameraControl {

    /**
     * Asks ingest to forget an offline camera (remove its registry entry).
     *
     * @throws IngestUnavailableException when no ingest answers in time
     */
    CameraCommandReply forget(String cameraId);

    /** No ingest answered, or its answer could not be read. */
    final class IngestUnavailableException extends RuntimeException {
        public IngestUnavailableException(String message) {
            super(message);
        }
    }
}
