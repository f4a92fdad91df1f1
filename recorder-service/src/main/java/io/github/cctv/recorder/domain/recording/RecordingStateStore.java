package io.github.cctv.recorder.domain.recording;

import io.github.cctv.protocol.event.RecordingState;

import java.util.List;

/** The desired recording state per camera, kept outside the process so that a restart resumes it. */
public interface RecordingStateStore {

    void put(RecordingState state);

    List<RecordingState> all();
}
