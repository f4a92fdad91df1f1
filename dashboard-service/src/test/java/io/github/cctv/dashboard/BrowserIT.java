package io.github.cctv.dashboard;

import io.github.cctv.protocol.event.CameraStatus;
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
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

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
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.abort;

/** The real page in headless Chromium: frames drawn, cameras appearing and going offline without reload. */
@QuarkusTest
@QuarkusTestResource(value = NatsServerResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = FakeRecorder.class, restrictToAnnotatedClass = false)
class BrowserIT {

    private static final String CHROMIUM = "/usr/bin/chromium";
    private static final String CHROMEDRIVER = "/usr/bin/chromedriver";

    @TestHTTPResource("/index.html")
    URI page;

    private WebDriver driver;
    private Path profile;
    private final AtomicLong seq = new AtomicLong();

    @BeforeEach
    void startBrowser() throws IOException {
        if (!new File(CHROMIUM).canExecute() || !new File(CHROMEDRIVER).canExecute()) {
            String why = "BROWSER TEST SKIPPED: " + CHROMIUM + " or " + CHROMEDRIVER + " is missing";
            if ("1".equals(System.getenv("CCTV_REQUIRE_BROWSER"))) {
                fail(why + " and CCTV_REQUIRE_BROWSER=1");
            }
            System.err.println("\n*** " + why + " ***\n");
            abort(why);
        }
        // never let Selenium Manager look for (download) a driver: there is one on this machine
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER);
        profile = Files.createTempDirectory("cctv-chromium-");
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM).addArguments("--headless=new", "--no-sandbox",
                "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run",
                "--disable-dev-shm-usage", "--window-size=1280,800", "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER)).usingAnyFreePort().build();
        driver = new ChromeDriver(service, options);
    }

    @AfterEach
    void stopBrowser() throws IOException {
        if (driver != null) {
            driver.quit();
        }
        if (profile != null) {
            try (var files = Files.walk(profile)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
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

    private static byte[] jpeg(Color colour) throws IOException {
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
