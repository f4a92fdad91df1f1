package io.github.cctv.nats;

import io.github.cctv.protocol.FrameHeaders;
import io.github.cctv.protocol.FrameHeaders.InvalidFrameHeadersException;
import io.github.cctv.protocol.FrameMetadata;
import io.github.cctv.protocol.Subjects;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;

/**
 * Frame messages on {@code cctv.frames.<cameraId>} (and the substream's {@code cctv.frames.<cameraId>.sub}, with the same
 * headers): {@link FrameMetadata} in jnats {@link Headers} and back.
 */
public final class FrameMessages {

    /** JetStream's de-duplication header. */
    public static final String MSG_ID = "Nats-Msg-Id";

    private FrameMessages() {
    }

    /** The headers that carry {@code frame}. */
    public static Headers headers(FrameMetadata frame) {
        Headers h = new Headers();
        FrameHeaders.write(frame, h::put);
        return h;
    }

    /** The message ingest publishes for one frame: subject, metadata headers, image bytes. */
    public static NatsMessage message(String cameraId, FrameMetadata frame, byte[] data) {
        return NatsMessage.builder().subject(Subjects.frames(cameraId)).headers(headers(frame)).data(data).build();
    }

    /** The message ingest publishes for one frame of the camera's substream, on {@link Subjects#substreamFrames}. */
    public static NatsMessage substreamMessage(String cameraId, FrameMetadata frame, byte[] data) {
        return NatsMessage.builder().subject(Subjects.substreamFrames(cameraId)).headers(headers(frame)).data(data).build();
    }

    /**
     * {@link #message}, or {@link #substreamMessage} when {@code substream}, with a {@code Nats-Msg-Id} that names this
     * frame: a frame published again (its acknowledgement lost) is then stored once by the frame stream, within its
     * duplicate window.
     */
    public static NatsMessage identifiedMessage(String cameraId, FrameMetadata frame, byte[] data, boolean substream) {
        String subject = substream ? Subjects.substreamFrames(cameraId) : Subjects.frames(cameraId);
        Headers h = headers(frame);
        h.put(MSG_ID, messageId(subject, frame));
        return NatsMessage.builder().subject(subject).headers(h).data(data).build();
    }

    /**
     * The message id of a frame on {@code subject}: its sequence and the time ingest received it. The sequence alone
     * starts again with a camera's new session; the receive time (microseconds) tells two sessions' frames apart.
     */
    public static String messageId(String subject, FrameMetadata frame) {
        return subject + '/' + Long.toUnsignedString(frame.seq()) + '/' + frame.ingestUs();
    }

    /**
     * The metadata a frame message carries.
     *
     * @throws InvalidFrameHeadersException when headers are missing or break the contract of {@link FrameHeaders}
     */
    public static FrameMetadata metadata(Headers headers) {
        if (headers == null || headers.isEmpty()) {
            throw new InvalidFrameHeadersException("frame message has no headers");
        }
        return FrameHeaders.read(headers::getFirst);
    }
}
