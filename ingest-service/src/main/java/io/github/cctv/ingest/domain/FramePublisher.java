package io.github.cctv.ingest.domain;

import io.github.cctv.protocol.wire.Message;

/** Hands a camera's frames on. Never blocks: a frame that cannot go out now is dropped and counted. */
public interface FramePublisher {

    /** Publishes one frame; returns false if it was dropped. */
    boolean publish(CameraInfo camera, Message.Frame frame, long ingestMicros);
}
