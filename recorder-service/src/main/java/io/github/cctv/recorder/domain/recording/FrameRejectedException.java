package io.github.cctv.recorder.domain.recording;

import java.io.IOException;

/**
 * A writer refused one frame for what the frame is (not H.264 in Annex B form, a JPEG that does not decode, no
 * keyframe where one is needed), not because of the disk: the frame is skipped and counted, the recording goes on.
 */
public class FrameRejectedException extends IOException {

    public FrameRejectedException(String message) {
        super(message);
    }
}
