package io.github.cctv.dashboard.domain.cameras;

import io.github.cctv.protocol.event.CameraEvent;

import java.util.List;

/** Past events, newest first. */
public interface EventHistory {

    /** Up to {@code limit} of the newest events, of one camera or (cameraId null) of all. */
    default List<CameraEvent> recent(String cameraId, int limit) {
        return recent(cameraId, limit, null, e -> true);
    }

    /**
     * Up to {@code limit} of the newest events that {@code keep} accepts, of one camera or of all, from
     * {@code since} on (null: as far back as the history reaches).
     */
    List<CameraEvent> recent(String cameraId, int limit, java.time.Instant since,
                             java.util.function.Predicate<CameraEvent> keep);
}
