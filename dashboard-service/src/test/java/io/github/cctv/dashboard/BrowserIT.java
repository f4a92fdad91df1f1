package io.github.cctv.dashboard;

import io.github.cctv.protocol.event.CameraStatus;
import io.github.cctv.testing.HeadlessChromium;
import io.github.cctv.testing.NatsServerResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The real page in headless Chromium: frames drawn, cameras appearing and going offline without reload. */
@QuarkusTest
@QuarkusTestResource(value = NatsServerResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = FakeRecorder.class, restrictToAnnotatedClass = false)
class BrowserIT {

    @TestHTTPResource("/index.html")
    URI page;

    private HeadlessChromium chromium;
    private WebDriver driver;
    private final AtomicLong seq = new AtomicLong();

    @BeforeEach
    void startBrowser() throws IOException {
        chromium = HeadlessChromium.startOrSkip();
        driver = chromium.driver();
    }

    @AfterEach
    void stopBrowser() throws IOException {
        if (chromium != null) {
            chromium.close();
        }
    }

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

        Path shots = Path.of("target", "screenshots");
        Files.createDirectories(shots);
        File shot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), shots.resolve("grid.png"), StandardCopyOption.REPLACE_EXISTING);
    }

    private List<org.openqa.selenium.WebElement> tiles(String id) {
        return driver.findElements(By.cssSelector(".tile[data-camera='" + id + "']"));
    }

    private String badge(String id) {
        return tiles(id).get(0).findElement(By.cssSelector(".badge")).getText();
    }

    @SuppressWarnings("unchecked")
    private List<Long> centrePixel(String id) {
        return (List<Long>) ((JavascriptExecutor) driver).executeScript(
                "const c = document.querySelector(\".tile[data-camera='" + id + "'] canvas\");"
                        + "const d = c.getContext('2d').getImageData(c.width / 2, c.height / 2, 1, 1).data;"
                        + "return [d[0], d[1], d[2]];");
    }

    static byte[] jpeg(Color colour) throws IOException {
        BufferedImage img = new BufferedImage(320, 180, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(colour);
        g.fillRect(0, 0, 320, 180);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "jpg", out);
        return out.toByteArray();
    }
}
