package io.github.cctv.ingest.domain;

import io.github.cctv.protocol.event.CameraStatus;

/** Writes a camera's entry in the registry. Never blocks: the newest status per camera wins. */
public interface CameraRegistry {

    void update(CameraStatus status);
}
