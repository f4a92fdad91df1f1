package io.github.cctv.dashboard;

import io.github.cctv.testing.NatsServerResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.JavascriptExecutor;

import java.awt.Color;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;

/**
 * Measures capture → painted latency of H.264 tiles in headless Chromium: 4 cameras, 640x360 at 25 fps, a key frame
 * every 2 s, through the real dashboard and a real NATS; each tile records capture time (camera) to the moment its
 * picture was drawn (server clock via the page's ping sync). Not part of {@code verify}: run it on purpose with
 * {@code ./mvnw -B -pl dashboard-service -am test -Dtest=H264LatencyBench -Dsurefire.failIfNoSpecifiedTests=false};
 * it prints the numbers, it asserts none. Settings: {@code -Dbench.cameras=4 -Dbench.seconds=20}.
 */
@QuarkusTest
@QuarkusTestResource(value = NatsServerResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = FakeRecorder.class, restrictToAnnotatedClass = false)
class H264LatencyBench extends BrowserSupport {

    @TestHTTPResource("/index.html")
    URI page;

    @Test
    @SuppressWarnings("unchecked")
    void captureToPaintedLatencyOfH264Tiles() throws Exception {
        int cameras = Integer.getInteger("bench.cameras", 4);
        int seconds = Integer.getInteger("bench.seconds", 20);
        List<H264Camera> cams = new ArrayList<>();
        java.util.concurrent.atomic.AtomicLong published = new java.util.concurrent.atomic.AtomicLong();
        ScheduledExecutorService clock = Executors.newScheduledThreadPool(cameras);
        try {
            for (int i = 0; i < cameras; i++) {
                String id = "bench-" + i;
                NatsFixtures.putStatus(H264BrowserIT.h264Status(id));
                H264Camera cam = new H264Camera(id, 640, 360, 50);
                cams.add(cam);
                int n = i;
                clock.scheduleAtFixedRate(() -> {
                    cam.publish(Color.getHSBColor((System.nanoTime() / 1e9f + n * 0.25f) % 1f, 0.8f, 0.9f));
                    published.incrementAndGet();
                }, 0, 40, TimeUnit.MILLISECONDS);
            }
            driver.get(page.toString());
            JavascriptExecutor js = (JavascriptExecutor) driver;
            await().atMost(Duration.ofSeconds(30)).until(() -> Boolean.TRUE.equals(js.executeScript(
                    "return [...window.cctv.cameras.values()].filter(c => c.id.startsWith('bench-') && c.paints > 0)"
                            + ".length === arguments[0]", cameras)));
            Thread.sleep(5_000); // warm-up: JIT, decoders, clock sync
            js.executeScript("for (const c of window.cctv.cameras.values()) { c.latencies.length = 0; c.paints = 0; }");
            long publishedAtStart = published.get();
            Thread.sleep(seconds * 1000L);
            long sent = published.get() - publishedAtStart;
            List<Number> raw = (List<Number>) js.executeScript(
                    "return [...window.cctv.cameras.values()].filter(c => c.id.startsWith('bench-'))"
                            + ".flatMap(c => c.latencies)");
            long paints = ((Number) js.executeScript("return [...window.cctv.cameras.values()]"
                    + ".filter(c => c.id.startsWith('bench-')).reduce((a, c) => a + c.paints, 0)")).longValue();
            List<Double> ms = new ArrayList<>();
            raw.forEach(n -> ms.add(n.doubleValue()));
            Collections.sort(ms);
            System.out.printf("%nH.264 capture -> painted, %d cameras 640x360 25 fps, %d s: %d frames published, "
                            + "%d pictures painted (%.1f fps per tile), p50 %.0f ms, p90 %.0f ms, p99 %.0f ms, max %.0f ms%n%n",
                    cameras, seconds, sent, paints, paints / (double) seconds / cameras, pct(ms, 50), pct(ms, 90), pct(ms, 99),
                    ms.isEmpty() ? Double.NaN : ms.get(ms.size() - 1));
        } finally {
            clock.shutdownNow();
            clock.awaitTermination(5, TimeUnit.SECONDS);
            cams.forEach(H264Camera::close);
        }
    }

    private static double pct(List<Double> sorted, int p) {
        if (sorted.isEmpty()) {
            return Double.NaN;
        }
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }
}
