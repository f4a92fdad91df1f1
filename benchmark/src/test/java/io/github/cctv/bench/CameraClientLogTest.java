package io.github.cctv.bench;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class CameraClientLogTest {

    @Test
    void readsTheClosingDoneLine() {
        List<String> log = List.of(
                "streaming cam-01 (rtsp://127.0.0.1:8554/cam01, h264 1280x720 @ 30.00 fps) to 127.0.0.1:9000",
                "stats: 30.0 fps sent, 2013 kbit/s, 0 frames dropped, 0 reconnects, 903 frames total",
                "done: 1530 frames sent, 2 dropped, 1 reconnects");

        assertThat(CameraClientLog.done(log)).contains(new CameraClientLog.Done(1530, 2, 1));
    }

    @Test
    void fallsBackOnTheLastStatsLineWhenStoppedBeforeDone() {
        List<String> log = List.of(
                "stats: 30.0 fps sent, 2013 kbit/s, 0 frames dropped, 0 reconnects, 30 frames total",
                "13:09:04.676 WARN source http://127.0.0.1:33037/ failed: end of stream; reopening in 376 ms",
                "stats: 29.9 fps sent, 15862 kbit/s, 3 frames dropped, 0 reconnects, 1236 frames total",
                "stats: 0.0 fps sent, 0 kbit/s, 3 frames dropped, 0 reconnects, 1236 frames total");

        assertThat(CameraClientLog.done(log)).contains(new CameraClientLog.Done(1236, 3, 0));
    }

    @Test
    void saysNothingForALogWithoutEither() {
        assertThat(CameraClientLog.done(List.of("error: cannot open rtsp://127.0.0.1:1/x", "done: soon"))).isEmpty();
    }
}
