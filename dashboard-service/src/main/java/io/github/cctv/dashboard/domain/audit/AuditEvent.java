package io.github.cctv.dashboard.domain.audit;

import java.time.Instant;

/**
 * Who did what, when: one audit event, published as JSON on {@code cctv.audit.<type>}. Never a password, never a
 * typed user name that names nobody ({@code unknown user}).
 *
 * @param type     {@code sign-in}, {@code sign-out}, {@code recording}, {@code export}, {@code delete}, {@code keep},
 *                 {@code forget}, {@code user}
 * @param user     who acted ({@code anonymous} with sign-in off, {@code unknown user} for a failed sign-in)
 * @param action   what: {@code succeeded}/{@code failed} for a sign-in, {@code start}/{@code stop} for a recording,
 *                 {@code created}/{@code changed} for a user ...
 * @param cameraId the camera concerned, if any
 * @param target   what else it was done to: a recording or export id, a user name, a time range
 * @param outcome  the answer: {@code ok}, or the status or reason of a refusal
 * @param address  the client's address
 * @param time     when, by the dashboard's clock
 */
public record AuditEvent(int schema, String type, String user, String action, String cameraId, String target,
                         String outcome, String address, Instant time) {

    public static final int SCHEMA = 1;

    public AuditEvent(String type, String user, String action, String cameraId, String target, String outcome,
                      String address, Instant time) {
        this(SCHEMA, type, user, action, cameraId, target, outcome, address, time);
    }
}
