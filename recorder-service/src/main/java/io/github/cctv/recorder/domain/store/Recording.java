package io.github.cctv.recorder.domain.store;

import com.fasterxml.jackson.annotation.JsonCreator;

import java.time.Instant;

/**
 * One segment file and what is known of it; also the content of its sidecar. All times are the server's: {@code start}
 * is the ingest time of the first frame (the file is named after it), {@code end} the time of the last frame written
 * so far on the segment's timeline ({@code start} + its timestamp), so that a frame's wall-clock time is always
 * {@code start} plus its timestamp. {@code lastStreamSeq} is the frame stream sequence of the last frame, so that a
 * restarted recorder never writes a frame twice.
 *
 * @param cut            for a segment being written whose format needs it (H.264): the state right before its last
 *                       keyframe, where a crashed file is cut back to so that the next segment starts on that
 *                       keyframe with nothing missing and nothing twice; null otherwise
 * @param firstCaptureUs the camera's own clock ({@code Cctv-Capture-Us}) at the first frame, as it came: metadata
 *                       only, it decides no name, boundary or deletion
 * @param lastCaptureUs  the camera's clock at the last frame
 * @param kept           kept as evidence: retention never deletes it (an operator's choice; absent in older
 *                       sidecars, which read as not kept)
 */
public record Recording(String id, String cameraId, Instant start, Instant end, long frames, long bytes,
                        String path, boolean open, long lastStreamSeq, Cut cut, long firstCaptureUs,
                        long lastCaptureUs, boolean kept) {

    /** What the file, its frames, its end and its last stream sequence are right before its last keyframe. */
    public record Cut(long bytes, long frames, Instant end, long lastStreamSeq, long lastCaptureUs) {
    }

    @JsonCreator
    public Recording {
    }

    /** A recording without a cut point or camera times (a probed file, a test). */
    public Recording(String id, String cameraId, Instant start, Instant end, long frames, long bytes, String path,
                     boolean open, long lastStreamSeq) {
        this(id, cameraId, start, end, frames, bytes, path, open, lastStreamSeq, null, 0, 0, false);
    }

    /** A new entry, not kept. */
    public Recording(String id, String cameraId, Instant start, Instant end, long frames, long bytes,
                     String path, boolean open, long lastStreamSeq, Cut cut, long firstCaptureUs,
                     long lastCaptureUs) {
        this(id, cameraId, start, end, frames, bytes, path, open, lastStreamSeq, cut, firstCaptureUs, lastCaptureUs,
                false);
    }

    /** The same recording, kept as evidence or not. */
    public Recording withKept(boolean keep) {
        return new Recording(id, cameraId, start, end, frames, bytes, path, open, lastStreamSeq, cut, firstCaptureUs,
                lastCaptureUs, keep);
    }

    public Recording progressed(long frames, long bytes, Instant end, long lastStreamSeq, Cut cut, long lastCaptureUs) {
        return new Recording(id, cameraId, start, end, frames, bytes, path, open, lastStreamSeq, cut, firstCaptureUs,
                lastCaptureUs, kept);
    }

    /** Finished as it is now. */
    public Recording closed() {
        return new Recording(id, cameraId, start, end, frames, bytes, path, false, lastStreamSeq, null, firstCaptureUs,
                lastCaptureUs, kept);
    }

    /** Finished at its cut point: what remains once the file is cut back before its last keyframe. */
    public Recording closedAtCut() {
        if (cut == null) {
            return closed();
        }
        return new Recording(id, cameraId, start, cut.end(), cut.frames(), cut.bytes(), path, false,
                cut.lastStreamSeq(), null, firstCaptureUs, cut.lastCaptureUs(), kept);
    }

    /** The video format by the file name's extension: {@code mp4} or {@code mkv}. */
    public String extension() {
        return RecordingLayout.extensionOf(path);
    }
}
