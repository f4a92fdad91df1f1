package io.github.cctv.ingest.domain;

import io.github.cctv.protocol.FrameMetadata;

/** Hands a camera's frames on. Never blocks: a frame that cannot go out now is dropped and counted. */
public interface FramePublisher {

    /** Publishes one frame of {@code cameraId}'s main stream; returns false if it was dropped. */
    boolean publish(String cameraId, FrameMetadata frame, byte[] data);

    /** Publishes one frame of {@code cameraId}'s substream, with the same metadata as a main frame; false if dropped. */
    boolean publishSubstream(String cameraId, FrameMetadata frame, byte[] data);
}
