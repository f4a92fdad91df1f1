package io.github.cctv.recorder;

import io.github.cctv.recorder.domain.recording.FrameTimeline;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class FrameTimelineTest {

    static final long T = 1_764_000_000_000_000L;

    @Test
    void spacesFramesByTheirCaptureTimesNotByTheirArrival() {
        FrameTimeline t = new FrameTimeline();
        assertThat(t.next(T, T + 50_000)).isZero();
        // arrival jitters by tens of milliseconds; the pictures were taken 40, 20 and 500 ms apart
        assertThat(t.next(T + 40_000, T + 130_000)).isEqualTo(40_000);
        assertThat(t.next(T + 60_000, T + 131_000)).isEqualTo(60_000);
        assertThat(t.next(T + 560_000, T + 600_000)).isEqualTo(560_000);
        assertThat(t.fallbacks()).isZero();
        assertThat(t.lastStepUs()).isEqualTo(500_000);
    }

    @Test
    void aCaptureTimeGoingBackOrStandingStillIsSpacedByIngestTime() {
        FrameTimeline t = new FrameTimeline();
        t.next(T, T + 10_000);
        assertThat(t.next(T - 5_000_000, T + 43_000)).isEqualTo(33_000);
        assertThat(t.next(T - 5_000_000, T + 76_000)).isEqualTo(66_000);
        // the camera's spacing is good again: it is used again, from where the timeline is
        assertThat(t.next(T - 4_966_667, T + 120_000)).isEqualTo(99_333);
        assertThat(t.fallbacks()).isEqualTo(2);
    }

    @Test
    void aCameraClockThatJumpsOrStraysSecondsFromTheServersIsOverruled() {
        FrameTimeline t = new FrameTimeline(3_000_000);
        t.next(0, T); // a camera that says 1970
        assertThat(t.next(33_333, T + 33_333)).isEqualTo(33_333);
        // its clock steps forward by an hour: the frame is placed by its arrival
        assertThat(t.next(3_600_000_000L, T + 66_666)).isEqualTo(66_666);
        // a camera clock running twice as fast drifts away from the server's and is overruled past 3 s
        long capture = 3_600_000_000L;
        long ingest = T + 66_666;
        long last = 66_666;
        for (int i = 0; i < 300; i++) {
            capture += 66_666;
            ingest += 33_333;
            long next = t.next(capture, ingest);
            assertThat(next).isGreaterThan(last);
            last = next;
        }
        assertThat(Math.abs(last - (ingest - T))).isLessThanOrEqualTo(3_066_666);
    }

    @Test
    void timesAlwaysIncreaseEvenForFramesArrivingTogether() {
        FrameTimeline t = new FrameTimeline();
        t.next(T, T);
        assertThat(t.next(T, T)).isEqualTo(1);
        assertThat(t.next(T, T)).isEqualTo(2);
    }
}
