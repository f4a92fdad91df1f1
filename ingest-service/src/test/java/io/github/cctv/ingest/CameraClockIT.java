package io.github.cctv.ingest;

import io.github.cctv.protocol.FrameHeaders;
import io.github.cctv.protocol.event.CameraEvent;
import io.github.cctv.protocol.event.CameraStatus;
import io.github.cctv.testing.NatsServerResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Ingest measures each camera's clock against its own, reports a skewed one, and flags impossible capture times. */
@QuarkusTest
@QuarkusTestResource(value = NatsServerResource.class, restrictToAnnotatedClass = false)
class CameraClockIT extends IngestTestSupport {

    static final long DAY_US = 86_400_000_000L;

    @Test
    void reportsACameraFortyDaysBehindInAnEventAndItsRegistryEntryAndAgainWhenItsClockIsSet() throws Exception {
        String id = newId("behind");
        List<CameraEvent> events = probe.events(id);
        try (TestCamera cam = TestCamera.online(port(), id)) {
            long seq = 0;
            // 25 fps for 1.5 s, 40 days behind: more than one registry interval (1 s), enough frames for the median
            for (; seq < 38; seq++) {
                cam.frame(seq, System.currentTimeMillis() * 1000 - 40 * DAY_US, image(seq, 500));
                Thread.sleep(40); // pacing the camera, not waiting for a result
            }
            await().atMost(Duration.ofSeconds(3)).until(() -> events.stream().anyMatch(e -> e instanceof CameraEvent.ClockSkewed));
            CameraEvent.ClockSkewed skewed = events.stream().filter(e -> e instanceof CameraEvent.ClockSkewed)
                    .map(e -> (CameraEvent.ClockSkewed) e).findFirst().orElseThrow();
            assertThat(skewed.offsetMs()).isCloseTo(-40 * DAY_US / 1000, org.assertj.core.data.Offset.offset(2_000L));
            assertThat(skewed.boundMs()).isEqualTo(3000);
            await().atMost(Duration.ofSeconds(3)).untilAsserted(() -> {
                CameraStatus s = probe.status(id);
                assertThat(s.clockSkewed()).isTrue();
                assertThat(s.clockOffsetMs()).isCloseTo(-40 * DAY_US / 1000, org.assertj.core.data.Offset.offset(2_000L));
            });

            // the camera's clock is set right: once most of the window is right, clock-ok
            for (; seq < 38 + 90; seq++) {
                cam.frame(seq, System.currentTimeMillis() * 1000, image(seq, 500));
                Thread.sleep(30); // pacing the camera
            }
            await().atMost(Duration.ofSeconds(3)).until(() -> events.stream().anyMatch(e -> e instanceof CameraEvent.ClockCorrected));
            await().atMost(Duration.ofSeconds(3)).untilAsserted(() -> assertThat(probe.status(id).clockSkewed()).isFalse());
            assertThat(Math.abs(probe.status(id).clockOffsetMs())).isLessThan(3000);
            cam.goodbye();
        }
    }

    @Test
    void passesAnImpossibleCaptureTimeThroughFlaggedAndAPlausibleOneUnflagged() throws Exception {
        String id = newId("epoch");
        List<io.nats.client.Message> frames = probe.frames(id);
        try (TestCamera cam = TestCamera.online(port(), id)) {
            long now = System.currentTimeMillis() * 1000;
            cam.frame(1, -1, image(1, 500));                       // 1969
            cam.frame(2, -9_000_000_000_000_000L, image(2, 500));  // year 1680
            cam.frame(3, now + 400 * DAY_US, image(3, 500));       // next year
            cam.frame(4, now - 40 * DAY_US, image(4, 500));        // behind, but a real time
            await().atMost(Duration.ofSeconds(3)).until(() -> frames.size() == 4);
            cam.goodbye();
        }
        assertThat(frames).extracting(m -> m.getHeaders().getFirst(FrameHeaders.CAPTURE_IMPLAUSIBLE))
                .containsExactly("1", "1", "1", null);
        assertThat(frames.get(1).getHeaders().getFirst(FrameHeaders.CAPTURE_US)).isEqualTo("-9000000000000000");
    }
}
