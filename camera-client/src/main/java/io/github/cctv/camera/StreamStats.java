package io.github.cctv.camera;

import java.util.Collection;

/**
 * A snapshot of counters since start, summed over the cameras of a streamer or simulator.
 *
 * @param framesSent    frames of the main stream written completely to the socket
 * @param bytesSent     bytes written, all messages (substream frames included)
 * @param framesDropped frames not sent: paced slots skipped while the socket was busy or the thread
 *                      fell behind, frames too large for the server, and live frames a full queue dropped
 * @param reconnects    connection attempts after a failure, a refusal or a lost session
 * @param sessions      sessions the server accepted
 * @param substreamFramesSent frames of the substream written completely (0 without one)
 */
public record StreamStats(long framesSent, long bytesSent, long framesDropped, long reconnects, long sessions,
                          long substreamFramesSent) {

    public StreamStats(long framesSent, long bytesSent, long framesDropped, long reconnects, long sessions) {
        this(framesSent, bytesSent, framesDropped, reconnects, sessions, 0);
    }

    static StreamStats sum(Collection<Session> sessions) {
        long f = 0, b = 0, d = 0, r = 0, s = 0, sf = 0;
        for (Session session : sessions) {
            SessionStats st = session.stats;
            f += st.frames;
            sf += st.substreamFrames;
            b += st.bytes;
            d += session.droppedFrames();
            r += st.reconnects;
            s += st.sessions;
        }
        return new StreamStats(f, b, d, r, s, sf);
    }
}
