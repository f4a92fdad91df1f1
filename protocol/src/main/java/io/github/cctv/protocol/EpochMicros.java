package io.github.cctv.protocol;

import java.time.Clock;
import java.time.Instant;

/** Times on the wire and in NATS headers are microseconds since the Unix epoch; these convert them. */
public final class EpochMicros {

    private EpochMicros() {
    }

    /** Microseconds since the epoch of {@code instant}, truncated below the microsecond. */
    public static long of(Instant instant) {
        return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1_000);
    }

    /** The clock's current time in microseconds since the epoch. */
    public static long now(Clock clock) {
        return of(clock.instant());
    }

    /** The instant of {@code micros} microseconds since the epoch. */
    public static Instant toInstant(long micros) {
        return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000L);
    }
}
