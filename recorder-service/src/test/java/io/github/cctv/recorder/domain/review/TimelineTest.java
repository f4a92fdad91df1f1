package io.github.cctv.recorder.domain.review;

import io.github.cctv.recorder.domain.store.Recording;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class TimelineTest {

    static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");

    static Recording seg(String cam, Instant start, long seconds) {
        String id = cam + "_" + start.toString().substring(0, 19).replace('T', '_').replace(':', '-');
        return new Recording(id, cam, start, start.plusSeconds(seconds), seconds * 10, 1000, cam + "/" + id + ".mp4",
                false, 1);
    }

    @Test
    void adjoiningSegmentsAreOneSpanAndTheTimeBetweenOthersIsAGapUpToNow() {
        List<Recording> r = List.of(
                seg("cam1", T0.plusSeconds(600), 600),       // 10:10–10:20
                seg("cam1", T0, 599),                        // 10:00–10:09:59, 1 s before the next: joined
                seg("cam1", T0.plusSeconds(3600), 300),      // 11:00–11:05
                seg("other", T0, 3600));
        Timeline t = Timeline.of("cam1", r, T0.minusSeconds(600), T0.plusSeconds(7200), T0.plusSeconds(5400));

        assertThat(t.segments()).extracting(Timeline.Segment::start)
                .containsExactly(T0, T0.plusSeconds(600), T0.plusSeconds(3600));
        assertThat(t.spans()).containsExactly(
                new Timeline.Period(T0, T0.plusSeconds(1200)),
                new Timeline.Period(T0.plusSeconds(3600), T0.plusSeconds(3900)));
        // gaps up to now (11:30), not into the future
        assertThat(t.gaps()).containsExactly(
                new Timeline.Period(T0.minusSeconds(600), T0),
                new Timeline.Period(T0.plusSeconds(1200), T0.plusSeconds(3600)),
                new Timeline.Period(T0.plusSeconds(3900), T0.plusSeconds(5400)));
    }

    @Test
    void spansAreClippedToTheRangeAsked() {
        Timeline t = Timeline.of("cam1", List.of(seg("cam1", T0, 600)), T0.plusSeconds(60), T0.plusSeconds(120),
                T0.plusSeconds(9999));
        assertThat(t.spans()).containsExactly(new Timeline.Period(T0.plusSeconds(60), T0.plusSeconds(120)));
        assertThat(t.gaps()).isEmpty();
        assertThat(t.segments()).hasSize(1);
    }

    @Test
    void locatesAMomentInItsSegmentWithTheNextOneOrInAGapAtTheNextSegment() {
        List<Recording> r = List.of(seg("cam1", T0, 600), seg("cam1", T0.plusSeconds(600), 600),
                seg("cam1", T0.plusSeconds(3600), 60));

        Timeline.Position in = Timeline.locate("cam1", r, T0.plusSeconds(425).plusMillis(500)).orElseThrow();
        assertThat(in.segment().start()).isEqualTo(T0);
        assertThat(in.offsetSeconds()).isCloseTo(425.5, within(1e-9));
        assertThat(in.inGap()).isFalse();
        assertThat(in.next().start()).isEqualTo(T0.plusSeconds(600));

        // at the boundary the later segment follows on
        Timeline.Position edge = Timeline.locate("cam1", r, T0.plusSeconds(600)).orElseThrow();
        assertThat(edge.segment().start()).isEqualTo(T0.plusSeconds(600));
        assertThat(edge.offsetSeconds()).isZero();

        Timeline.Position gap = Timeline.locate("cam1", r, T0.plusSeconds(2000)).orElseThrow();
        assertThat(gap.inGap()).isTrue();
        assertThat(gap.segment().start()).isEqualTo(T0.plusSeconds(3600));
        assertThat(gap.offsetSeconds()).isZero();
        assertThat(gap.next()).isNull();

        assertThat(Timeline.locate("cam1", r, T0.plusSeconds(99999))).isEmpty();
        assertThat(Timeline.locate("nobody", r, T0)).isEmpty();
    }
}
