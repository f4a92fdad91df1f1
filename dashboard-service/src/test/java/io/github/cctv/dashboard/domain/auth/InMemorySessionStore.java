package io.github.cctv.dashboard.domain.auth;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The session store of one dashboard, in memory: the port's fake for tests of the sign-in logic. */
public final class InMemorySessionStore implements SessionStore {

    public final Map<String, Session> sessions = new ConcurrentHashMap<>();
    public volatile boolean loaded = true;
    public volatile boolean reachable = true;

    @Override
    public State state(String sessionId) {
        if (sessions.containsKey(sessionId)) {
            return State.LIVE;
        }
        return loaded ? State.ENDED : State.NOT_LOADED;
    }

    @Override
    public String stamp(String sessionId) {
        Session s = sessions.get(sessionId);
        return s == null ? null : s.stamp();
    }

    @Override
    public void started(Session session) throws UnavailableException {
        requireReachable();
        sessions.put(session.id(), session);
    }

    @Override
    public void ended(String sessionId) throws UnavailableException {
        requireReachable();
        sessions.remove(sessionId);
    }

    private void requireReachable() throws UnavailableException {
        if (!reachable) {
            throw new UnavailableException("store unreachable", null);
        }
    }
}
