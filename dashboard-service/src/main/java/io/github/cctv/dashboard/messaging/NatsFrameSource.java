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
import io.nats.client.api.MessageInfo;
import io.nats.client.impl.Headers;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Frames from NATS: a core subscription per watched camera on one dispatcher (bounded pending limits, so a
 * stall makes NATS drop and count rather than grow memory), and the newest retained frame from the
 * frames stream.
 */
@Singleton
public class NatsFrameSource implements FrameSource {

    private static final Logger LOG = Logger.getLogger(NatsFrameSource.class);

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
    public FrameSource.Subscription subscribe(String cameraId, Consumer<Frame> sink) {
        io.nats.client.Subscription sub = dispatcher.subscribe(Subjects.frames(cameraId), msg -> {
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

    @Override
    public Optional<Frame> latest(String cameraId) {
        if (connection.getStatus() != Connection.Status.CONNECTED) {
            return Optional.empty();
        }
        try {
            MessageInfo info = connection.jetStreamManagement()
                    .getLastMessage(Subjects.FRAMES_STREAM, Subjects.frames(cameraId));
            return Optional.ofNullable(toFrame(cameraId, info.getHeaders(), info.getData()));
        } catch (JetStreamApiException e) {
            // no frames stream, or no frame of this camera in its window
            return Optional.empty();
        } catch (IOException e) {
            LOG.debugf("latest frame of %s unavailable: %s", cameraId, e.toString());
            return Optional.empty();
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
