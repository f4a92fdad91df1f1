package io.github.cctv.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.cctv.protocol.event.CameraStatus;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A registry of 200 cameras, a few of them online, in headless Chromium: the page watches only the online tiles it
 * shows (never more than the server allows one page), the visible ones draw, a tile scrolled into view starts, and
 * a hidden tab watches nothing.
 */
@QuarkusTest
@QuarkusTestResource(value = NatsServerResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = FakeRecorder.class, restrictToAnnotatedClass = false)
class ManyCamerasBrowserIT extends BrowserSupport {

    @TestHTTPResource("/index.html")
    URI page;

    @TestHTTPResource("/")
    URI base;

    private final ScheduledExecutorService cameras = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void stopCameras() {
        cameras.shutdownNow();
    }

    private static String id(int i) {
        return String.format("many-%03d", i);
    }

    @Test
    void twoHundredRegisteredCamerasStillDrawTheVisibleOnlineOnes() throws Exception {
        List<String> online = List.of(id(0), id(1), id(3), id(190));
        for (int i = 0; i < 200; i++) {
            CameraStatus s = NatsFixtures.online(id(i), "Camera " + i);
            NatsFixtures.putStatus(online.contains(id(i)) ? s : NatsFixtures.offline(s));
        }
        byte[] green = jpeg(new Color(0, 200, 0));
        cameras.scheduleAtFixedRate(() -> {
            for (String id : online) {
                NatsFixtures.publishFrame(id, seq.incrementAndGet(), System.currentTimeMillis() * 1000, green);
            }
        }, 0, 100, TimeUnit.MILLISECONDS);

        driver.get(page.toString());
        await().atMost(Duration.ofSeconds(15)).until(() -> driver.findElements(By.cssSelector(".tile[data-camera^='many-']")).size() == 200);
        for (String id : List.of(id(0), id(1), id(3))) {
            await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> centrePixel(id).get(1) > 150);
        }
        assertThat(driver.findElement(By.id("toast")).isDisplayed()).as("no error from the server").isFalse();
        Set<String> watched = watchedByThePage();
        assertThat(watched).as("only online cameras on screen").contains(id(0), id(1), id(3))
                .doesNotContain(id(190), id(2)).hasSizeLessThanOrEqualTo(64);

        // the tile of an online camera far down the wall starts when scrolled into view
        ((JavascriptExecutor) driver).executeScript(
                "document.querySelector(\".tile[data-camera='" + id(190) + "']\").scrollIntoView()");
        await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> centrePixel(id(190)).get(1) > 150);
        await().atMost(Duration.ofSeconds(5)).until(() -> !watchedByThePage().contains(id(0)));

        // a hidden tab watches nothing; shown again, it watches what it shows
        ((JavascriptExecutor) driver).executeScript(
                "Object.defineProperty(document, 'hidden', {configurable: true, get: () => true});"
                        + "document.dispatchEvent(new Event('visibilitychange'));");
        await().atMost(Duration.ofSeconds(5)).until(() -> watchedByThePage().isEmpty());
        ((JavascriptExecutor) driver).executeScript(
                "Object.defineProperty(document, 'hidden', {configurable: true, get: () => false});"
                        + "document.dispatchEvent(new Event('visibilitychange'));");
        await().atMost(Duration.ofSeconds(5)).until(() -> watchedByThePage().contains(id(190)));
        screenshot("many-cameras.png");
    }

    /** The cameras the one connected page watches, as the server sees it. */
    private Set<String> watchedByThePage() throws Exception {
        JsonNode viewers = Http.json(Http.get(URI.create(base + "api/viewers"))).path("viewers");
        assertThat(viewers.size()).isEqualTo(1);
        List<String> ids = new ArrayList<>();
        viewers.get(0).path("cameras").fieldNames().forEachRemaining(ids::add);
        return Set.copyOf(ids);
    }
}
