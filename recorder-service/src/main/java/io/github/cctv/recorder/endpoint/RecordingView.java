package io.github.cctv.recorder.endpoint;

import io.github.cctv.recorder.domain.store.Recording;

import java.time.Instant;

/** A recording as the API shows it: {@code end} is null and {@code open} true while it is being written. */
public record RecordingView(String id, String cameraId, Instant start, Instant end, long frames, long bytes,
                            String path, boolean open) {

    static RecordingView of(Recording r) {
        return new RecordingView(r.id(), r.cameraId(), r.start(), r.open() ? null : r.end(), r.frames(), r.bytes(),
                r.path(), r.open());
    }
}
