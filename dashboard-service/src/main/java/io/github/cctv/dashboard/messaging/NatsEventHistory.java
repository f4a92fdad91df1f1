package io.github.cctv.dashboard.messaging;

import io.github.cctv.dashboard.config.DashboardConfig;
import io.github.cctv.dashboard.domain.cameras.EventHistory;
import io.github.cctv.protocol.Subjects;
import io.github.cctv.protocol.event.CameraEvent;
import io.github.cctv.protocol.event.Events;
import io.nats.client.Connection;
import io.nats.client.FetchConsumeOptions;
import io.nats.client.FetchConsumer;
import io.nats.client.JetStreamApiException;
import io.nats.client.Message;
import io.nats.client.OrderedConsumerContext;
import io.nats.client.api.DeliverPolicy;
import io.nats.client.api.OrderedConsumerConfiguration;
import io.nats.client.api.StreamInfo;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Event history from the events stream: an ordered consumer over the newest {@code eventScanLimit}
 * messages (filtered by camera), keeping the last {@code limit}. Bounded work per query whatever the
 * stream holds.
 */
@Singleton
public class NatsEventHistory implements EventHistory {

    private static final int BATCH = 256;

    private final Connection connection;
    private final int scanLimit;

    public NatsEventHistory(Connection connection, DashboardConfig config) {
        this.connection = connection;
        this.scanLimit = config.eventScanLimit();
    }

    @Override
    public List<CameraEvent> recent(String cameraId, int limit, java.time.Instant since,
                                    java.util.function.Predicate<CameraEvent> keep) {
        if (connection.getStatus() != Connection.Status.CONNECTED) {
            throw new IllegalStateException("not connected to NATS");
        }
        String filter = cameraId == null ? Subjects.EVENTS_ALL : Subjects.events(cameraId);
        ArrayDeque<CameraEvent> newest = new ArrayDeque<>();
        try {
            StreamInfo info;
            try {
                info = connection.jetStreamManagement().getStreamInfo(Subjects.EVENTS_STREAM);
            } catch (JetStreamApiException e) {
                return List.of(); // no events stream yet: no history
            }
            long last = info.getStreamState().getLastSequence();
            if (info.getStreamState().getMsgCount() == 0) {
                return List.of();
            }
            long start = Math.max(info.getStreamState().getFirstSequence(), last - scanLimit + 1);
            OrderedConsumerConfiguration config = new OrderedConsumerConfiguration().filterSubject(filter);
            if (since != null) {
                // from that moment on, still at most scanLimit messages read
                config.deliverPolicy(DeliverPolicy.ByStartTime)
                        .startTime(since.atZone(java.time.ZoneOffset.UTC));
            } else {
                config.deliverPolicy(DeliverPolicy.ByStartSequence).startSequence(start);
            }
            OrderedConsumerContext consumer = connection.getStreamContext(Subjects.EVENTS_STREAM)
                    .createOrderedConsumer(config);
            int scanned = 0;
            boolean done = false;
            while (!done) {
                // no-wait fetches: an empty answer ends the read at once instead of waiting for new events
                FetchConsumer batch = consumer.fetch(FetchConsumeOptions.builder().maxMessages(BATCH).noWait().build());
                int got = 0;
                Message m;
                while ((m = batch.nextMessage()) != null) {
                    got++;
                    scanned++;
                    try {
                        CameraEvent e = Events.eventFromJson(m.getData());
                        if (keep.test(e)) {
                            newest.addLast(e);
                        }
                        if (newest.size() > limit) {
                            newest.removeFirst();
                        }
                    } catch (IllegalArgumentException e) {
                        // an unreadable event is skipped, not fatal to the history
                    }
                    if (m.metaData().pendingCount() == 0 || m.metaData().streamSequence() >= last || scanned >= scanLimit) {
                        done = true;
                    }
                }
                done |= got == 0;
            }
        } catch (IOException | JetStreamApiException e) {
            throw new IllegalStateException("event history unavailable: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        } catch (Exception e) {
            throw new IllegalStateException("event history unavailable: " + e.getMessage(), e);
        }
        List<CameraEvent> result = new ArrayList<>(newest);
        Collections.reverse(result);
        return result;
    }
}
