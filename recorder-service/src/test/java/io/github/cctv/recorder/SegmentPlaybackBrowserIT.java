package io.github.cctv.recorder;

import io.github.cctv.recorder.domain.recording.SegmentWriter;
import io.github.cctv.recorder.media.RangeExporter;
import io.github.cctv.testing.HeadlessChromium;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.JavascriptExecutor;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.github.cctv.recorder.TestSegments.H;
import static io.github.cctv.recorder.TestSegments.S;
import static io.github.cctv.recorder.TestSegments.STEP;
import static io.github.cctv.recorder.TestSegments.W;
import static io.github.cctv.recorder.TestSegments.WRITERS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

/**
 * Recorded segments and exports in Chromium's own {@code <video>} element, served over HTTP with byte ranges as the
 * recorder serves them: the length is known, seeking lands on the right picture (its counter read from the canvas),
 * playback runs.
 */
class SegmentPlaybackBrowserIT {


    static List<H264TestStream.AccessUnit> units;

    @TempDir
    Path dir;

    RangeFileServer server;
    HeadlessChromium chromium;
    JavascriptExecutor js;

    @BeforeAll
    static void encode() {
        units = H264TestStream.units(W, H, 30, 300);
    }

    @BeforeEach
    void start() throws Exception {
        chromium = HeadlessChromium.startOrSkip();
        chromium.driver().manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
        js = (JavascriptExecutor) chromium.driver();
        server = new RangeFileServer();
    }

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
        if (chromium != null) {
            chromium.close();
        }
    }

    /**
     * Frames [from, to) 1/30 s apart from {@code startUs}, a 2 s pause after frame 149, flushed every 30 frames;
     * returns each frame's time in µs from the segment's start.
     */
    static List<Long> record(SegmentWriter w, int from, int to) throws Exception {
        List<Long> times = new ArrayList<>();
        long t = 0;
        for (int i = from; i < to; i++) {
            long capture = 1_764_000_000_000_000L + t;
            w.write(H264TestStream.frame("cam1", units.get(i), capture, capture + 20_000, W, H), 0);
            times.add(t);
            t += i == 149 ? 2_000_000 : STEP;
            if ((i - from) % 30 == 29) {
                w.flush();
            }
        }
        return times;
    }

    /** The counter of the frame shown at {@code seconds}: the last frame at or before it. */
    static int frameAt(List<Long> times, double seconds, int first) {
        int shown = 0;
        for (int i = 0; i < times.size(); i++) {
            if (times.get(i) <= seconds * 1e6) {
                shown = i;
            }
        }
        return first + shown;
    }

    private void open(Path file) {
        String src = server.file(file.getFileName().toString(), file);
        chromium.driver().get(server.page("play.html", "<!doctype html><html><body>"
                + "<video id='v' muted playsinline preload='auto' src='" + src + "'></video>"
                + "<canvas id='c'></canvas></body></html>"));
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> metadata() {
        return (Map<String, Object>) js.executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                const v = document.getElementById('v');
                const report = () => done({duration: v.duration, error: v.error ? v.error.code + ' ' + v.error.message : null,
                    width: v.videoWidth, height: v.videoHeight,
                    seekableEnd: v.seekable.length ? v.seekable.end(v.seekable.length - 1) : -1});
                if (v.readyState >= 1 || v.error) report(); else { v.onloadedmetadata = report; v.onerror = report; }
                """);
    }

    /**
     * Seeks to {@code seconds} and reads the counter of the picture the element then shows. A loaded machine may
     * present the new picture a little after {@code seeked}, so the counter is read until it holds still.
     */
    private int counterAfterSeek(double seconds) {
        return ((Number) js.executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                const v = document.getElementById('v');
                v.pause();
                v.onseeked = () => {
                  v.onseeked = null;
                  let last = window.counter(), same = 0, tries = 0;
                  const again = () => {
                    const c = window.counter();
                    same = c === last ? same + 1 : 0;
                    last = c;
                    if (same >= 3 || ++tries > 40) { done(c); } else { setTimeout(again, 50); }
                  };
                  setTimeout(again, 50);
                };
                v.currentTime = arguments[0];
                """ + COUNTER, seconds)).intValue();
    }

    /** Defines window.counter(): the test picture's counter bits read from the video drawn on the canvas. */
    private static final String COUNTER = """
            window.counter = () => {
                const v = document.getElementById('v'), c = document.getElementById('c');
                c.width = v.videoWidth; c.height = v.videoHeight;
                const g = c.getContext('2d', {willReadFrequently: true});
                g.drawImage(v, 0, 0);
                const block = c.width / 16;
                let n = 0;
                for (let bit = 0; bit < 16; bit++) {
                    const p = g.getImageData(bit * block + block / 2, c.height / 12, 1, 1).data;
                    if ((p[0] + p[1] + p[2]) / 3 > 128) n |= 1 << bit;
                }
                return n;
            };
            """;

    private double currentTime() {
        return ((Number) js.executeScript("return document.getElementById('v').currentTime;")).doubleValue();
    }

    @Test
    void aFinishedSegmentKnowsItsLengthSeeksToTheRightPictureAndPlays() throws Exception {
        Path file = dir.resolve("cam1_2026-11-25_12-00-00.mp4");
        List<Long> times;
        try (SegmentWriter w = WRITERS.open(file, "h264", W, H)) {
            times = record(w, 0, 300);
        }
        double expected = (times.get(299) + STEP) / 1e6; // 299 steps, the 2 s pause, the last frame's 1/30 s
        open(file);
        Map<String, Object> meta = metadata();
        assertThat(meta.get("error")).isNull();
        assertThat(((Number) meta.get("duration")).doubleValue()).isCloseTo(expected, within(0.01));
        assertThat(((Number) meta.get("seekableEnd")).doubleValue()).isCloseTo(expected, within(0.01));
        assertThat(((Number) meta.get("width")).intValue()).isEqualTo(W);

        for (double t : new double[]{0.51, 4.21, 5.9, 7.05, 9.9, expected - 0.01, 0.02}) {
            assertThat(counterAfterSeek(t)).as("picture at %.2f s", t).isEqualTo(frameAt(times, t, 0));
        }

        js.executeScript("const v = document.getElementById('v'); v.currentTime = 1.0; v.play();");
        await().atMost(Duration.ofSeconds(20)).until(() -> currentTime() > 1.6);
        assertThat(((Number) js.executeScript("return window.counter();")).intValue()).isGreaterThan(frameAt(times, 1.5, 0));
    }

    @Test
    void aSegmentCutOffAfterAFlushPlaysUpToThatFlush() throws Exception {
        Path file = dir.resolve("open.mp4");
        SegmentWriter w = WRITERS.open(file, "h264", W, H);
        List<Long> times = record(w, 0, 105); // flushed up to frame 89; frames 90–104 only in memory
        Path cut = dir.resolve("cut.mp4");
        Files.copy(file, cut); // what a killed recorder leaves
        w.close();

        open(cut);
        Map<String, Object> meta = metadata();
        assertThat(meta.get("error")).isNull();
        assertThat(((Number) meta.get("duration")).doubleValue()).isCloseTo((times.get(89) + STEP) / 1e6, within(0.01));
        assertThat(counterAfterSeek(2.5)).isEqualTo(frameAt(times, 2.5, 0));
        assertThat(counterAfterSeek(times.get(89) / 1e6 + 0.01)).isEqualTo(89);
    }

    @Test
    void aFlushRightAfterAPauseHidesNoneOfTheFramesAfterIt() throws Exception {
        // a camera's first picture, its second only 0.7 s later (its encoder starting up), then the usual pace; the
        // recorder flushes with the second one still the last: its duration is not known yet
        Path file = dir.resolve("pause.mp4");
        List<Long> times = new ArrayList<>();
        try (SegmentWriter w = WRITERS.open(file, "h264", W, H)) {
            long t = 0;
            for (int i = 0; i < 60; i++) {
                long capture = 1_764_000_000_000_000L + t;
                w.write(H264TestStream.frame("cam1", units.get(i), capture, capture + 20_000, W, H), 0);
                times.add(t);
                if (i == 1 || i == 31) {
                    w.flush();
                }
                t += i == 0 ? 700_000 : STEP;
            }
        }
        open(file);
        assertThat(metadata().get("error")).isNull();
        for (int i : new int[]{2, 3, 5, 12, 1, 30}) {
            double at = times.get(i) / 1e6 + 0.01;
            assertThat(counterAfterSeek(at)).as("picture at %.3f s", at).isEqualTo(frameAt(times, at, 0));
        }
    }

    @Test
    void anExportAcrossSegmentsPlaysAndSeeksAcrossTheGap() throws Exception {
        Path a = dir.resolve("a.mp4");
        Path b = dir.resolve("b.mp4");
        try (SegmentWriter w = WRITERS.open(a, "h264", W, H)) {
            record(w, 0, 90);
        }
        try (SegmentWriter w = WRITERS.open(b, "h264", W, H)) {
            record(w, 90, 180);
        }
        // b starts 5 s after a: frames 0–89 over 2.97 s, a gap, frames 90–179 from 5 s
        List<RangeExporter.Segment> segments = List.of(new RangeExporter.Segment(a, S),
                new RangeExporter.Segment(b, S.plusSeconds(5)));
        Path out = dir.resolve("export.mp4");
        new RangeExporter().export(segments, S.plusMillis(1500), S.plusMillis(7000), out, p -> { }, () -> false);

        open(out);
        Map<String, Object> meta = metadata();
        assertThat(meta.get("error")).isNull();
        // from the keyframe at 1.0 s (frame 30) to frame 149 at 5 s + 59 steps: 5.967 s, plus its own 1/30 s
        assertThat(((Number) meta.get("duration")).doubleValue()).isCloseTo(4 + 60 * STEP / 1e6, within(0.01));
        assertThat(counterAfterSeek(0.01)).isEqualTo(30);
        assertThat(counterAfterSeek(1.51)).isEqualTo(75);
        assertThat(counterAfterSeek(3.5)).as("in the gap: the last picture before it").isEqualTo(89);
        assertThat(counterAfterSeek(4.51)).isEqualTo(105);
    }
}
