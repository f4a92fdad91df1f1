package io.github.cctv.recorder.domain.recording;

import io.github.cctv.recorder.domain.store.Recording;

import java.util.Optional;

/**
 * Per camera, the stream sequence up to which frames are durably recorded (on whichever recorder's disk), kept
 * outside the process: a recorder taking a camera over resumes right after it, and a restarted recorder does not
 * record again the frames of recordings deleted since. Written after each flush has forced the file to the disk and
 * before the segment's sidecar says so (and before the acknowledgement): a crash between the two leaves a sidecar
 * older than the mark, and the restarted recorder finishes the segment as the mark says ({@link #segment}), so that
 * its disk and the mark always agree and a taker's first frame is never on this disk too.
 */
public interface RecordingProgress {

    /** No shared mark: only the recorder's own disk says where to resume. */
    RecordingProgress NONE = new RecordingProgress() {
        @Override
        public long writtenUpTo(String cameraId) {
            return 0;
        }

        @Override
        public void written(String cameraId, long streamSeq, Recording segment) {
        }
    };

    /** The mark of the camera; 0 when there is none. */
    long writtenUpTo(String cameraId);

    /**
     * Frames up to {@code streamSeq} are durable on a disk and a crash keeps them: they are in {@code segment},
     * whose entry is what the file on the disk holds now (its sidecar is written next).
     */
    void written(String cameraId, long streamSeq, Recording segment);

    /** The segment entry of the camera's mark, if any: for the recovery of a segment that was open in a crash. */
    default Optional<Recording> segment(String cameraId) {
        return Optional.empty();
    }
}
