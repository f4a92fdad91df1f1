package io.github.cctv.ingest.domain;

import io.github.cctv.protocol.event.CameraStatus;

/** Writes the camera registry. Never blocks: the newest change per camera wins. */
public interface CameraRegistry {

    /** Writes a camera's entry. */
    void update(CameraStatus status);

    /** Removes a camera's entry. */
    void remove(String cameraId);
}
