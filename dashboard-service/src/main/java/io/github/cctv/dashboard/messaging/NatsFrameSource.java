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
    /** Stream sequences of the first step back from a camera's newest frame to its newest key frame. */
    static final long FIRST_REACH = 64;
    /** JetStream API error: no message at or after the sequence asked for. */
    static final int NO_MESSAGE = 10037;
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
     * The newest retained frame; for H.264 the run from the camera's newest retained key frame to its newest frame
     * ({@link #startingPoint(JetStreamManagement, String, String, long)}).
     */
    @Override
    public List<Frame> startingPoint(String cameraId, boolean substream, long maxBytes) {
        if (connection.getStatus() != Connection.Status.CONNECTED) {
            return List.of();
        }
        try {
            return startingPoint(connection.jetStreamManagement(), cameraId, subject(cameraId, substream), maxBytes);
        } catch (JetStreamApiException e) {
            // no frames stream, or no frame of this camera in its window
            return List.of();
        } catch (IOException e) {
            LOG.debugf("retained frames of %s unavailable: %s", cameraId, e.toString());
            return List.of();
        }
    }

    /**
     * Where a new viewer of {@code subject} starts: its newest retained frame, or for H.264 the frames from the newest
     * key frame on ({@link #walkBack}). Empty when there is no key frame, or the run is over {@code maxBytes}.
     */
    static List<Frame> startingPoint(JetStreamManagement jsm, String cameraId, String subject, long maxBytes)
            throws IOException, JetStreamApiException {
        MessageInfo last = jsm.getLastMessage(Subjects.FRAMES_STREAM, subject);
        Frame newest = toFrame(cameraId, last.getHeaders(), last.getData());
        if (newest == null) {
            return List.of();
        }
        if (!newest.h264() || newest.keyFrame()) {
            return List.of(newest);
        }
        return walkBack(jsm, cameraId, subject, last, maxBytes).run();
    }

    /**
     * What a walk over the retained messages found.
     *
     * @param run      the frames from the newest key frame to the newest frame, empty when none (or too big)
     * @param messages how many messages of the camera were read
     */
    record Walk(List<Frame> run, int messages) {
    }

    /**
     * Finds the newest key frame before {@code last} by reaching back over the stream in steps that double
     * ({@link #FIRST_REACH} stream sequences, then twice as many…), reading each step's messages of the camera
     * forward (one direct get each) until a step holds a key frame: about twice the frames since that key frame are
     * read, however long the window is. (NATS 2.9 has no "first message after a time" nor "previous message of a
     * subject", so steps are by sequence.) Stops at the stream's start, at {@link #MAX_WALK} messages, or when the
     * frames read without a key frame are already over {@code maxBytes}.
     */
    static Walk walkBack(JetStreamManagement jsm, String cameraId, String subject, MessageInfo last, long maxBytes)
            throws IOException, JetStreamApiException {
        List<Frame> tail = new ArrayList<>();   // the frames read, in order, from sequence `start` to `last`
        Frame newest = toFrame(cameraId, last.getHeaders(), last.getData());
        if (newest != null) {
            tail.add(newest);
        }
        long bytes = newest == null ? 0 : newest.data().length;
        long start = last.getSeq();
        int read = 1;
        for (long reach = FIRST_REACH; start > 1 && read < MAX_WALK && bytes <= maxBytes; reach *= 2) {
            long from = Math.max(1, last.getSeq() - reach);
            List<Frame> step = new ArrayList<>();
            MessageInfo m = next(jsm, from, subject);
            while (m != null && m.getSeq() < start && read < MAX_WALK) {
                read++;
                Frame f = toFrame(cameraId, m.getHeaders(), m.getData());
                if (f != null) {
                    step.add(f);
                    bytes += f.data().length;
                }
                m = next(jsm, m.getSeq() + 1, subject);
            }
            tail.addAll(0, step);
            start = from;
            for (int i = tail.size() - 1; i >= 0; i--) {
                if (tail.get(i).keyFrame()) {
                    List<Frame> run = tail.subList(i, tail.size());
                    long runBytes = run.stream().mapToLong(f -> f.data().length).sum();
                    return new Walk(runBytes > maxBytes ? List.of() : List.copyOf(run), read);
                }
            }
        }
        return new Walk(List.of(), read);
    }

    /** The first message of {@code subject} at or after stream sequence {@code seq}, or null when there is none. */
    private static MessageInfo next(JetStreamManagement jsm, long seq, String subject) throws IOException, JetStreamApiException {
        try {
            return jsm.getNextMessage(Subjects.FRAMES_STREAM, seq, subject);
        } catch (JetStreamApiException e) {
            if (e.getApiErrorCode() == NO_MESSAGE) {
                return null;
            }
            throw e;
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
