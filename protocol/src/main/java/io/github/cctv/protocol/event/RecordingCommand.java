package io.github.cctv.protocol.event;

import java.time.Instant;

/**
 * Request on {@code cctv.control.<cameraId>.recording}: {@code action} is {@code start}, {@code stop} or {@code status}.
 *
 * @param deadline when the sender stops waiting for the reply (server clock), or null for none: a recorder that
 *                 gets the command later does not carry it out (it answers {@link RecordingReply#EXPIRED}), so that
 *                 a command the operator was told had failed never happens behind their back
 */
public record RecordingCommand(String action, String by, Instant deadline) {

    public static final String START = "start";
    public static final String STOP = "stop";
    public static final String STATUS = "status";

    /** A command without a deadline. */
    public RecordingCommand(String action, String by) {
        this(action, by, null);
    }

    /** Whether the sender had stopped waiting by {@code now}. */
    public boolean expiredAt(Instant now) {
        return deadline != null && now.isAfter(deadline);
    }
}
