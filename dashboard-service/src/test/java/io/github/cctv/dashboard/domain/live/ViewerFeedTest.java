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
        ViewerFeed feed = new ViewerFeed("cam1", 0, connection, metrics, nanos::get, 1 << 20, 1_000_000_000L);

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
        ViewerFeed feed = new ViewerFeed("cam1", 5, connection, metrics, nanos::get, 1 << 20, 1_000_000_000L);
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
        ViewerFeed feed = new ViewerFeed("cam1", 0, connection, metrics, nanos::get, 1 << 20, 1_000_000_000L);
        feed.offer(frame(10));
        connection.completeOldest(true);
        feed.offer(frame(9));
        assertThat(connection.sentSeqs).containsExactly(10L);
    }

    @Test
    void countsFailedSendsAndSendsNothingAfterClose() {
        ViewerFeed feed = new ViewerFeed("cam1", 0, connection, metrics, nanos::get, 1 << 20, 1_000_000_000L);
        feed.offer(frame(1));
        connection.completeOldest(false);
        assertThat(metrics.droppedCount(LiveMetrics.DropReason.SEND_FAILED)).isEqualTo(1);

        feed.close();
        feed.offer(frame(2));
        assertThat(connection.sentSeqs).containsExactly(1L);
    }

    /** An H.264 access unit of {@code size} bytes: a key frame every {@code gop} frames, from seq 0. */
    private static EncodedFrame h264(long seq, int gop, int size) {
        return EncodedFrame.of(new Frame("cam1", new io.github.cctv.protocol.FrameMetadata(seq, seq * 1000, seq * 1000,
                "h264", 64, 48, seq % gop == 0), new byte[size]));
    }

    @Test
    void anH264ViewerStartsAtAKeyFrameAndGetsEveryFrameInOrderWhileItKeepsUp() {
        ViewerFeed feed = new ViewerFeed("cam1", 5, connection, metrics, nanos::get, 1 << 20, 1_000_000_000L);
        for (long seq = 3; seq < 25; seq++) {
            feed.offer(h264(seq, 10, 100));
            nanos.addAndGet(1_000_000L);
            if (seq % 3 == 0) {
                while (!connection.inFlight.isEmpty()) {
                    connection.completeOldest(true);
                }
            }
        }
        while (!connection.inFlight.isEmpty()) {
            connection.completeOldest(true);
        }
        assertThat(connection.sentSeqs).as("nothing before the first key frame, then every frame, cap or not")
                .containsExactlyElementsOf(java.util.stream.LongStream.range(10, 25).boxed().toList());
        assertThat(metrics.droppedCount(LiveMetrics.DropReason.AWAITING_KEYFRAME)).isEqualTo(7);
        assertThat(feed.skips()).isZero();
    }

    @Test
    void aSlowH264ViewerSkipsToTheNextKeyFrameAndOnlyEverGetsWholeRunsFromKeyFrames() {
        // budget: 1,000 bytes queued, frames of 100 bytes (plus header), a key frame every 10
        ViewerFeed feed = new ViewerFeed("cam1", 0, connection, metrics, nanos::get, 1_000, 1_000_000_000L);
        for (long seq = 0; seq < 60; seq++) {
            feed.offer(h264(seq, 10, 100));
            if (seq % 4 == 3) {                 // the page reads a frame now and then: it falls behind
                connection.completeOldest(true);
            }
        }
        while (!connection.inFlight.isEmpty()) {
            connection.completeOldest(true);
        }
        assertThat(feed.skips()).isPositive();
        assertThat(metrics.keyframeSkips()).isEqualTo(feed.skips());
        assertThat(metrics.droppedCount(LiveMetrics.DropReason.SKIPPED_TO_KEYFRAME)).isPositive();
        // every frame sent follows the one sent before it, or is a key frame: the page never gets a broken picture
        List<Long> sent = connection.sentSeqs;
        assertThat(sent.get(0) % 10).isZero();
        for (int i = 1; i < sent.size(); i++) {
            long seq = sent.get(i);
            assertThat(seq == sent.get(i - 1) + 1 || seq % 10 == 0)
                    .as("frame %d after %d", seq, sent.get(i - 1)).isTrue();
        }
        assertThat(sent).as("it catches up with the newest key frame").contains(50L);
    }

    @Test
    void anH264ViewerWhoseQueueWaitsTooLongSkipsToTheNextKeyFrame() {
        ViewerFeed feed = new ViewerFeed("cam1", 0, connection, metrics, nanos::get, 1 << 20, 1_000_000_000L);
        feed.offer(h264(0, 10, 100));  // in flight, never completed for 1.5 s
        feed.offer(h264(1, 10, 100));  // queued
        nanos.addAndGet(1_500_000_000L);
        feed.offer(h264(2, 10, 100));  // the queue's oldest has waited 1.5 s: skip
        for (long seq = 3; seq <= 10; seq++) {
            feed.offer(h264(seq, 10, 100));
        }
        connection.completeOldest(true);
        connection.completeOldest(true);
        assertThat(connection.sentSeqs).containsExactly(0L, 10L);
        assertThat(feed.skips()).isEqualTo(1);
    }

    @Test
    void aGapInTheH264SequenceWaitsForTheNextKeyFrame() {
        ViewerFeed feed = new ViewerFeed("cam1", 0, connection, metrics, nanos::get, 1 << 20, 1_000_000_000L);
        for (long seq : new long[]{0, 1, 2, 4, 5, 10, 11}) {   // 3 was lost on the way
            feed.offer(h264(seq, 10, 100));
            if (!connection.inFlight.isEmpty()) {
                connection.completeOldest(true);
            }
        }
        assertThat(connection.sentSeqs).containsExactly(0L, 1L, 2L, 10L, 11L);
    }
}
