package io.github.cctv.dashboard;

import io.github.cctv.protocol.event.CameraStatus;
import io.github.cctv.testing.NatsServerResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * H.264 cameras in the real page in headless Chromium (WebCodecs; the page is on localhost, a secure context): the
 * tile decodes and paints, a viewer who joins while a camera is between key frames paints at once from the newest
 * key frame, and a snapshot of an H.264 camera is a JPEG decoded on the server.
 */
@QuarkusTest
@QuarkusTestResource(value = NatsServerResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = FakeRecorder.class, restrictToAnnotatedClass = false)
class H264BrowserIT extends BrowserSupport {

    @TestHTTPResource("/index.html")
    URI page;

    @TestHTTPResource("/")
    URI base;

    private final ScheduledExecutorService cameraClock = Executors.newSingleThreadScheduledExecutor();
    private final AtomicReference<Color> colour = new AtomicReference<>(Color.RED);

    @AfterEach
    void stopCamera() {
        cameraClock.shutdownNow();
    }

    /** Streams the camera at 25 fps in the colour of the moment, as a real camera would. */
    private H264Camera stream(String id, int gop) {
        NatsFixtures.putStatus(h264Status(id));
        H264Camera camera = new H264Camera(id, 320, 180, gop);
        cameraClock.scheduleAtFixedRate(() -> camera.publish(colour.get()), 0, 40, TimeUnit.MILLISECONDS);
        return camera;
    }

    static CameraStatus h264Status(String id) {
        Instant now = Instant.now();
        return new CameraStatus(id, id, true, "h264", 320, 180, 25, now, now, now, "127.0.0.1:5000", 1, null);
    }

    @Test
    void anH264TileIsDecodedInTheBrowserAndItsPixelsFollowTheCamera() throws Exception {
        stream("h264-a", 25);
        driver.get(page.toString());
        await().atMost(Duration.ofSeconds(15)).ignoreExceptions()
                .until(() -> isColour(centrePixel("h264-a"), Color.RED));
        colour.set(Color.BLUE);
        await().atMost(Duration.ofSeconds(10)).until(() -> isColour(centrePixel("h264-a"), Color.BLUE));
        colour.set(Color.GREEN);
        await().atMost(Duration.ofSeconds(10)).until(() -> isColour(centrePixel("h264-a"), Color.GREEN));
        assertThat(driver.findElement(By.cssSelector(".tile[data-camera='h264-a'] .stats")).getText()).contains("fps");
        screenshot("h264-tile.png");
    }

    @Test
    void aViewerWhoJoinsBetweenKeyFramesPaintsAtOnceFromTheNewestKeyFrame() throws Exception {
        // a key frame every 10 s: a viewer waiting for the next one would see nothing for seconds
        stream("h264-late", 250);
        // another viewer keeps the camera subscribed: the dashboard's in-memory run since the key frame
        try (LiveClient other = LiveClient.open(URI.create(base + "ws/live"))) {
            other.send("{\"type\":\"subscribe\",\"cameras\":{\"h264-late\":0}}");
            await().atMost(Duration.ofSeconds(5)).until(() -> other.framesOf("h264-late").size() > 50);
            assertThat(msToFirstPaint("h264-late")).as("ms to the first picture, from the dashboard's memory")
                    .isLessThan(2_000);
        }
        // nobody watches any more; a new page starts from the CCTV_FRAMES window
        driver.get("about:blank");
        await().atMost(Duration.ofSeconds(5)).until(() -> Http.json(Http.get(URI.create(base + "api/viewers")))
                .path("subscribedCameras").isEmpty());
        assertThat(msToFirstPaint("h264-late")).as("ms to the first picture, from the frames stream").isLessThan(2_000);
    }

    @Test
    void aSnapshotOfAnH264CameraIsItsNewestKeyFrameDecodedToJpeg() throws Exception {
        colour.set(Color.BLUE);
        stream("h264-snap", 25);
        await().atMost(Duration.ofSeconds(10)).until(() ->
                Http.get(URI.create(base + "api/cameras/h264-snap/snapshot.jpg")).statusCode() == 200);
        HttpResponse<byte[]> r = Http.get(URI.create(base + "api/cameras/h264-snap/snapshot.jpg"));
        assertThat(r.headers().firstValue("Content-Type")).hasValue("image/jpeg");
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(r.body()));
        assertThat(img.getWidth()).isEqualTo(320);
        assertThat(img.getHeight()).isEqualTo(180);
        Color c = new Color(img.getRGB(160, 90));
        assertThat(isColour(List.of((long) c.getRed(), (long) c.getGreen(), (long) c.getBlue()), Color.BLUE)).isTrue();
    }

    /** Opens the page and measures, in the page, from its start to the camera's first painted picture. */
    private long msToFirstPaint(String id) {
        driver.get(page.toString());
        JavascriptExecutor js = (JavascriptExecutor) driver;
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(20)).until(() -> Boolean.TRUE.equals(
                js.executeScript("const c = window.cctv && window.cctv.cameras.get(arguments[0]);"
                        + "return !!c && c.paints > 0;", id)));
        return ((Number) js.executeScript("return Math.round(window.cctv.cameras.get(arguments[0]).firstPaintAt"
                + " - window.cctv.subscribedAt(arguments[0]));", id)).longValue();
    }

    private static boolean isColour(List<Long> rgb, Color want) {
        return Math.abs(rgb.get(0) - want.getRed()) < 60 && Math.abs(rgb.get(1) - want.getGreen()) < 60
                && Math.abs(rgb.get(2) - want.getBlue()) < 60;
    }
}
