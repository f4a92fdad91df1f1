package io.github.cctv.recorder.domain.store;

import java.time.Instant;

/**
 * One segment file and what is known of it; also the content of its sidecar. {@code end} is the capture time of
 * the last frame written so far; {@code lastStreamSeq} the frame stream sequence of that frame, so that a restarted
 * recorder never writes a frame twice.
 */
public record Recording(String id, String cameraId, Instant start, Instant end, long frames, long bytes,
                        String path, boolean open, long lastStreamSeq) {

    public Recording progressed(long frames, long bytes, Instant end, long lastStreamSeq) {
        return new Recording(id, cameraId, start, end, frames, bytes, path, open, lastStreamSeq);
    }

    public Recording closed(long frames, long bytes, Instant end) {
        return new Recording(id, cameraId, start, end, frames, bytes, path, false, lastStreamSeq);
    }
}
