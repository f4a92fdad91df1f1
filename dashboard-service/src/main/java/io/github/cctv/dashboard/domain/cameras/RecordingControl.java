package io.github.cctv.dashboard.domain.cameras;

import io.github.cctv.protocol.event.RecordingCommand;
import io.github.cctv.protocol.event.RecordingReply;

/** Sends recording commands to whichever recorder serves the camera. */
public interface RecordingControl {

    /** @throws RecorderUnavailableException when no recorder answers in time */
    RecordingReply send(String cameraId, RecordingCommand command);

    /** No recorder answered, or its answer could not be read. */
    final class RecorderUnavailableException extends RuntimeException {
        public RecorderUnavailableException(String message) {
            super(message);
        }
    }
}
