package io.github.cctv.dashboard;

import io.github.cctv.testing.HeadlessChromium;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/** What the browser tests share: a fresh headless Chromium per test, frame numbers, pixels, screenshots. */
abstract class BrowserSupport {

    HeadlessChromium chromium;
    WebDriver driver;
    final AtomicLong seq = new AtomicLong();

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

    /** RGB of the centre pixel of a camera tile's canvas. */
    @SuppressWarnings("unchecked")
    List<Long> centrePixel(String id) {
        return (List<Long>) ((JavascriptExecutor) driver).executeScript(
                "const c = document.querySelector(\".tile[data-camera='" + id + "'] canvas\");"
                        + "const d = c.getContext('2d').getImageData(c.width / 2, c.height / 2, 1, 1).data;"
                        + "return [d[0], d[1], d[2]];");
    }

    /** Saves what the browser shows to {@code target/screenshots/<name>}. */
    void screenshot(String name) throws IOException {
        Path shots = Path.of("target", "screenshots");
        Files.createDirectories(shots);
        Path shot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE).toPath();
        Files.copy(shot, shots.resolve(name), StandardCopyOption.REPLACE_EXISTING);
    }

    /** A 320x180 JPEG of one colour. */
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
