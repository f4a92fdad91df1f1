package io.github.cctv.recorder.domain.recording;

/** Read-only view of the camera registry. */
public interface CameraRegistry {

    /** True when the camera has ever registered. */
    boolean isKnown(String cameraId);
}
