package io.github.cctv.recorder.messaging;

import io.github.cctv.recorder.NatsFixture;
import io.github.cctv.recorder.domain.recording.Frame;
import io.github.cctv.recorder.domain.recording.FrameStream;
import io.github.cctv.recorder.health.RecorderMetrics;
import io.github.cctv.testing.NatsTestServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.nats.client.Connection;
import io.nats.client.Nats;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A camera's frames read from a real NATS server's frame stream, as the recorder reads them. */
class JetStreamFrameSourceIT {

    private static NatsTestServer nats;
    private static Connection nc;
    private static NatsFixture fixture;

    @BeforeAll
    static void start() throws Exception {
        nats = NatsTestServer.start();
        nc = Nats.connect(nats.url());
        fixture = new NatsFixture(nc, null).withFrameStream();
    }

    @AfterAll
    static void stop() throws Exception {
        fixture.close();
        nats.close();
    }

    private static JetStreamFrameSource source() {
        return new JetStreamFrameSource(nc, "test", 64, 4 * 1024 * 1024, Duration.ofSeconds(5),
                new RecorderMetrics(new SimpleMeterRegistry()));
    }

    @Test
    void aPollTakesTheFramesThatHaveArrivedAndThenTheNextOneAsItComes() throws Exception {
        String cam = "poll-cam";
        long t0 = NatsFixture.nowUs();
        fixture.frames(cam, 1, 11, t0, 33);
        try (FrameStream stream = source().open(cam, Instant.EPOCH, 0)) {
            List<Frame> got = new ArrayList<>();
            long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (got.size() < 10 && System.nanoTime() < end) {
                got.addAll(stream.poll(64, Duration.ofMillis(200)));
            }
            assertThat(got).extracting(f -> f.metadata().seq()).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L);
            assertThat(stream.poll(64, Duration.ofMillis(50))).as("nothing more has arrived").isEmpty();

            fixture.frames(cam, 11, 12, t0, 33);
            List<Frame> next = stream.poll(64, Duration.ofSeconds(5));
            assertThat(next).extracting(f -> f.metadata().seq()).containsExactly(11L);
            assertThat(stream.poll(2, Duration.ofMillis(50))).isEmpty();

            fixture.frames(cam, 12, 17, t0, 33);
            List<Frame> bounded = new ArrayList<>();
            end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (bounded.size() < 5 && System.nanoTime() < end) {
                List<Frame> b = stream.poll(2, Duration.ofMillis(200));
                assertThat(b.size()).as("a poll takes at most what it is asked for").isLessThanOrEqualTo(2);
                bounded.addAll(b);
            }
            assertThat(bounded).extracting(f -> f.metadata().seq()).containsExactly(12L, 13L, 14L, 15L, 16L);
        }
    }
}
