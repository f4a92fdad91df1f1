package io.github.cctv.ingest.endpoint;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class FrameMemoryTest {

    @Test
    void neverHandsOutMoreThanItsLimitAndWakesWaitersWhenMemoryComesBack() {
        FrameMemory m = new FrameMemory(100);
        assertThat(m.reserve(60)).isTrue();
        assertThat(m.reserve(50)).isFalse();
        assertThat(m.held()).isEqualTo(60);
        AtomicInteger woken = new AtomicInteger();
        m.whenAvailable(woken::incrementAndGet);
        assertThat(woken).as("40 bytes are free: the waiter tries again at once").hasValue(1);

        assertThat(m.reserve(40)).isTrue();
        m.whenAvailable(woken::incrementAndGet);
        m.whenAvailable(woken::incrementAndGet);
        assertThat(woken).hasValue(1);
        assertThat(m.waiting()).isEqualTo(2);
        m.release(40);
        assertThat(woken).hasValue(3);
        assertThat(m.waiting()).isZero();
        assertThat(m.held()).isEqualTo(60);
    }
}
