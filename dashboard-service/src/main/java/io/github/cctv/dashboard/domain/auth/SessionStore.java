package io.github.cctv.dashboard.domain.auth;

import java.time.Instant;

/**
 * Where the live sessions are kept, shared by every dashboard: a session started on one is accepted by all, and a
 * session ended on one is refused by all within moments. {@link #state} answers from what this dashboard has seen
 * (never blocks: it runs for every request); {@link #started} and {@link #ended} write through and may block.
 */
public interface SessionStore {

    /** What this dashboard knows of a session. */
    enum State {
        /** Started and neither ended nor expired. */
        LIVE,
        /** Ended, expired or never started here or elsewhere. */
        ENDED,
        /** Not known yet: the store is still reading the sessions that exist (start-up, or the store unreachable). */
        NOT_LOADED
    }

    /** A live session; {@code stamp}: the user's {@link User#stamp} when it started. */
    record Session(String id, String user, Instant expiresAt, String stamp) {
    }

    State state(String sessionId);

    /** The user stamp a live session started with, or null when unknown or recorded without one. Never blocks. */
    String stamp(String sessionId);

    /** Records a new session for every dashboard. Blocking. */
    void started(Session session) throws UnavailableException;

    /** Ends a session on every dashboard. Blocking. */
    void ended(String sessionId) throws UnavailableException;

    /** The store cannot be reached or written now. */
    final class UnavailableException extends Exception {
        public UnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
