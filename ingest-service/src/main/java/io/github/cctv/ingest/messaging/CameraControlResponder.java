package io.github.cctv.ingest.messaging;

import io.github.cctv.ingest.domain.KnownCameras;
import io.github.cctv.nats.NatsConnection;
import io.github.cctv.protocol.Subjects;
import io.github.cctv.protocol.event.CameraCommand;
import io.github.cctv.protocol.event.CameraCommandReply;
import io.github.cctv.protocol.event.Events;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Message;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * Answers {@code cctv.control.<cameraId>.camera} requests: {@code {"action":"forget"}} removes an offline camera's
 * registry entry. The ingest instances share the subscription as one queue group, so each request gets exactly one
 * answer, from whichever instance NATS picks; that instance answers for the cluster: a camera claimed by any instance
 * is online. The answer is worked out on the claims thread (it reads the claims and the registry), so the callback
 * never blocks.
 */
@ApplicationScoped
public class CameraControlResponder {

    private static final Logger LOG = Logger.getLogger(CameraControlResponder.class);

    private final NatsConnection nats;
    private final NatsCameraClaims claims;
    private Dispatcher dispatcher;

    public CameraControlResponder(NatsConnection nats, NatsCameraClaims claims) {
        this.nats = nats;
        this.claims = claims;
    }

    /** Subscribes once the connection is first up (jnats keeps the subscription across reconnects); call before NATS starts. */
    public void start() {
        nats.addListener(new NatsConnection.Listener() {
            @Override
            public void connectionChanged(boolean connected) {
                if (connected) {
                    subscribe(nats.connection());
                }
            }
        });
    }

    private synchronized void subscribe(Connection connection) {
        if (dispatcher != null || connection == null) {
            return;
        }
        dispatcher = connection.createDispatcher();
        dispatcher.subscribe(Subjects.CAMERA_CONTROL_ALL, Subjects.INGEST_QUEUE, this::onRequest);
        LOG.debugf("answering %s in queue group %s", Subjects.CAMERA_CONTROL_ALL, Subjects.INGEST_QUEUE);
    }

    private void onRequest(Message m) {
        if (m.getReplyTo() == null) {
            return;
        }
        claims.execute(() -> {
            CameraCommandReply reply = answer(m.getSubject(), m.getData());
            try {
                m.getConnection().publish(m.getReplyTo(), Events.write(reply));
            } catch (RuntimeException e) {
                LOG.debugf("reply on %s not sent: %s", m.getSubject(), e.toString());
            }
        });
    }

    /** The reply to one request on {@code subject}; on the claims thread (it may read NATS). */
    CameraCommandReply answer(String subject, byte[] body) {
        String cameraId = Subjects.cameraIdOf(subject);
        if (cameraId == null) {
            return CameraCommandReply.failed(CameraCommandReply.INVALID, "invalid camera id in " + subject);
        }
        CameraCommand command;
        try {
            command = Events.read(body == null ? new byte[0] : body, CameraCommand.class);
        } catch (IllegalArgumentException e) {
            return CameraCommandReply.failed(CameraCommandReply.INVALID, "body must be {\"action\":\"forget\"}");
        }
        if (command == null || !CameraCommand.FORGET.equals(command.action())) {
            return CameraCommandReply.failed(CameraCommandReply.INVALID,
                    "unknown action " + (command == null ? null : command.action()) + "; known: forget");
        }
        KnownCameras.Forgotten result;
        try {
            result = claims.forget(cameraId);
        } catch (Exception e) {
            LOG.warnf("forget %s not done: %s", cameraId, e.toString());
            return CameraCommandReply.failed(CameraCommandReply.UNAVAILABLE, "registry not reachable: " + e.getMessage());
        }
        return switch (result) {
            case REMOVED -> CameraCommandReply.done();
            case ONLINE -> CameraCommandReply.failed(CameraCommandReply.ONLINE, null);
            case UNKNOWN -> CameraCommandReply.failed(CameraCommandReply.UNKNOWN, null);
        };
    }
}
