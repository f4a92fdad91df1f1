package io.github.cctv.system;

import io.github.cctv.camera.TestPatternSource;
import io.github.cctv.protocol.CameraToken;
import io.github.cctv.protocol.event.Events;
import io.github.cctv.testing.HeadlessChromium;
import io.github.cctv.testing.NatsTestServer;
import io.github.cctv.testing.ServiceProcess;
import com.fasterxml.jackson.databind.JsonNode;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.Java2DFrameConverter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The whole system as the launcher runs it — a private NATS, the three services as packaged apps, two
 * camera-client processes with the test pattern — driven through a real browser: sign in, see both cameras live, record
 * one, drop the other and see it OFFLINE, bring it back, stop the recording, find it on the review page's
 * timeline, play it, and decode the file to the right frames. As the launcher runs it: NATS with the system's users,
 * each service signed in as its own (deploy/nats-users.conf), and the recorder's API open only to the service token,
 * which the dashboard's recordings proxy sends.
 */
class WholeSystemIT {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String PASSWORD = "e2e-" + Long.toHexString(System.nanoTime());
    private static final String CAMERA_SECRET = "e2e-camera-secret-" + Long.toHexString(System.nanoTime());
    private static final String SERVICE_TOKEN = "e2e-service-token-" + Long.toHexString(System.nanoTime());
    private static final List<ServiceProcess> services = new ArrayList<>();
    private static NatsTestServer nats;
    private static Path recordings;
    private static int cameraPort;
    private static int recorderPort;
    private static String dashboard;

    @BeforeAll
    static void startSystem() throws IOException {
        nats = NatsTestServer.startWithUsers();
        recordings = Files.createTempDirectory("cctv-recordings-");
        cameraPort = NatsTestServer.freePort();
        int ingestHttp = NatsTestServer.freePort();
        recorderPort = NatsTestServer.freePort();
        int dashboardPort = NatsTestServer.freePort();
        services.add(ServiceProcess.startQuarkus(Repo.ROOT, "ingest-service", ingestHttp,
                        env("ingest", Map.of("CCTV_INGEST_PORT", String.valueOf(cameraPort),
                                "CCTV_INGEST_CAMERA_SECRET", CAMERA_SECRET,
                                "CCTV_INGEST_TLS_ENABLED", "false")), Repo.LOGS) // plain TCP here; TLS: CameraClientTlsIT
                .awaitHealthy("http://127.0.0.1:" + ingestHttp + "/q/health/ready", Duration.ofSeconds(90)));
        services.add(ServiceProcess.startQuarkus(Repo.ROOT, "recorder-service", recorderPort,
                        env("recorder", Map.of("CCTV_RECORDER_ROOT", recordings.toString())), Repo.LOGS)
                .awaitHealthy("http://127.0.0.1:" + recorderPort + "/q/health/ready", Duration.ofSeconds(90)));
        services.add(ServiceProcess.startQuarkus(Repo.ROOT, "dashboard-service", dashboardPort,
                        env("dashboard", Map.of("CCTV_DASHBOARD_RECORDER_URL", "http://127.0.0.1:" + recorderPort,
                                "CCTV_DASHBOARD_AUTH_PASSWORD", PASSWORD)), Repo.LOGS)
                .awaitHealthy("http://127.0.0.1:" + dashboardPort + "/q/health/ready", Duration.ofSeconds(90)));
        dashboard = "http://127.0.0.1:" + dashboardPort;
    }

    /** A service's own environment, plus its NATS user and the service token. */
    private static Map<String, String> env(String natsUser, Map<String, String> own) {
        Map<String, String> env = new java.util.LinkedHashMap<>(nats.serviceEnvironment(natsUser));
        env.put("CCTV_HTTP_SERVICE_TOKEN", SERVICE_TOKEN);
        env.putAll(own);
        return env;
    }

    @AfterAll
    static void stopSystem() {
        for (int i = services.size() - 1; i >= 0; i--) {
            services.get(i).stop();
        }
        if (nats != null) {
            nats.close();
        }
    }

    /**
     * A test-pattern camera; {@code jpeg} for the one recorded and played back as MJPEG, else H.264 (the
     * camera-client's default), decoded in the browser.
     */
    private static ServiceProcess camera(String id, String name, boolean jpeg) {
        List<String> args = new ArrayList<>(List.of("--server", "127.0.0.1:" + cameraPort, "--id", id, "--name", name,
                "--source", "test", "--fps", "10", "--width", "640", "--height", "360"));
        if (jpeg) {
            args.addAll(List.of("--codec", "jpeg"));
        }
        return ServiceProcess.start("camera-" + id, Repo.ROOT.resolve("camera-client/target/camera-client.jar"),
                List.of("-Xmx128m"), args,
                Map.of("CCTV_TOKEN", CameraToken.derive(CAMERA_SECRET, id)), Repo.LOGS);
    }

    @Test
    void watchRecordDropReturnAndPlayBack() throws Exception {
        ServiceProcess door = camera("e2e-door", "Front door", true);
        ServiceProcess yard = camera("e2e-yard", "Yard", false);
        try (HeadlessChromium chromium = HeadlessChromium.startOrSkip()) {
            WebDriver driver = chromium.driver();
            driver.get(dashboard + "/");

            // a stranger sees only the sign-in page; the operator signs in
            await().atMost(Duration.ofSeconds(10)).until(() -> driver.getCurrentUrl().contains("/login.html"));
            assertThat(driver.findElements(By.cssSelector(".tile"))).isEmpty();
            driver.findElement(By.id("username")).sendKeys("admin");
            driver.findElement(By.id("password")).sendKeys(PASSWORD);
            driver.findElement(By.id("submit")).click();
            await().atMost(Duration.ofSeconds(10)).until(() -> !driver.getCurrentUrl().contains("/login.html"));

            // both cameras live: tiles ONLINE and their canvases show the moving test pattern
            for (String id : List.of("e2e-door", "e2e-yard")) {
                await().atMost(Duration.ofSeconds(30)).until(() -> "ONLINE".equals(badge(driver, id)));
                await().atMost(Duration.ofSeconds(15)).until(() -> drawnPixels(driver, id) > 100);
            }
            Files.createDirectories(Path.of("target", "screenshots"));
            Files.copy(((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE).toPath(), Path.of("target", "screenshots", "system-grid.png"),
                    StandardCopyOption.REPLACE_EXISTING);

            // press record on one camera
            tile(driver, "e2e-door").findElement(By.cssSelector(".record")).click();
            await().atMost(Duration.ofSeconds(10)).until(() -> tile(driver, "e2e-door").findElement(By.cssSelector(".rec-badge"))
                    .getText().startsWith("REC"));

            // stop the other camera (Ctrl-C: goodbye) and see it OFFLINE, then bring it back
            yard.stop();
            await().atMost(Duration.ofSeconds(2)).until(() -> "OFFLINE".equals(badge(driver, "e2e-yard")));
            yard = camera("e2e-yard", "Yard", false);
            await().atMost(Duration.ofSeconds(30)).until(() -> "ONLINE".equals(badge(driver, "e2e-yard")));

            // stop the recording
            await().pollDelay(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).until(() -> true);
            tile(driver, "e2e-door").findElement(By.cssSelector(".record")).click();
            await().atMost(Duration.ofSeconds(10)).until(() -> tile(driver, "e2e-door").findElement(By.cssSelector(".rec-badge"))
                    .getText().isEmpty());

            // the recording is on the review page's timeline and plays (JPEG: frame by frame on a canvas)
            driver.get(dashboard + "/recordings.html?camera=e2e-door");
            await().atMost(Duration.ofSeconds(20)).until(() -> !driver.findElements(
                    By.cssSelector(".track[data-camera='e2e-door'] .span")).isEmpty());
            JavascriptExecutor js = (JavascriptExecutor) driver;
            js.executeAsyncScript("""
                    const done = arguments[arguments.length - 1];
                    const line = window.review.state.lines.find((l) => l.cameraId === 'e2e-door');
                    window.review.playAt(Date.parse(line.segments[0].start) + 500, false).then(() => done());""");
            await().atMost(Duration.ofSeconds(15)).until(() -> ((Number) js.executeScript(
                    "const c = document.querySelector(\".player-box[data-camera='e2e-door'] canvas\"); return c ? c.width : 0;"))
                    .intValue() == 640);
        } finally {
            door.stop();
            yard.stop();
        }

        // the recorder's API answers only the service token; its health anyone, with nothing but the status
        String recorderApi = "http://127.0.0.1:" + recorderPort + "/api/recordings?camera=e2e-door";
        HttpResponse<String> stranger = HTTP.send(HttpRequest.newBuilder(URI.create(recorderApi)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(stranger.statusCode()).as(stranger.body()).isEqualTo(401);
        HttpResponse<String> health = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + recorderPort
                + "/q/health/ready")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).isEqualTo("{\"status\":\"UP\"}");

        // the file decodes to exactly the frames the index counts, consecutive test-pattern frames
        JsonNode list = Events.mapper().readTree(get(recorderApi));
        assertThat(list.size()).isGreaterThanOrEqualTo(1);
        JsonNode rec = list.get(list.size() - 1); // newest first: the oldest is the one recorded from the button
        Path file = recordings.resolve(rec.get("path").asText());
        assertThat(file).isRegularFile();
        assertThat(file.getFileName().toString()).matches("e2e-door_\\d{4}-\\d{2}-\\d{2}_\\d{2}-\\d{2}-\\d{2}(-\\d+)?\\.mkv");
        List<Long> counters = decodeCounters(file);
        assertThat(counters).hasSize(rec.get("frames").asInt());
        assertThat(counters.size()).as("about 10 fps for at least 3 s plus pre-roll").isGreaterThan(30);
        for (int i = 1; i < counters.size(); i++) {
            assertThat(counters.get(i)).as("frame %d follows frame %d", i, i - 1).isEqualTo(counters.get(i - 1) + 1);
        }
        assertThat(ffprobeFrames(file)).isEqualTo(counters.size());

        // every service did all of that with its own NATS user's permissions: the server refused nothing
        assertThat(nats.log()).as("NATS server log").doesNotContain("Violation");
    }

    private static WebElement tile(WebDriver driver, String id) {
        return driver.findElement(By.cssSelector(".tile[data-camera='" + id + "']"));
    }

    private static String badge(WebDriver driver, String id) {
        List<WebElement> tiles = driver.findElements(By.cssSelector(".tile[data-camera='" + id + "']"));
        return tiles.isEmpty() ? "" : tiles.get(0).findElement(By.cssSelector(".badge")).getText();
    }

    /** Pixels of the tile's canvas that are not black, out of a 20x20 sample grid. */
    private static long drawnPixels(WebDriver driver, String id) {
        Object n = ((JavascriptExecutor) driver).executeScript(
                "const c = document.querySelector(\".tile[data-camera='" + id + "'] canvas\");"
                        + "if (!c || !c.width) return 0; const g = c.getContext('2d'); let n = 0;"
                        + "for (let i = 0; i < 20; i++) for (let j = 0; j < 20; j++) {"
                        + "  const d = g.getImageData(Math.floor(c.width * (i + .5) / 20), Math.floor(c.height * (j + .5) / 20), 1, 1).data;"
                        + "  if (d[0] + d[1] + d[2] > 30) n++; }"
                        + "return n;");
        return ((Number) n).longValue();
    }

    private static byte[] get(String url) throws IOException, InterruptedException {
        HttpResponse<byte[]> r = HTTP.send(HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Bearer " + SERVICE_TOKEN).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.statusCode()).as("GET " + url + ": " + new String(r.body(), StandardCharsets.UTF_8)).isEqualTo(200);
        return r.body();
    }

    private static List<Long> decodeCounters(Path file) throws Exception {
        List<Long> counters = new ArrayList<>();
        try (FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(file.toFile());
             Java2DFrameConverter converter = new Java2DFrameConverter()) {
            grabber.start();
            Frame f;
            while ((f = grabber.grabImage()) != null) {
                OptionalLong n = TestPatternSource.readCounter(converter.convert(f));
                assertThat(n).as("counter of decoded frame %d", counters.size()).isPresent();
                counters.add(n.getAsLong());
            }
        }
        return counters;
    }

    private static int ffprobeFrames(Path file) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("ffprobe", "-v", "error", "-count_frames", "-select_streams", "v:0",
                "-show_entries", "stream=nb_read_frames", "-of", "csv=p=0", file.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertThat(p.waitFor()).as("ffprobe: " + out).isZero();
        return Integer.parseInt(out);
    }
}
