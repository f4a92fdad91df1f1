package io.github.cctv.dashboard;

import io.github.cctv.testing.NatsServerResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.github.cctv.protocol.event.CameraStatus;
import io.quarkus.test.common.http.TestHTTPResource;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

import java.awt.Color;
import java.net.URI;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The real page in headless Chromium: frames drawn, cameras appearing and going offline without reload. */
@QuarkusTest
@QuarkusTestResource(value = NatsServerResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = FakeRecorder.class, restrictToAnnotatedClass = false)
class BrowserIT extends BrowserSupport {

    @TestHTTPResource("/index.html")
    URI page;

    @Test
    void drawsFramesAndFollowsCamerasComingAndGoing() throws Exception {
        CameraStatus front = NatsFixtures.online("br-front", "Front door");
        NatsFixtures.putStatus(front);
        driver.get(page.toString());

        await().atMost(Duration.ofSeconds(10)).until(() -> !tiles("br-front").isEmpty());
        await().atMost(Duration.ofSeconds(10)).until(() -> "live".equals(driver.findElement(By.id("conn")).getText()));
        byte[] red = jpeg(new Color(255, 0, 0));
        // keep the camera streaming while waiting, as a real one would
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200)).until(() -> {
            NatsFixtures.publishFrame("br-front", seq.incrementAndGet(), System.currentTimeMillis() * 1000, red);
            List<Long> rgb = centrePixel("br-front");
            return rgb.get(0) > 200 && rgb.get(1) < 60 && rgb.get(2) < 60;
        });
        assertThat(badge("br-front")).isEqualTo("ONLINE");

        // a camera that connects appears without reload
        NatsFixtures.putStatus(NatsFixtures.online("br-yard", "Yard"));
        await().atMost(Duration.ofSeconds(2)).until(() -> !tiles("br-yard").isEmpty());
        byte[] blue = jpeg(new Color(0, 0, 255));
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200)).until(() -> {
            NatsFixtures.publishFrame("br-yard", seq.incrementAndGet(), System.currentTimeMillis() * 1000, blue);
            NatsFixtures.publishFrame("br-front", seq.incrementAndGet(), System.currentTimeMillis() * 1000, red);
            return centrePixel("br-yard").get(2) > 200;
        });

        // a camera that drops turns OFFLINE within 2 s and is visibly stale
        NatsFixtures.putStatus(NatsFixtures.offline(front));
        await().atMost(Duration.ofSeconds(2)).until(() -> "OFFLINE".equals(badge("br-front")));
        assertThat(tiles("br-front").get(0).getAttribute("class")).contains("stale");
        assertThat(tiles("br-front").get(0).getText()).contains("last seen");
        assertThat(driver.findElement(By.id("summary")).getText()).contains("online");

        screenshot("grid.png");
    }

    private List<org.openqa.selenium.WebElement> tiles(String id) {
        return driver.findElements(By.cssSelector(".tile[data-camera='" + id + "']"));
    }

    private String badge(String id) {
        return tiles(id).get(0).findElement(By.cssSelector(".badge")).getText();
    }
}
