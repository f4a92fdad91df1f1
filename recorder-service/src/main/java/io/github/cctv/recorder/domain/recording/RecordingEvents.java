package io.github.cctv.recorder.domain.recording;

import io.github.cctv.protocol.event.CameraEvent;

/** Where recording events go. */
public interface RecordingEvents {

    void publish(CameraEvent event);
}
