package io.github.cctv.dashboard;

import io.github.cctv.protocol.event.CameraStatus;
import io.github.cctv.protocol.event.RecordingState;
import io.github.cctv.testing.NatsServerResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;

import java.awt.Color;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What the live page says is true, in headless Chromium: the latency shown is the frames' real age even while video
 * fills the socket, "last seen" is the registry's, a recording of an offline camera says it is paused, and a server
 * that hangs (connections open, nothing passing) is reported once, with the header no longer saying "live".
 */
@QuarkusTest
@QuarkusTestResource(value = NatsServerResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = FakeRecorder.class, restrictToAnnotatedClass = false)
class HonestIndicatorsBrowserIT extends BrowserSupport {

    @TestHTTPResource("/index.html")
    URI page;

    private final ScheduledExecutorService camera = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void stopCamera() {
        camera.shutdownNow();
    }

    private String tileText(String id) {
        return driver.findElement(By.cssSelector(".tile[data-camera='" + id + "']")).getText();
    }

    @Test
    void theLatencyShownIsTheFramesAgeEvenWithTheSocketFullOfVideo() throws Exception {
        NatsFixtures.putStatus(NatsFixtures.online("hi-lag", "Lagging"));
        // big frames at 25 fps fill the socket; each was captured 700 ms before it is published
        byte[] red = jpeg(new Color(220, 0, 0));
        camera.scheduleAtFixedRate(() -> NatsFixtures.publishFrame("hi-lag", seq.incrementAndGet(),
                (System.currentTimeMillis() - 700) * 1000, red), 0, 40, TimeUnit.MILLISECONDS);
        driver.get(page.toString());
        Pattern ms = Pattern.compile("(\\d+) ms");
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(300)).ignoreExceptions().until(() -> {
            Matcher m = ms.matcher(driver.findElement(By.cssSelector(".tile[data-camera='hi-lag'] .stats")).getText());
            return m.find() && Math.abs(Long.parseLong(m.group(1)) - 700) < 200;
        });
        long offset = ((Number) ((JavascriptExecutor) driver).executeScript("return window.cctv.clockOffset()"))
                .longValue();
        assertThat(Math.abs(offset)).as("browser and server share this machine's clock").isLessThan(50);
    }

    @Test
    void lastSeenIsTheRegistrysAndARecordingOfAnOfflineCameraSaysItIsPaused() {
        Instant seen = Instant.now().minusSeconds(150);
        CameraStatus gone = new CameraStatus("hi-gone", "Gone", false, "jpeg", 64, 48, 10, seen.minusSeconds(60), seen,
                seen, "127.0.0.1:5000", 10, io.github.cctv.protocol.event.DisconnectReason.CONNECTION_LOST);
        NatsFixtures.putStatus(gone);
        NatsFixtures.putRecording(new RecordingState("hi-gone", true, seen.minusSeconds(30), "alice"));
        driver.get(page.toString());
        await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> tileText("hi-gone").contains("last seen 2 min ago"));
        assertThat(driver.findElement(By.cssSelector(".tile[data-camera='hi-gone'] .rec-badge")).getText())
                .isEqualTo("REC paused — camera offline");
    }

    @Test
    void aHungServerShowsOneBannerAndTheHeaderStopsSayingLiveUntilItAnswersAgain() throws Exception {
        try (HangingProxy proxy = new HangingProxy(page.getPort())) {
            driver.get("http://localhost:" + proxy.port() + "/index.html");
            await().atMost(Duration.ofSeconds(10)).until(() -> "live".equals(driver.findElement(By.id("conn")).getText()));
            assertThat(driver.findElement(By.id("banner")).isDisplayed()).isFalse();

            proxy.hang();
            await().atMost(Duration.ofSeconds(15)).until(() -> driver.findElement(By.id("banner")).isDisplayed());
            assertThat(driver.findElement(By.id("conn")).getText()).isNotEqualTo("live");
            List<?> banners = driver.findElements(By.cssSelector("[role=alert]:not([hidden])"));
            assertThat(banners).as("one banner, no pile of messages").hasSize(1);

            proxy.resume();
            await().atMost(Duration.ofSeconds(30)).until(() -> "live".equals(driver.findElement(By.id("conn")).getText()));
            assertThat(driver.findElement(By.id("banner")).isDisplayed()).isFalse();
        }
    }

    @Test
    void anOfflineCameraCanBeForgottenFromItsTileAndAServerThatCannotSaysSo() {
        NatsFixtures.putStatus(NatsFixtures.offline(NatsFixtures.online("hi-old", "Old")));
        NatsFixtures.putStatus(NatsFixtures.online("hi-here", "Here"));
        driver.get(page.toString());
        await().atMost(Duration.ofSeconds(10)).until(() -> !driver.findElements(By.cssSelector(
                ".tile[data-camera='hi-old'] .forget")).isEmpty());
        assertThat(driver.findElement(By.cssSelector(".tile[data-camera='hi-here'] .forget")).isDisplayed())
                .as("no Forget on an online camera").isFalse();
        driver.findElement(By.cssSelector(".tile[data-camera='hi-old'] .forget")).click();
        // this dashboard has no DELETE /api/cameras/{id}: the page says so, and the tile stays
        await().atMost(Duration.ofSeconds(5)).until(() -> driver.findElement(By.id("toast")).isDisplayed());
        assertThat(driver.findElement(By.id("toast")).getText()).contains("Could not forget hi-old");
        assertThat(driver.findElements(By.cssSelector(".tile[data-camera='hi-old']"))).hasSize(1);
    }

    @Test
    void aCameraWithAWrongClockSaysSoOnItsTile() {
        Instant now = Instant.now();
        NatsFixtures.putStatus(new CameraStatus("hi-skew", "Skewed", true, "jpeg", 64, 48, 10, now, now, now,
                "127.0.0.1:5000", 10, null, 4200L, true));
        NatsFixtures.putStatus(new CameraStatus("hi-fine", "Fine", true, "jpeg", 64, 48, 10, now, now, now,
                "127.0.0.1:5000", 10, null, 12L, false));
        driver.get(page.toString());
        await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> driver.findElement(By.cssSelector(
                ".tile[data-camera='hi-skew'] .skew")).getAttribute("textContent").equals("camera clock 4.2 s ahead"));
        assertThat(driver.findElement(By.cssSelector(".tile[data-camera='hi-fine'] .skew")).getAttribute("textContent"))
                .isEmpty();
    }
}
