package io.github.cctv.recorder.messaging;

import io.github.cctv.nats.FrameMessages;
import io.github.cctv.nats.Topology;
import io.github.cctv.protocol.FrameHeaders.InvalidFrameHeadersException;
import io.github.cctv.protocol.Subjects;
import io.github.cctv.recorder.domain.recording.Frame;
import io.github.cctv.recorder.domain.recording.FrameSource;
import io.github.cctv.recorder.domain.recording.FrameStream;
import io.github.cctv.recorder.health.RecorderMetrics;
import io.nats.client.Connection;
import io.nats.client.ConsumeOptions;
import io.nats.client.IterableConsumer;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.Message;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.DeliverPolicy;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Each recorded camera reads its frames through a named pull consumer on the frame stream, filtered to the
 * camera's subject and started after the last frame on disk (or by time for an operator's start with pre-roll).
 * Acknowledge-all: acknowledging the newest flushed frame acknowledges everything before it.
 * Messages are pulled by the camera's own writer thread, never on a NATS dispatcher. A message whose headers break
 * the frame contract is skipped, counted and logged (at most once a minute per camera); it is acknowledged with the
 * next frame written.
 */
public final class JetStreamFrameSource implements FrameSource {

    private static final Logger LOG = Logger.getLogger(JetStreamFrameSource.class);
    private static final int STREAM_NOT_FOUND = Topology.STREAM_NOT_FOUND;
    private static final int CONSUMER_NOT_FOUND = Topology.CONSUMER_NOT_FOUND;
    private static final long WARN_EVERY_NANOS = TimeUnit.MINUTES.toNanos(1);
    /**
     * How long one pull request lives. A pull request lives on the node that leads the camera's consumer and dies
     * with it (a NATS cluster node lost); the client learns it from the missing idle heartbeats (half of this) and
     * pulls again from the new leader: within seconds, rather than after the client's default 30 s.
     */
    static final Duration PULL_EXPIRES = Duration.ofSeconds(5);
    /**
     * The wait for a poll's further messages: what has already arrived, without parking the thread (jnats waits for
     * ever below one nanosecond). A live camera's frames come one by one: waiting even a millisecond for a second one
     * would put every frame's thread to sleep and wake it once more.
     */
    static final Duration NO_WAIT = Duration.ofNanos(1);

    private final Connection nc;
    private final String prefix;
    private final int batch;
    private final long batchBytes;
    private final Duration ackWait;
    private final RecorderMetrics metrics;

    public JetStreamFrameSource(Connection nc, String prefix, int batch, long batchBytes, Duration ackWait,
                                RecorderMetrics metrics) {
        this.nc = nc;
        this.prefix = prefix;
        this.batch = batch;
        this.batchBytes = batchBytes;
        this.ackWait = ackWait;
        this.metrics = metrics;
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
                    .iterate(ConsumeOptions.builder().batchSize(batch).batchBytes(batchBytes)
                            .expiresIn(PULL_EXPIRES.toMillis()).build());
            return new Stream(cameraId, it, resumed, nc, metrics);
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
        private final RecorderMetrics metrics;
        private final long reconnectsAtOpen;
        private long lastWarnNanos = System.nanoTime() - WARN_EVERY_NANOS;
        private long invalidSinceWarn;

        Stream(String cameraId, IterableConsumer it, boolean resumed, Connection nc, RecorderMetrics metrics) {
            this.cameraId = cameraId;
            this.it = it;
            this.resumed = resumed;
            this.nc = nc;
            this.metrics = metrics;
            this.reconnectsAtOpen = nc.getStatistics().getReconnects();
        }

        private void invalid(Message m, InvalidFrameHeadersException e) {
            metrics.invalidFrame();
            invalidSinceWarn++;
            long now = System.nanoTime();
            if (now - lastWarnNanos >= WARN_EVERY_NANOS) {
                LOG.warnf("skipped %d frame message(s) of %s with bad headers, e.g. stream sequence %d: %s",
                        invalidSinceWarn, cameraId, m.metaData().streamSequence(), e.getMessage());
                lastWarnNanos = now;
                invalidSinceWarn = 0;
            }
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
                        try {
                            out.add(toFrame(cameraId, m));
                        } catch (InvalidFrameHeadersException e) {
                            invalid(m, e);
                        }
                    }
                    if (out.size() >= max) {
                        break;
                    }
                    m = it.nextMessage(NO_WAIT);
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

    /** @throws InvalidFrameHeadersException when the message's headers break the frame contract */
    static Frame toFrame(String cameraId, Message m) {
        return new Frame(cameraId, m.metaData().streamSequence(), FrameMessages.metadata(m.getHeaders()),
                m.getData() == null ? new byte[0] : m.getData(), m.metaData().pendingCount(), m::ack);
    }
}
