package io.github.cctv.nats;

import io.github.cctv.testing.MutableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RateLimitedLogTest {

    final MutableClock clock = new MutableClock(Instant.parse("2026-11-25T12:00:00Z"));
    final List<String> lines = new ArrayList<>();
    final RateLimitedLog log = new RateLimitedLog(lines::add, Duration.ofSeconds(10), clock);

    @Test
    void writesTheFirstLineOfAKeyAtOnceAndCountsTheRestOfTheInterval() {
        for (int i = 0; i < 10_000; i++) {
            log.log("BAD_MAGIC", "rejected 10.0.0." + (i % 200) + ": BAD_MAGIC");
        }
        assertThat(lines).containsExactly("rejected 10.0.0.0: BAD_MAGIC");
        assertThat(log.heldBack()).isEqualTo(9_999);

        log.flush();
        assertThat(lines).as("nothing before the interval has passed").hasSize(1);
        clock.advance(Duration.ofSeconds(10));
        log.flush();
        assertThat(lines).hasSize(2);
        assertThat(lines.get(1)).startsWith("9999 more BAD_MAGIC in the last").endsWith("the last: rejected 10.0.0.199: BAD_MAGIC");
        assertThat(log.heldBack()).isZero();
    }

    @Test
    void writesAtMostOneLinePerKeyPerIntervalHoweverItIsFlushed() {
        for (int second = 0; second < 60; second++) {
            for (int i = 0; i < 100; i++) {
                log.log("BAD_TOKEN", "bad token");
                log.log("HANDSHAKE_TIMEOUT", "slow hello");
            }
            log.flush();
            clock.advance(Duration.ofSeconds(1));
        }
        assertThat(lines.stream().filter(l -> l.contains("BAD_TOKEN") || l.equals("bad token"))).hasSizeBetween(6, 7);
        assertThat(lines).hasSizeBetween(12, 14);
        long counted = lines.stream().mapToLong(RateLimitedLogTest::count).sum() + lines.size() + log.heldBack();
        assertThat(counted).as("every line is written or counted").isEqualTo(60 * 200);
    }

    @Test
    void aLineAfterAQuietIntervalSaysHowManyWereHeldBack() {
        log.log("k", "one");
        log.log("k", "two");
        log.log("k", "three");
        clock.advance(Duration.ofSeconds(11));
        log.log("k", "four");
        assertThat(lines).containsExactly("one", "four (and 2 more k since 11 s)");
    }

    @Test
    void boundsTheKeysItTracks() {
        for (int i = 0; i < RateLimitedLog.MAX_KEYS + 50; i++) {
            log.log("key-" + i, "line " + i);
        }
        assertThat(lines).hasSize(RateLimitedLog.MAX_KEYS + 1);
        assertThat(log.heldBack()).isEqualTo(49);
    }

    private static long count(String line) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?:^|and )(\\d+) more").matcher(line);
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }
}
