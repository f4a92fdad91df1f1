package io.github.cctv.dashboard.messaging;

import io.github.cctv.dashboard.config.DashboardConfig;
import io.github.cctv.dashboard.domain.cameras.RecordingControl;
import io.github.cctv.protocol.Subjects;
import io.github.cctv.protocol.event.Events;
import io.github.cctv.protocol.event.RecordingCommand;
import io.github.cctv.protocol.event.RecordingReply;
import io.nats.client.Connection;
import io.nats.client.Message;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Recording commands as NATS request-reply on the camera's control subject. */
@Singleton
public class NatsRecordingControl implements RecordingControl {

    private final Connection connection;
    private final Duration timeout;
    private final Clock clock;

    public NatsRecordingControl(Connection connection, DashboardConfig config, Clock clock) {
        this.connection = connection;
        this.timeout = config.controlTimeout();
        this.clock = clock;
    }

    @Override
    public RecordingReply send(String cameraId, RecordingCommand command) {
        String subject = Subjects.recordingControl(cameraId);
        String noAnswer = "no recorder answered on " + subject + " within " + timeout.toMillis() + " ms";
        if (connection.getStatus() != Connection.Status.CONNECTED) {
            throw new RecorderUnavailableException("not connected to NATS; " + noAnswer);
        }
        // the recorder does not carry out a command that reaches it after the page was told it failed
        RecordingCommand withDeadline = new RecordingCommand(command.action(), command.by(),
                clock.instant().plus(timeout));
        Message reply;
        try {
            reply = connection.requestWithTimeout(subject, Events.write(withDeadline), timeout)
                    .get(timeout.toMillis() + 500, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RecorderUnavailableException(noAnswer);
        } catch (ExecutionException | TimeoutException | java.util.concurrent.CancellationException e) {
            // no responders, or timed out
            throw new RecorderUnavailableException(noAnswer);
        }
        if (reply == null || reply.isStatusMessage()) {
            throw new RecorderUnavailableException(noAnswer);
        }
        try {
            return Events.read(reply.getData(), RecordingReply.class);
        } catch (IllegalArgumentException e) {
            throw new RecorderUnavailableException("the recorder's reply on " + subject + " is unreadable: "
                    + e.getMessage());
        }
    }
}
