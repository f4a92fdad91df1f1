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
}
