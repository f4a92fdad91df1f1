package io.github.cctv.camera;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class FrameQueueTest {

    private static SourceFrame frame(int size, boolean key) {
        return new SourceFrame(new byte[size], 0, key);
    }

    @Test
    void keepsEveryFrameInOrderWhileThereIsRoom() {
        FrameQueue q = new FrameQueue(4, 1000);
        SourceFrame a = frame(10, true);
        SourceFrame b = frame(10, false);
        assertThat(q.offer(a)).isTrue();
        assertThat(q.offer(b)).isTrue();
        assertThat(q.bytes()).isEqualTo(20);
        assertThat(q.poll()).isSameAs(a);
        assertThat(q.poll()).isSameAs(b);
        assertThat(q.poll()).isNull();
        assertThat(q.dropped()).isZero();
    }

    @Test
    void whenFullDropsAndCountsUntilTheNextKeyFrame() {
        FrameQueue q = new FrameQueue(2, 1000);
        q.offer(frame(10, true));
        q.offer(frame(10, false));
        assertThat(q.offer(frame(10, false))).as("full").isFalse();
        q.poll();
        q.poll();
        // room again, but this frame depends on the one just dropped
        assertThat(q.offer(frame(10, false))).isFalse();
        assertThat(q.offer(frame(10, true))).isTrue();
        assertThat(q.offer(frame(10, false))).isTrue();
        assertThat(q.dropped()).isEqualTo(2);
    }

    @Test
    void boundsBytesButAlwaysTakesAFrameIntoAnEmptyQueue() {
        FrameQueue q = new FrameQueue(10, 100);
        assertThat(q.offer(frame(500, true))).as("one frame larger than the bound").isTrue();
        assertThat(q.offer(frame(1, true))).isFalse();
        q.poll();
        assertThat(q.offer(frame(60, true))).isTrue();
        assertThat(q.offer(frame(60, true))).isFalse();
    }

    @Test
    void aNewStartBeginsAtTheNewestKeyFrame() {
        FrameQueue q = new FrameQueue(10, 1000);
        q.offer(frame(1, true));
        q.offer(frame(2, false));
        SourceFrame key = frame(3, true);
        q.offer(key);
        SourceFrame after = frame(4, false);
        q.offer(after);
        q.startAtKeyFrame();
        assertThat(q.poll()).isSameAs(key);
        assertThat(q.poll()).isSameAs(after);
        assertThat(q.dropped()).as("older than the start, not lost").isZero();
    }

    @Test
    void aNewStartWithoutAQueuedKeyFrameWaitsForOne() {
        FrameQueue q = new FrameQueue(10, 1000);
        q.offer(frame(1, false));
        q.startAtKeyFrame();
        assertThat(q.size()).isZero();
        assertThat(q.offer(frame(1, false))).isFalse();
        assertThat(q.offer(frame(1, true))).isTrue();
        assertThat(q.dropped()).isZero();
    }

    private static SourceFrame captured(long capture, boolean key) {
        return new SourceFrame(new byte[10], capture, key);
    }

    @Test
    void aRunsFirstConnectionSendsEveryQueuedFrameFromTheOldestKeyFrame() {
        FrameQueue q = new FrameQueue(100, 10_000);
        q.offer(captured(1, false)); // cannot be decoded: its reference was never read
        SourceFrame k1 = captured(2, true);
        SourceFrame p1 = captured(3, false);
        SourceFrame k2 = captured(4, true);
        SourceFrame p2 = captured(5, false);
        for (SourceFrame f : new SourceFrame[] {k1, p1, k2, p2}) {
            q.offer(f);
        }
        q.startConnection(Long.MIN_VALUE);
        assertThat(q.poll()).isSameAs(k1);
        assertThat(q.poll()).isSameAs(p1);
        assertThat(q.poll()).isSameAs(k2);
        assertThat(q.poll()).isSameAs(p2);
        assertThat(q.dropped()).as("only the frame before the first key frame").isEqualTo(1);
        assertThat(q.stale()).isZero();
    }

    @Test
    void aReconnectDiscardsOnlyTheFramesOlderThanTheBoundAndCountsThem() {
        FrameQueue q = new FrameQueue(100, 10_000);
        q.offer(captured(100, true));
        q.offer(captured(200, false));
        q.offer(captured(300, false)); // young enough, but its key frame is stale
        SourceFrame key = captured(400, true);
        SourceFrame after = captured(500, false);
        q.offer(key);
        q.offer(after);
        q.startConnection(250);
        assertThat(q.poll()).isSameAs(key);
        assertThat(q.poll()).isSameAs(after);
        assertThat(q.poll()).isNull();
        assertThat(q.stale()).isEqualTo(2);
        assertThat(q.dropped()).as("stale, and the frame that depended on them").isEqualTo(3);
    }

    @Test
    void aConnectionWithNoKeyFrameLeftDropsUntilTheNextOne() {
        FrameQueue q = new FrameQueue(100, 10_000);
        q.offer(captured(100, true));
        q.offer(captured(200, false));
        q.startConnection(150);
        assertThat(q.size()).isZero();
        assertThat(q.offer(captured(300, false))).isFalse();
        SourceFrame key = captured(400, true);
        assertThat(q.offer(key)).isTrue();
        assertThat(q.poll()).isSameAs(key);
        assertThat(q.dropped()).isEqualTo(3);
    }

    @Test
    void aSlowFirstConnectionIsBoundedByBytesNotByAFewHundredFrames() {
        // 20 s of 720p30 MJPEG at 62 KB a frame, as a camera sends while many clients start at once
        FrameQueue q = new FrameQueue(GrabberSource.QUEUE_FRAMES, SourceRequest.DEFAULT_QUEUE_BYTES, "test");
        for (int i = 0; i < 600; i++) {
            assertThat(q.offer(new SourceFrame(new byte[62_000], i, true))).as("frame %d", i).isTrue();
        }
        // and 2 Mbit/s H.264 for as long: far more frames, far fewer bytes
        FrameQueue h264 = new FrameQueue(GrabberSource.QUEUE_FRAMES, SourceRequest.DEFAULT_QUEUE_BYTES, "test");
        for (int i = 0; i < 3000; i++) {
            assertThat(h264.offer(new SourceFrame(new byte[8_400], i, i % 30 == 0))).as("frame %d", i).isTrue();
        }
        assertThat(q.dropped() + h264.dropped()).isZero();
    }

    @Test
    void overflowIsCountedUntilTheQueueHasRoomAgain() {
        FrameQueue q = new FrameQueue(100, 100, "test");
        assertThat(q.offer(frame(60, true))).isTrue();
        assertThat(q.offer(new SourceFrame(new byte[60], 2, true))).isFalse();
        assertThat(q.offer(new SourceFrame(new byte[60], 3, true))).isFalse();
        q.poll();
        assertThat(q.offer(new SourceFrame(new byte[60], 4, true))).isTrue();
        assertThat(q.dropped()).isEqualTo(2);
    }
}
