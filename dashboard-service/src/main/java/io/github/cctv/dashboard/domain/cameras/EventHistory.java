package io.github.cctv.dashboard.domain.cameras;

import io.github.cctv.protocol.event.CameraEvent;

import java.util.List;

/** Past events, newest first. */
public interface EventHistory {

    /** Up to {@code limit} of the newest events, of one camera or (cameraId null) of all. */
    List<CameraEvent> recent(String cameraId, int limit);
}
