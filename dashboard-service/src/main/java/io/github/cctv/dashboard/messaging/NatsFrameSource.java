package io.github.cctv.dashboard.messaging;

import io.github.cctv.dashboard.config.DashboardConfig;
import io.github.cctv.dashboard.domain.live.Frame;
import io.github.cctv.dashboard.domain.live.FrameSource;
import io.github.cctv.dashboard.health.LiveMetrics;
import io.github.cctv.nats.FrameMessages;
import io.github.cctv.protocol.FrameHeaders.InvalidFrameHeadersException;
import io.github.cctv.protocol.Subjects;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.MessageInfo;
import io.nats.client.impl.Headers;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Frames from NATS: a core subscription per watched camera on one dispatcher (bounded pending limits, so a
 * stall makes NATS drop and count rather than grow memory), and the newest retained frame from the
 * frames stream.
 */
@Singleton
public class NatsFrameSource implements FrameSource {

    private static final Logger LOG = Logger.getLogger(NatsFrameSource.class);
    /** How far back from a camera's newest retained frame its newest key frame is looked for. */
    static final Duration LOOKBACK = Duration.ofSeconds(10);
    /** Most retained messages read to find it. */
    static final int MAX_WALK = 600;

    private final Connection connection;
    private final LiveMetrics metrics;
    private final Dispatcher dispatcher;

    public NatsFrameSource(Connection connection, LiveMetrics metrics, DashboardConfig config) {
        this.connection = connection;
        this.metrics = metrics;
        this.dispatcher = connection.createDispatcher();
        dispatcher.setPendingLimits(config.framePendingMessages(), config.framePendingBytes());
    }

    @Override
    public FrameSource.Subscription subscribe(String cameraId, boolean substream, Consumer<Frame> sink) {
        io.nats.client.Subscription sub = dispatcher.subscribe(subject(cameraId, substream), msg -> {
            Frame frame = toFrame(cameraId, msg.getHeaders(), msg.getData());
            if (frame == null) {
                metrics.invalid();
            } else {
                sink.accept(frame);
            }
        });
        return () -> {
            if (sub.isActive()) {
                dispatcher.unsubscribe(sub);
            }
        };
    }

    private static String subject(String cameraId, boolean substream) {
        return substream ? Subjects.substreamFrames(cameraId) : Subjects.frames(cameraId);
    }

    /**
     * The newest retained frame; for H.264 walks the camera's messages of the last {@link #LOOKBACK} forward (one
     * direct get each, at most {@link #MAX_WALK}) and keeps those from the newest key frame.
     */
    @Override
    public List<Frame> startingPoint(String cameraId, boolean substream, long maxBytes) {
        if (connection.getStatus() != Connection.Status.CONNECTED) {
            return List.of();
        }
        String subject = subject(cameraId, substream);
        try {
            JetStreamManagement jsm = connection.jetStreamManagement();
            MessageInfo last = jsm.getLastMessage(Subjects.FRAMES_STREAM, subject);
            Frame newest = toFrame(cameraId, last.getHeaders(), last.getData());
            if (newest == null) {
                return List.of();
            }
            if (!newest.h264() || newest.keyFrame()) {
                return List.of(newest);
            }
            ZonedDateTime from = last.getTime().minus(LOOKBACK);
            MessageInfo m = jsm.getFirstMessage(Subjects.FRAMES_STREAM, from, subject);
            List<Frame> run = new ArrayList<>();
            long bytes = 0;
            for (int i = 0; i < MAX_WALK && m != null; i++) {
                Frame f = toFrame(cameraId, m.getHeaders(), m.getData());
                if (f != null && f.keyFrame()) {
                    run.clear();
                    bytes = 0;
                }
                if (f != null && (!run.isEmpty() || f.keyFrame())) {
                    run.add(f);
                    bytes += f.data().length;
                    if (bytes > maxBytes) {
                        run.clear();
                    }
                }
                if (m.getSeq() >= last.getSeq()) {
                    break;
                }
                m = jsm.getNextMessage(Subjects.FRAMES_STREAM, m.getSeq() + 1, subject);
            }
            return run;
        } catch (JetStreamApiException e) {
            // no frames stream, or no frame of this camera in its window
            return List.of();
        } catch (IOException e) {
            LOG.debugf("retained frames of %s unavailable: %s", cameraId, e.toString());
            return List.of();
        }
    }

    /** The frame, or null when it is empty or its headers break the frame contract (ignored, counted). */
    static Frame toFrame(String cameraId, Headers headers, byte[] data) {
        if (data == null || data.length == 0) {
            return null;
        }
        try {
            return new Frame(cameraId, FrameMessages.metadata(headers), data);
        } catch (InvalidFrameHeadersException e) {
            LOG.debugf("ignored a frame of %s: %s", cameraId, e.getMessage());
            return null;
        }
    }
}
