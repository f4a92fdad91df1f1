package io.github.cctv.dashboard.domain.audit;

/** Where audit events go (NATS, in {@code messaging}). Never blocks and never fails the action it records. */
public interface Audit {

    void record(AuditEvent event);
}
