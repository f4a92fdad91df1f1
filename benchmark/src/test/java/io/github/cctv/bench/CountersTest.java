package io.github.cctv.bench;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CountersTest {

    @Test
    void framesSkippedAtTheStartAreCountedThere() {
        // 1530 sent, the first two seconds (60 frames) never sent, the rest recorded
        assertThat(new Counters.Span(61, 1530).missing(1530, 1470)).isEqualTo(new Counters.Missing(60, 0, 0));
    }

    @Test
    void framesMissingBetweenFirstAndLastAreCountedInTheMiddle() {
        assertThat(new Counters.Span(1, 1500).missing(1530, 1490)).isEqualTo(new Counters.Missing(0, 30, 10));
    }

    @Test
    void anUnreadableCounterGivesNoAnswer() {
        assertThat(new Counters.Span(-1, 1530).missing(1530, 1530)).isNull();
    }
}
