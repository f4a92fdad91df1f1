package io.github.cctv.nats;

import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Log lines about what strangers send (refused connections, failed sign-ins), so that a flood of bad input cannot
 * fill the disk: at most one line per key (a reason, say) per interval. The first occurrence is written at once;
 * what follows within the interval is counted, and the count is written with the next line of that key, or by
 * {@link #flush()} once the interval has passed. Keys should come from a small fixed set (reason codes): past
 * {@link #MAX_KEYS} they share one key.
 */
public final class RateLimitedLog {

    /** Most distinct keys tracked; later ones are counted together under {@link #OTHER}. */
    public static final int MAX_KEYS = 256;
    /** The key of lines past {@link #MAX_KEYS}. */
    public static final String OTHER = "other";

    private final Consumer<String> sink;
    private final long intervalMillis;
    private final Clock clock;
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();

    private static final class Entry {
        long nextAt;
        long heldBack;
        long heldSince;
        String last;
    }

    /** Lines go to {@code sink}; a key writes at most one line per {@code interval}. */
    public RateLimitedLog(Consumer<String> sink, Duration interval, Clock clock) {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("log interval must be positive, got " + interval);
        }
        this.sink = sink;
        this.intervalMillis = interval.toMillis();
        this.clock = clock;
    }

    /** Lines go to {@code log} at {@code level}. */
    public static RateLimitedLog to(Logger log, Logger.Level level, Duration interval, Clock clock) {
        return new RateLimitedLog(line -> log.log(level, line), interval, clock);
    }

    /** Writes {@code line} now, or counts it when {@code key} has written a line within the interval. */
    public void log(String key, String line) {
        Entry e = entry(key);
        String out;
        synchronized (e) {
            long now = clock.millis();
            if (now < e.nextAt) {
                if (e.heldBack++ == 0) {
                    e.heldSince = now;
                }
                e.last = line;
                return;
            }
            out = e.heldBack == 0 ? line : line + " (and " + e.heldBack + " more " + key + " since " + ago(now, e.heldSince) + ")";
            e.heldBack = 0;
            e.last = null;
            e.nextAt = now + intervalMillis;
        }
        sink.accept(out);
    }

    /** Writes the count of every key whose held-back lines are due; call it about once per interval. */
    public void flush() {
        for (Map.Entry<String, Entry> me : entries.entrySet()) {
            Entry e = me.getValue();
            String out = null;
            synchronized (e) {
                long now = clock.millis();
                if (e.heldBack > 0 && now >= e.nextAt) {
                    out = e.heldBack + " more " + me.getKey() + " in the last " + ago(now, e.heldSince) + ", the last: " + e.last;
                    e.heldBack = 0;
                    e.last = null;
                    e.nextAt = now + intervalMillis;
                }
            }
            if (out != null) {
                sink.accept(out);
            }
        }
    }

    /** Lines held back and not yet counted in a written line, all keys. */
    public long heldBack() {
        long n = 0;
        for (Entry e : entries.values()) {
            synchronized (e) {
                n += e.heldBack;
            }
        }
        return n;
    }

    private Entry entry(String key) {
        Entry e = entries.get(key);
        if (e != null) {
            return e;
        }
        return entries.computeIfAbsent(entries.size() >= MAX_KEYS ? OTHER : key, k -> new Entry());
    }

    private static String ago(long now, long since) {
        return Math.max(1, (now - since + 999) / 1000) + " s";
    }
}
