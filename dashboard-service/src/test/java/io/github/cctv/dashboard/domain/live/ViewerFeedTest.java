package io.github.cctv.dashboard.domain.live;

import io.github.cctv.dashboard.domain.live.ViewerFeed.EncodedFrame;
import io.github.cctv.dashboard.health.LiveMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

class ViewerFeedTest {

    /** A connection whose sends complete only when the test says so, like a socket that is slow to drain. */
    private static final class ManualConnection implements ViewerConnection {
        final List<Long> sentSeqs = new ArrayList<>();
        final List<Consumer<Boolean>> inFlight = new ArrayList<>();

        public String id() {
            return "v1";
        }

        public void sendBinary(byte[] message, Consumer<Boolean> done) {
            sentSeqs.add(LiveFrameCodec.decode(message).seq());
            inFlight.add(done);
        }

        public void sendText(String message, Consumer<Boolean> done) {
            done.accept(true);
        }

        public void close(String reason) {
        }

        void completeOldest(boolean ok) {
            inFlight.remove(0).accept(ok);
        }
    }

    private final LiveMetrics metrics = new LiveMetrics(new SimpleMeterRegistry());
    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private final ManualConnection connection = new ManualConnection();

    private static EncodedFrame frame(long seq) {
        return EncodedFrame.of(new Frame("cam1", seq, seq * 1000, seq * 1000, "jpeg", 1, 1, new byte[]{(byte) seq}));
    }

    @Test
    void keepsOneSendInFlightAndOnlyTheNewestPendingFrame() {
        ViewerFeed feed = new ViewerFeed("cam1", 0, connection, metrics, nanos::get);

        feed.offer(frame(1));
        feed.offer(frame(2));
        feed.offer(frame(3));
        feed.offer(frame(4));
        assertThat(connection.sentSeqs).containsExactly(1L);

        connection.completeOldest(true);
        assertThat(connection.sentSeqs).containsExactly(1L, 4L);
        connection.completeOldest(true);
        assertThat(connection.inFlight).isEmpty();

        assertThat(feed.sent()).isEqualTo(2);
        assertThat(feed.dropped()).isEqualTo(2);
        assertThat(metrics.droppedCount(LiveMetrics.DropReason.SUPERSEDED)).isEqualTo(2);

        feed.offer(frame(5));
        assertThat(connection.sentSeqs).containsExactly(1L, 4L, 5L);
    }

    @Test
    void capsTheFrameRateWhenAsked() {
        ViewerFeed feed = new ViewerFeed("cam1", 5, connection, metrics, nanos::get);
        for (int i = 1; i <= 30; i++) {           // one second of a 30 fps camera
            feed.offer(frame(i));
            while (!connection.inFlight.isEmpty()) {
                connection.completeOldest(true);
            }
            nanos.addAndGet(33_333_333L);
        }
        assertThat(connection.sentSeqs).hasSizeBetween(5, 6);
        assertThat(metrics.droppedCount(LiveMetrics.DropReason.RATE_CAP)).isGreaterThanOrEqualTo(24);
    }

    @Test
    void ignoresFramesOlderThanOneAlreadyOffered() {
        ViewerFeed feed = new ViewerFeed("cam1", 0, connection, metrics, nanos::get);
        feed.offer(frame(10));
        connection.completeOldest(true);
        feed.offer(frame(9));
        assertThat(connection.sentSeqs).containsExactly(10L);
    }

    @Test
    void countsFailedSendsAndSendsNothingAfterClose() {
        ViewerFeed feed = new ViewerFeed("cam1", 0, connection, metrics, nanos::get);
        feed.offer(frame(1));
        connection.completeOldest(false);
        assertThat(metrics.droppedCount(LiveMetrics.DropReason.SEND_FAILED)).isEqualTo(1);

        feed.close();
        feed.offer(frame(2));
        assertThat(connection.sentSeqs).containsExactly(1L);
    }
}
