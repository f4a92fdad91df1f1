package io.github.cctv.ingest.domain;

import io.github.cctv.protocol.FrameMetadata;
import io.github.cctv.protocol.event.CameraStatus;
import io.github.cctv.protocol.wire.Codec;
import io.github.cctv.protocol.wire.Message;

/**
 * What a camera said about itself in its hello, and where it connected from. {@code substream} is null when the camera
 * sends none.
 */
public record CameraInfo(String cameraId, String name, Codec codec, int width, int height, double fps, String peer,
                         Message.Substream substream) {

    /** A camera without a substream. */
    public CameraInfo(String cameraId, String name, Codec codec, int width, int height, double fps, String peer) {
        this(cameraId, name, codec, width, height, fps, peer, null);
    }

    public static CameraInfo of(Message.Hello hello, String peer) {
        return new CameraInfo(hello.cameraId(), hello.displayName(), hello.codec(), hello.width(), hello.height(),
                hello.fps(), peer, hello.substream());
    }

    /** The codec of {@code frame}: the substream's for a substream frame, else the session's. */
    public Codec codecOf(Message.Frame frame) {
        return frame.substream() && substream != null ? substream.codec() : codec;
    }

    /** The substream as the registry describes it, or null. */
    public CameraStatus.Substream substreamStatus() {
        return substream == null ? null
                : new CameraStatus.Substream(substream.codec().wireName(), substream.width(), substream.height(),
                substream.fps());
    }

    /**
     * What is published with one of this camera's frames, received at {@code ingestUs} (server clock): a substream
     * frame with the substream's codec and size. Every JPEG is a key frame, whatever its flag says;
     * {@code implausibleCapture} flags a capture time that cannot be right.
     */
    public FrameMetadata metadata(Message.Frame frame, long ingestUs, boolean implausibleCapture) {
        boolean sub = frame.substream() && substream != null;
        Codec c = sub ? substream.codec() : codec;
        return new FrameMetadata(frame.seq(), frame.captureMicros(), ingestUs, c.wireName(),
                sub ? substream.width() : width, sub ? substream.height() : height,
                c == Codec.JPEG || frame.keyFrame(), implausibleCapture);
    }
}
