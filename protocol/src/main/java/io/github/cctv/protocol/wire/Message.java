package io.github.cctv.protocol.wire;

import java.util.Arrays;
import java.util.Objects;

/** A message of the camera wire protocol (docs/protocol.md). */
public sealed interface Message {

    byte TYPE_HELLO = 0x01;
    byte TYPE_ACCEPT = 0x02;
    byte TYPE_REJECT = 0x03;
    byte TYPE_FRAME = 0x10;
    byte TYPE_HEARTBEAT = 0x20;
    byte TYPE_GOODBYE = 0x30;

    /**
     * Camera to server, first message of every connection. {@code fpsMilli} is nominal frames per 1000 s (30 fps =
     * 30000). {@code substream}, null when the camera sends none, describes a second, smaller stream on the same
     * session; a hello with one is version {@link Wire#VERSION_SUBSTREAMS} or later.
     */
    record Hello(int version, String cameraId, String displayName, String token, Codec codec,
                 int width, int height, int fpsMilli, Substream substream) implements Message {
        public Hello {
            Objects.requireNonNull(cameraId, "cameraId");
            displayName = displayName == null ? "" : displayName;
            token = token == null ? "" : token;
            Objects.requireNonNull(codec, "codec");
            if (substream != null && version < Wire.VERSION_SUBSTREAMS) {
                throw new IllegalArgumentException("a hello with a substream is version " + Wire.VERSION_SUBSTREAMS
                        + " or later, not " + version);
            }
        }

        /** A hello without a substream. */
        public Hello(int version, String cameraId, String displayName, String token, Codec codec,
                     int width, int height, int fpsMilli) {
            this(version, cameraId, displayName, token, codec, width, height, fpsMilli, null);
        }

        public double fps() {
            return fpsMilli / 1000.0;
        }

        @Override
        public String toString() {
            // never log the token
            return "Hello[version=" + version + ", cameraId=" + cameraId + ", displayName=" + displayName
                    + ", codec=" + codec + ", " + width + "x" + height + "@" + fps()
                    + (substream == null ? "" : ", substream=" + substream) + "]";
        }
    }

    /** The second stream a camera announces in its hello: its codec, picture size and nominal rate (frames per 1000 s). */
    record Substream(Codec codec, int width, int height, int fpsMilli) {
        public Substream {
            Objects.requireNonNull(codec, "codec");
        }

        public double fps() {
            return fpsMilli / 1000.0;
        }

        @Override
        public String toString() {
            return codec.wireName() + " " + width + "x" + height + "@" + fps();
        }
    }

    /** Server to camera: the session is open, with the server's limits. */
    record Accept(int version, int maxFrameBytes, int heartbeatIntervalMs, int sessionTimeoutMs) implements Message {
    }

    /** Server to camera: refused or ended for {@code reason}; the server closes after sending it. */
    record Reject(ReasonCode reason, String message) implements Message {
        public Reject {
            Objects.requireNonNull(reason, "reason");
            message = message == null ? "" : message;
        }
    }

    /**
     * Camera to server: one encoded image. {@code seq} is unsigned, {@code captureMicros} is epoch microseconds;
     * {@code substream} marks a frame of the hello's substream (its own sequence, codec and size).
     */
    record Frame(long seq, long captureMicros, boolean keyFrame, byte[] data, boolean substream) implements Message {
        public Frame {
            Objects.requireNonNull(data, "data");
        }

        /** A frame of the main stream. */
        public Frame(long seq, long captureMicros, boolean keyFrame, byte[] data) {
            this(seq, captureMicros, keyFrame, data, false);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Frame f && f.seq == seq && f.captureMicros == captureMicros
                    && f.keyFrame == keyFrame && f.substream == substream && Arrays.equals(f.data, data);
        }

        @Override
        public int hashCode() {
            return Objects.hash(seq, captureMicros, keyFrame, substream, Arrays.hashCode(data));
        }

        @Override
        public String toString() {
            return "Frame[" + (substream ? "substream, " : "") + "seq=" + Long.toUnsignedString(seq)
                    + ", captureMicros=" + captureMicros + ", keyFrame=" + keyFrame + ", bytes=" + data.length + "]";
        }
    }

    /** Either way: "I am alive". {@code timeMicros} is the sender's clock, epoch microseconds. */
    record Heartbeat(long timeMicros) implements Message {
    }

    /** Either way: a clean end of the session; the sender closes after it. */
    record Goodbye() implements Message {
    }
}
