package io.github.cctv.dashboard.domain.cameras;

import io.github.cctv.protocol.event.CameraEvent;

/** Where the {@link CameraDirectory} sends each change as it happens (the live view pushes it to every browser). */
public interface CameraUpdates {

    /** A camera's status or recording state changed; {@code camera} is how it stands now. */
    void cameraChanged(CameraView camera);

    /** A camera left the registry. */
    void cameraRemoved(String cameraId);

    /** An event happened. */
    void eventHappened(CameraEvent event);
}
