package io.github.cctv.ingest.domain;

import io.github.cctv.protocol.wire.Codec;
import io.github.cctv.protocol.wire.Message;

/** What a camera said about itself in its hello, and where it connected from. */
public record CameraInfo(String cameraId, String name, Codec codec, int width, int height, double fps, String peer) {

    public static CameraInfo of(Message.Hello hello, String peer) {
        return new CameraInfo(hello.cameraId(), hello.displayName(), hello.codec(), hello.width(), hello.height(),
                hello.fps(), peer);
    }
}
