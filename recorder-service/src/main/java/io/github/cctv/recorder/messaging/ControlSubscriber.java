package io.github.cctv.recorder.messaging;

import io.github.cctv.protocol.CameraId;
import io.github.cctv.protocol.Subjects;
import io.github.cctv.protocol.event.CameraEvent;
import io.github.cctv.protocol.event.Events;
import io.github.cctv.protocol.event.RecordingCommand;
import io.github.cctv.protocol.event.RecordingReply;
import io.github.cctv.recorder.domain.recording.RecordingManager;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Message;
import org.jboss.logging.Logger;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * Serves {@code cctv.control.<cameraId>.recording} and follows camera disconnects. The NATS dispatcher only hands
 * work to a small bounded pool; when the pool is full the request is answered {@code error} at once. With several
 * recorders, a request is answered only by the one that {@code answers} the camera (its owner, or the one that will
 * own it): the others stay silent, so that the requester gets exactly one answer.
 */
public final class ControlSubscriber implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ControlSubscriber.class);
    private static final String DISCONNECTED_SUFFIX = "." + CameraEvent.DISCONNECTED;

    private final Connection nc;
    private final RecordingManager manager;
    private final ThreadPoolExecutor pool;
    private final Predicate<String> answers;
    private Dispatcher dispatcher;

    /** A lone recorder: it answers every camera. */
    public ControlSubscriber(Connection nc, RecordingManager manager) {
        this(nc, manager, cameraId -> true);
    }

    public ControlSubscriber(Connection nc, RecordingManager manager, Predicate<String> answers) {
        this.nc = nc;
        this.manager = manager;
        this.answers = answers;
        AtomicInteger n = new AtomicInteger();
        this.pool = new ThreadPoolExecutor(2, 2, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(256),
                r -> new Thread(r, "recorder-control-" + n.incrementAndGet()));
    }

    public void start() {
        dispatcher = nc.createDispatcher();
        dispatcher.subscribe(Subjects.RECORDING_CONTROL_ALL, this::onControl);
        dispatcher.subscribe(Subjects.EVENTS_ALL, this::onEvent);
    }

    private void onControl(Message m) {
        if (m.getReplyTo() == null) {
            return;
        }
        String cameraId = Subjects.cameraIdOf(m.getSubject());
        if (cameraId == null) {
            String token = m.getSubject().split("\\.", -1)[2];
            String why;
            try {
                CameraId.requireValid(token);
                why = "invalid camera id";
            } catch (IllegalArgumentException e) {
                why = e.getMessage();
            }
            reply(m, new RecordingReply(token, RecordingReply.INVALID, false, null, why));
            return;
        }
        try {
            pool.execute(() -> handle(cameraId, m));
        } catch (RejectedExecutionException e) {
            reply(m, new RecordingReply(cameraId, RecordingReply.ERROR, false, null, "recorder busy, try again"));
        }
    }

    private void handle(String cameraId, Message m) {
        RecordingReply r;
        try {
            if (!answers.test(cameraId)) {
                return; // another recorder owns it and answers
            }
            RecordingCommand cmd;
            try {
                cmd = Events.read(m.getData(), RecordingCommand.class);
            } catch (IllegalArgumentException e) {
                reply(m, new RecordingReply(cameraId, RecordingReply.INVALID, false, null,
                        "request must be JSON like {\"action\":\"start\"}: " + e.getMessage()));
                return;
            }
            r = manager.handle(cameraId, cmd);
        } catch (RuntimeException e) {
            LOG.errorf(e, "control request for %s failed", cameraId);
            r = new RecordingReply(cameraId, RecordingReply.ERROR, false, null, e.toString());
        }
        reply(m, r);
    }

    private void onEvent(Message m) {
        if (!m.getSubject().endsWith(DISCONNECTED_SUFFIX)) {
            return;
        }
        try {
            CameraEvent e = Events.eventFromJson(m.getData());
            if (e instanceof CameraEvent.CameraDisconnected d) {
                pool.execute(() -> manager.cameraDisconnected(d.cameraId(), d.time()));
            }
        } catch (IllegalArgumentException | RejectedExecutionException e) {
            LOG.debugf("ignored event on %s: %s", m.getSubject(), e.getMessage());
        }
    }

    private void reply(Message m, RecordingReply r) {
        nc.publish(m.getReplyTo(), Events.write(r));
    }

    @Override
    public void close() {
        if (dispatcher != null) {
            nc.closeDispatcher(dispatcher);
        }
        pool.shutdown();
    }
}
