package io.github.cctv.recorder.messaging;

import io.github.cctv.protocol.FrameHeaders;
import io.github.cctv.protocol.Subjects;
import io.github.cctv.recorder.domain.Frame;
import io.github.cctv.recorder.domain.FrameSource;
import io.github.cctv.recorder.domain.FrameStream;
import io.nats.client.ConsumeOptions;
import io.nats.client.Connection;
import io.nats.client.IterableConsumer;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.Message;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.DeliverPolicy;
import io.nats.client.impl.Headers;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * Each recorded camera reads its frames through a named pull consumer on the frame stream, filtered to the
 * camera's subject and started after the last frame on disk (or by time for an operator's start with pre-roll).
 * Acknowledge-all: acknowledging the newest flushed frame acknowledges everything before it.
 * Messages are pulled by the camera's own writer thread, never on a NATS dispatcher.
 */
public final class JetStreamFrameSource implements FrameSource {

    private static final int STREAM_NOT_FOUND = 10059;
    private static final int CONSUMER_NOT_FOUND = 10014;

    private final Connection nc;
    private final String prefix;
    private final int batch;
    private final long batchBytes;
    private final Duration ackWait;

    public JetStreamFrameSource(Connection nc, String prefix, int batch, long batchBytes, Duration ackWait) {
        this.nc = nc;
        this.prefix = prefix;
        this.batch = batch;
        this.batchBytes = batchBytes;
        this.ackWait = ackWait;
    }

    /** Durable consumer name of a camera. */
    public String durable(String cameraId) {
        return prefix + "-" + cameraId;
    }

    @Override
    public FrameStream open(String cameraId, Instant startAt, long afterSeq) {
        String durable = durable(cameraId);
        try {
            JetStreamManagement jsm = nc.jetStreamManagement();
            long last = jsm.getStreamInfo(Subjects.FRAMES_STREAM).getStreamState().getLastSequence();
            // a sequence beyond the stream's end means the stream was created anew: start by time
            boolean resumed = afterSeq > 0 && afterSeq <= last;
            if (consumerExists(jsm, durable)) {
                // a fresh position: a dead reader's pull requests die with the old one
                jsm.deleteConsumer(Subjects.FRAMES_STREAM, durable);
            }
            ConsumerConfiguration.Builder cc = ConsumerConfiguration.builder()
                    .durable(durable)
                    .filterSubject(Subjects.frames(cameraId))
                    .ackPolicy(AckPolicy.All)
                    .ackWait(ackWait)
                    .maxAckPending(100_000);
            if (resumed) {
                cc.deliverPolicy(DeliverPolicy.ByStartSequence).startSequence(afterSeq + 1);
            } else {
                cc.deliverPolicy(DeliverPolicy.ByStartTime).startTime(startAt.atZone(ZoneOffset.UTC));
            }
            jsm.addOrUpdateConsumer(Subjects.FRAMES_STREAM, cc.build());
            IterableConsumer it = nc.getStreamContext(Subjects.FRAMES_STREAM).getConsumerContext(durable)
                    .iterate(ConsumeOptions.builder().batchSize(batch).batchBytes(batchBytes).build());
            return new Stream(cameraId, it, resumed, nc);
        } catch (JetStreamApiException e) {
            if (e.getApiErrorCode() == STREAM_NOT_FOUND) {
                throw new FrameStreamUnavailableException("stream " + Subjects.FRAMES_STREAM + " does not exist", e);
            }
            throw new FrameStreamUnavailableException(e.getMessage(), e);
        } catch (IOException | RuntimeException e) {
            throw new FrameStreamUnavailableException(e.toString(), e);
        }
    }

    private static boolean consumerExists(JetStreamManagement jsm, String durable) throws IOException, JetStreamApiException {
        try {
            jsm.getConsumerInfo(Subjects.FRAMES_STREAM, durable);
            return true;
        } catch (JetStreamApiException e) {
            if (e.getApiErrorCode() == CONSUMER_NOT_FOUND) {
                return false;
            }
            throw e;
        }
    }

    @Override
    public void forget(String cameraId) {
        try {
            nc.jetStreamManagement().deleteConsumer(Subjects.FRAMES_STREAM, durable(cameraId));
        } catch (JetStreamApiException e) {
            if (e.getApiErrorCode() != CONSUMER_NOT_FOUND && e.getApiErrorCode() != STREAM_NOT_FOUND) {
                throw new IllegalStateException(e.getMessage(), e);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e.toString(), e);
        }
    }

    private static final class Stream implements FrameStream {
        private final String cameraId;
        private final IterableConsumer it;
        private final boolean resumed;
        private final Connection nc;
        private final long reconnectsAtOpen;

        Stream(String cameraId, IterableConsumer it, boolean resumed, Connection nc) {
            this.cameraId = cameraId;
            this.it = it;
            this.resumed = resumed;
            this.nc = nc;
            this.reconnectsAtOpen = nc.getStatistics().getReconnects();
        }

        @Override
        public boolean resumed() {
            return resumed;
        }

        @Override
        public List<Frame> poll(int max, Duration wait) {
            List<Frame> out = new ArrayList<>();
            if (nc.getStatistics().getReconnects() != reconnectsAtOpen) {
                // pull requests do not survive a reconnect: reopen from the last written frame
                throw new FrameStreamUnavailableException("NATS connection was re-established", null);
            }
            try {
                Message m = it.nextMessage(wait);
                while (m != null) {
                    if (m.isJetStream()) {
                        out.add(toFrame(cameraId, m));
                    }
                    if (out.size() >= max) {
                        break;
                    }
                    m = it.nextMessage(1);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new FrameStreamUnavailableException("interrupted", e);
            } catch (Exception e) {
                if (!out.isEmpty()) {
                    return out;
                }
                throw new FrameStreamUnavailableException(e.toString(), e);
            }
            return out;
        }

        @Override
        public void close() {
            try {
                it.close();
            } catch (Exception ignored) {
                // unacknowledged frames come again to the next reader of this position
            }
        }
    }

    static Frame toFrame(String cameraId, Message m) {
        Headers h = m.getHeaders();
        Instant stored = m.metaData().timestamp().toInstant();
        long streamTimeUs = stored.getEpochSecond() * 1_000_000 + stored.getNano() / 1000;
        long captureUs = header(h, FrameHeaders.CAPTURE_US, streamTimeUs);
        return new Frame(cameraId,
                m.metaData().streamSequence(),
                header(h, FrameHeaders.SEQ, -1),
                captureUs,
                header(h, FrameHeaders.INGEST_US, streamTimeUs),
                (int) header(h, FrameHeaders.WIDTH, 0),
                (int) header(h, FrameHeaders.HEIGHT, 0),
                h == null || h.getFirst(FrameHeaders.CODEC) == null ? "jpeg" : h.getFirst(FrameHeaders.CODEC),
                m.getData() == null ? new byte[0] : m.getData(),
                m.metaData().pendingCount(),
                m::ack);
    }

    private static long header(Headers h, String name, long fallback) {
        if (h == null) {
            return fallback;
        }
        String v = h.getFirst(name);
        if (v == null) {
            return fallback;
        }
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            return fallback;
        }
    }
}
