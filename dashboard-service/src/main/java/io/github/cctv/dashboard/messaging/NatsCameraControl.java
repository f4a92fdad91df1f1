package io.github.cctv.dashboard.messaging;

import io.github.cctv.dashboard.config.DashboardConfig;
import io.github.cctv.dashboard.domain.cameras.CameraControl;
import io.github.cctv.protocol.Subjects;
import io.github.cctv.protocol.event.CameraCommand;
import io.github.cctv.protocol.event.CameraCommandReply;
import io.github.cctv.protocol.event.Events;
import io.nats.client.Connection;
import io.nats.client.Message;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Camera commands as NATS request-reply on {@code cctv.control.<id>.camera}, answered by ingest. */
@Singleton
public class NatsCameraControl implements CameraControl {

    private final Connection connection;
    private final Duration timeout;

    public NatsCameraControl(Connection connection, DashboardConfig config) {
        this.connection = connection;
        this.timeout = config.controlTimeout();
    }

    @Override
    public CameraCommandReply forget(String cameraId) {
        String subject = Subjects.cameraControl(cameraId);
        String noAnswer = "no ingest answered on " + subject + " within " + timeout.toMillis() + " ms";
        if (connection.getStatus() != Connection.Status.CONNECTED) {
            throw new IngestUnavailableException("not connected to NATS; " + noAnswer);
        }
        Message reply;
        try {
            reply = connection.requestWithTimeout(subject, Events.write(new CameraCommand(CameraCommand.FORGET)), timeout)
                    .get(timeout.toMillis() + 500, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IngestUnavailableException(noAnswer);
        } catch (ExecutionException | TimeoutException | CancellationException e) {
            // no responders, or timed out
            throw new IngestUnavailableException(noAnswer);
        }
        if (reply == null || reply.isStatusMessage()) {
            throw new IngestUnavailableException(noAnswer);
        }
        try {
            return Events.read(reply.getData(), CameraCommandReply.class);
        } catch (IllegalArgumentException e) {
            throw new IngestUnavailableException("ingest's reply on " + subject + " is unreadable: " + e.getMessage());
        }
    }
}
