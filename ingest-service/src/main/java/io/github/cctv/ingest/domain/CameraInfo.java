package io.github.cctv.ingest.domain;

import io.github.cctv.protocol.FrameMetadata;
import io.github.cctv.protocol.wire.Codec;
import io.github.cctv.protocol.wire.Message;

/** What a camera said about itself in its hello, and where it connected from. */
public record CameraInfo(String cameraId, String name, Codec codec, int width, int height, double fps, String peer) {

    public static CameraInfo of(Message.Hello hello, String peer) {
        return new CameraInfo(hello.cameraId(), hello.displayName(), hello.codec(), hello.width(), hello.height(),
                hello.fps(), peer);
    }

    /** What is published with one of this camera's frames, received at {@code ingestUs} (server clock). */
    public FrameMetadata metadata(Message.Frame frame, long ingestUs) {
        return new FrameMetadata(frame.seq(), frame.captureMicros(), ingestUs, codec.wireName(), width, height,
                frame.keyFrame());
    }
}
