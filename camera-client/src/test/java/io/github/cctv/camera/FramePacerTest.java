package io.github.cctv.camera;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FramePacerTest {

    @Test
    void slotsComeOncePerPeriodFromTheStart() {
        FramePacer p = new FramePacer(100);
        assertThat(p.due(0)).isFalse();
        p.start(1000);
        assertThat(p.due(999)).isFalse();
        assertThat(p.due(1000)).isTrue();
        assertThat(p.advance(1000)).isZero();
        assertThat(p.nextSlot()).isEqualTo(1100);
        assertThat(p.due(1050)).isFalse();
        assertThat(p.advance(1100)).isZero();
        assertThat(p.nextSlot()).isEqualTo(1200);
    }

    @Test
    void slotsAlreadyPastAreSkippedAndCountedNeverBurst() {
        FramePacer p = new FramePacer(100);
        p.start(0);
        // the slot at 0 was served only at 350: 100, 200 and 300 are gone
        assertThat(p.advance(350)).isEqualTo(3);
        assertThat(p.nextSlot()).isEqualTo(400);
        assertThat(p.due(399)).isFalse();
    }

    @Test
    void stoppedHasNoSlot() {
        FramePacer p = new FramePacer(100);
        p.start(0);
        p.stop();
        assertThat(p.due(Long.MAX_VALUE - 1)).isFalse();
        assertThat(p.nextSlot()).isEqualTo(FramePacer.NEVER);
        assertThat(p.advance(500)).isZero();
    }

    @Test
    void refusesANonPositivePeriod() {
        assertThatThrownBy(() -> new FramePacer(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
