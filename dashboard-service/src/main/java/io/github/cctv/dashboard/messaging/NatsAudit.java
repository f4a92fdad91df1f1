package io.github.cctv.dashboard.messaging;

import io.github.cctv.dashboard.domain.audit.Audit;
import io.github.cctv.dashboard.domain.audit.AuditEvent;
import io.github.cctv.protocol.Subjects;
import io.github.cctv.protocol.event.Events;
import io.nats.client.Connection;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Audit events as JSON on {@code cctv.audit.<type>}, kept by the {@code CCTV_AUDIT} stream (made with the users
 * bucket at start-up). Published asynchronously: an action is never held up or failed by its audit; a failure is
 * logged (at most one line a minute) and counted.
 */
@Singleton
public class NatsAudit implements Audit {

    private static final Logger LOG = Logger.getLogger(NatsAudit.class);
    private static final long LOG_EVERY_MS = 60_000;

    private final Connection connection;
    private final AtomicLong failures = new AtomicLong();
    private final AtomicLong lastLog = new AtomicLong();

    public NatsAudit(Connection connection) {
        this.connection = connection;
    }

    @Override
    public void record(AuditEvent event) {
        LOG.infof("audit: %s %s by %s%s%s -> %s", event.type(), event.action(), event.user(),
                event.cameraId() == null ? "" : " camera " + event.cameraId(),
                event.target() == null ? "" : " " + event.target(), event.outcome());
        try {
            connection.jetStream().publishAsync(Subjects.audit(event.type()), Events.write(event))
                    .whenComplete((ack, e) -> {
                        if (e != null) {
                            failed(event, e);
                        }
                    });
        } catch (Exception e) {
            failed(event, e);
        }
    }

    /** Audit events that did not reach the stream since start-up. */
    public long failures() {
        return failures.get();
    }

    private void failed(AuditEvent event, Throwable e) {
        failures.incrementAndGet();
        long now = System.currentTimeMillis();
        long last = lastLog.get();
        if (now - last >= LOG_EVERY_MS && lastLog.compareAndSet(last, now)) {
            LOG.warnf("audit event %s not stored in %s (%s); %d lost since start-up", event.type(),
                    Subjects.AUDIT_STREAM, e.toString(), failures.get());
        }
    }
}
