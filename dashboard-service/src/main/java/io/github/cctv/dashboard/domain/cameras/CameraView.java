package io.github.cctv.dashboard.domain.cameras;

import io.github.cctv.protocol.event.CameraStatus;
import io.github.cctv.protocol.event.RecordingState;

/** A camera as the dashboard shows it: registry status (null if unknown) and recording state (null if never recorded). */
public record CameraView(String cameraId, CameraStatus status, RecordingState recording) {
}
