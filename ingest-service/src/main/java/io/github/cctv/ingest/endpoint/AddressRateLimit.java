package io.github.cctv.ingest.endpoint;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Connection attempts per source address: a token bucket per address ({@code burst} attempts at once, refilled at
 * {@code perSecond}). The addresses are remembered in a map of at most {@code maxAddresses}, the least recently seen
 * forgotten first, so the state is bounded whatever the number of addresses that connect; a forgotten address
 * starts again with a full bucket. Thread-safe.
 */
public final class AddressRateLimit {

    private static final class Bucket {
        double tokens;
        long updatedMillis;
    }

    private final double perSecond;
    private final int burst;
    private final Clock clock;
    private final LinkedHashMap<String, Bucket> buckets;

    public AddressRateLimit(double perSecond, int burst, int maxAddresses, Clock clock) {
        if (perSecond <= 0 || burst < 1 || maxAddresses < 1) {
            throw new IllegalArgumentException("connection rate limits must be positive: per-second " + perSecond
                    + ", burst " + burst + ", max-addresses " + maxAddresses);
        }
        this.perSecond = perSecond;
        this.burst = burst;
        this.clock = clock;
        this.buckets = new LinkedHashMap<>(256, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Bucket> eldest) {
                return size() > maxAddresses;
            }
        };
    }

    /** Takes one attempt from {@code address}'s bucket; false when it is empty (the attempt is to be refused). */
    public synchronized boolean tryAcquire(String address) {
        long now = clock.millis();
        Bucket b = buckets.get(address);
        if (b == null) {
            b = new Bucket();
            b.tokens = burst;
            b.updatedMillis = now;
            buckets.put(address, b);
        } else {
            b.tokens = Math.min(burst, b.tokens + (now - b.updatedMillis) * perSecond / 1000.0);
            b.updatedMillis = now;
        }
        if (b.tokens < 1) {
            return false;
        }
        b.tokens -= 1;
        return true;
    }

    /** Seconds until {@code address} may try again (0 when it may now). */
    public synchronized long retryAfterSeconds(String address) {
        Bucket b = buckets.get(address);
        if (b == null || b.tokens >= 1) {
            return 0;
        }
        return (long) Math.ceil((1 - b.tokens) / perSecond);
    }

    /** Addresses remembered now. */
    public synchronized int size() {
        return buckets.size();
    }
}
