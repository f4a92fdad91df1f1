package io.github.cctv.recorder.domain.recording;

/**
 * Per camera, the stream sequence up to which frames are durably recorded (on whichever recorder's disk), kept
 * outside the process: a recorder taking a camera over resumes right after it, and a restarted recorder does not
 * record again the frames of recordings deleted since. Written after each flush and before the acknowledgement.
 */
public interface RecordingProgress {

    /** No shared mark: only the recorder's own disk says where to resume. */
    RecordingProgress NONE = new RecordingProgress() {
        @Override
        public long writtenUpTo(String cameraId) {
            return 0;
        }

        @Override
        public void written(String cameraId, long streamSeq) {
        }
    };

    /** The mark of the camera; 0 when there is none. */
    long writtenUpTo(String cameraId);

    /** Frames up to {@code streamSeq} are durable on a disk and a crash keeps them. */
    void written(String cameraId, long streamSeq);
}
