package io.github.cctv.system;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.cctv.camera.TestPatternSource;
import io.github.cctv.protocol.CameraToken;
import io.github.cctv.protocol.event.Events;
import io.github.cctv.testing.HeadlessChromium;
import io.github.cctv.testing.NatsTestServer;
import io.github.cctv.testing.ServiceProcess;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.Java2DFrameConverter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

import javax.imageio.ImageIO;
import java.io.ByteArrayInputStream;
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
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

/**
 * The review page in headless Chromium against recordings the recorder made of two H.264 test cameras (the
 * camera-client's test pattern, its frame counter burned in): seeking shows the frame the file holds at that moment
 * (its counter read from the page's own snapshot), speed changes the rate, playback runs on across segments, an
 * exported range starts and ends on the right frames, the sync view shows both cameras at the same moment, keep and
 * delete reach the files, and at 390 px wide the page fits and a drag on the timeline scrubs. Prints the review timings as it goes
 * (docs/benchmarks.md).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReviewPageIT {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String SECRET = "review-secret-" + Long.toHexString(System.nanoTime());
    private static final String DOOR = "rv-door";
    private static final String YARD = "rv-yard";
    private static final List<ServiceProcess> services = new ArrayList<>();
    private static NatsTestServer nats;
    private static Path recordings;
    private static String recorder;
    private static String dashboard;
    private static HeadlessChromium chromium;
    private static WebDriver driver;
    private static JavascriptExecutor js;
    /** Per camera: every recorded frame, its wall-clock time and counter, from decoding the files. */
    private static final Map<String, List<Shown>> FRAMES = new java.util.HashMap<>();
    private static final Map<String, List<JsonNode>> SEGMENTS = new java.util.HashMap<>();

    record Shown(long wallMs, long counter, boolean key, String segment) {
    }

    @BeforeAll
    static void recordTwoCameras() throws Exception {
        nats = NatsTestServer.start();
        recordings = Files.createTempDirectory("cctv-review-");
        int cameraPort = NatsTestServer.freePort();
        int ingestHttp = NatsTestServer.freePort();
        int recorderPort = NatsTestServer.freePort();
        int dashboardPort = NatsTestServer.freePort();
        services.add(ServiceProcess.startQuarkus(Repo.ROOT, "ingest-service", ingestHttp,
                        Map.of("CCTV_NATS_URL", nats.url(), "CCTV_INGEST_PORT", String.valueOf(cameraPort),
                                "CCTV_INGEST_CAMERA_SECRET", SECRET,
                                "CCTV_INGEST_TLS_ENABLED", "false"), Repo.LOGS) // plain TCP here; TLS: CameraClientTlsIT
                .awaitHealthy("http://127.0.0.1:" + ingestHttp + "/q/health/ready", Duration.ofSeconds(90)));
        services.add(startRecorder(recorderPort, Map.of()));
        services.add(ServiceProcess.startQuarkus(Repo.ROOT, "dashboard-service", dashboardPort,
                        Map.of("CCTV_NATS_URL", nats.url(), "CCTV_DASHBOARD_RECORDER_URL", "http://127.0.0.1:" + recorderPort,
                                "CCTV_DASHBOARD_AUTH_ENABLED", "false"), Repo.LOGS)
                .awaitHealthy("http://127.0.0.1:" + dashboardPort + "/q/health/ready", Duration.ofSeconds(90)));
        recorder = "http://127.0.0.1:" + recorderPort;
        dashboard = "http://127.0.0.1:" + dashboardPort;
        List<ServiceProcess> cameras = List.of(camera(cameraPort, DOOR, "Front door"), camera(cameraPort, YARD, "Yard"));
        try {
            // three finished segments of the door: two boundaries to play across
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1)).until(() ->
                    finished(DOOR) >= 3 && finished(YARD) >= 2);
        } finally {
            cameras.forEach(ServiceProcess::stop);
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> finished(DOOR) == json(recorder + "/api/recordings?camera=" + DOOR).size()
                && finished(YARD) == json(recorder + "/api/recordings?camera=" + YARD).size());
        for (String cam : List.of(DOOR, YARD)) {
            List<JsonNode> segs = new ArrayList<>();
            json(recorder + "/api/recordings?camera=" + cam).forEach(segs::add);
            segs.sort(java.util.Comparator.comparing(s -> s.get("start").asText()));
            SEGMENTS.put(cam, segs);
            List<Shown> frames = new ArrayList<>();
            for (JsonNode s : segs) {
                frames.addAll(decode(recordings.resolve(s.get("path").asText()), Instant.parse(s.get("start").asText()),
                        s.get("id").asText()));
            }
            FRAMES.put(cam, frames);
        }
        chromium = HeadlessChromium.startOrSkip();
        driver = chromium.driver();
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
        js = (JavascriptExecutor) driver;
        open("?camera=" + DOOR + "&day=" + localDay(FRAMES.get(DOOR).get(0).wallMs()));
    }

    @AfterAll
    static void stopAll() throws IOException {
        if (chromium != null) {
            chromium.close();
        }
        for (int i = services.size() - 1; i >= 0; i--) {
            services.get(i).stop();
        }
        if (nats != null) {
            nats.close();
        }
    }

    private static ServiceProcess startRecorder(int port, Map<String, String> more) {
        Map<String, String> env = new java.util.HashMap<>(Map.of("CCTV_NATS_URL", nats.url(),
                "CCTV_RECORDER_ROOT", recordings.toString(), "CCTV_RECORDER_SEGMENT_LENGTH", "8s",
                "CCTV_RECORDER_ALWAYS_RECORD", DOOR + "," + YARD, "CCTV_RECORDER_RETENTION_MIN_FREE_BYTES", "0"));
        env.putAll(more);
        return ServiceProcess.startQuarkus(Repo.ROOT, "recorder-service", port, env, Repo.LOGS)
                .awaitHealthy("http://127.0.0.1:" + port + "/q/health/ready", Duration.ofSeconds(90));
    }

    private static ServiceProcess camera(int port, String id, String name) {
        return ServiceProcess.start("camera-" + id, Repo.ROOT.resolve("camera-client/target/camera-client.jar"),
                List.of("-Xmx128m"), List.of("--server", "127.0.0.1:" + port, "--id", id, "--name", name,
                        "--source", "test", "--codec", "h264", "--fps", "10", "--size", "640x360",
                        "--keyframe-interval", "1"),
                Map.of("CCTV_TOKEN", CameraToken.derive(SECRET, id)), Repo.LOGS);
    }

    private static long finished(String cam) throws Exception {
        long n = 0;
        for (JsonNode r : json(recorder + "/api/recordings?camera=" + cam)) {
            if (!r.get("open").asBoolean()) {
                n++;
            }
        }
        return n;
    }

    private static JsonNode json(String url) throws IOException, InterruptedException {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("GET " + url + ": " + r.body()).isEqualTo(200);
        return Events.mapper().readTree(r.body());
    }

    private static List<Shown> decode(Path file, Instant start, String id) throws Exception {
        List<Shown> out = new ArrayList<>();
        try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(file.toFile()); Java2DFrameConverter c = new Java2DFrameConverter()) {
            g.start();
            Frame f;
            while ((f = g.grabImage()) != null) {
                OptionalLong n = TestPatternSource.readCounter(c.convert(f));
                assertThat(n).as("counter of a frame of %s", file).isPresent();
                out.add(new Shown(start.toEpochMilli() + f.timestamp / 1000, n.getAsLong(), f.keyFrame, id));
            }
        }
        return out;
    }

    private static String localDay(long ms) {
        return (String) js.executeScript("return new Date(arguments[0]).toLocaleDateString('en-CA');", ms);
    }

    private static void open(String query) {
        driver.get(dashboard + "/recordings.html" + query);
        await().atMost(Duration.ofSeconds(20)).until(() -> !driver.findElements(By.cssSelector(".track[data-camera='" + DOOR + "'] .span")).isEmpty());
    }

    /** The frame a camera shows at {@code ms}: the last one at or before it. */
    private static Shown frameAt(String cam, long ms) {
        Shown shown = FRAMES.get(cam).get(0);
        for (Shown s : FRAMES.get(cam)) {
            if (s.wallMs() <= ms) {
                shown = s;
            }
        }
        return shown;
    }

    /** Plays (paused) at {@code ms} through the page; returns the milliseconds until the picture was there. */
    private static double playAt(long ms, boolean play) {
        return ((Number) js.executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                const t0 = performance.now();
                window.review.playAt(arguments[0], arguments[1]).then(() => done(performance.now() - t0));
                """, ms, play)).doubleValue();
    }

    /** The counter of the picture player {@code i} shows now, read from its frame as a JPEG snapshot. */
    private static long counterOnScreen(int i) throws IOException, InterruptedException {
        long last = -1;
        for (int same = 0, tries = 0; same < 3 && tries < 40; tries++) {
            long c = counterNow(i);
            same = c == last ? same + 1 : 0;
            last = c;
            Thread.sleep(50);
        }
        return last;
    }

    private static long counterNow(int i) throws IOException {
        String data = (String) js.executeScript("""
                const c = window.review.players()[arguments[0]].frameCanvas();
                return c.toDataURL('image/jpeg', 0.95);""", i);
        byte[] jpeg = Base64.getDecoder().decode(data.substring(data.indexOf(',') + 1));
        return TestPatternSource.readCounter(ImageIO.read(new ByteArrayInputStream(jpeg))).orElseThrow();
    }

    private static double millisToAnswer(String url) throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        json(url);
        return (System.nanoTime() - t0) / 1e6;
    }

    private static double median(List<Double> xs) {
        List<Double> sorted = xs.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }

    /** Where the time of player {@code i}'s latest seek went (kind, locate, load, seek, present, total), as JSON. */
    private static Object lastSeek(int i) {
        return js.executeScript("return JSON.stringify(window.review.players()[arguments[0]].seeks.at(-1));", i);
    }

    private static double wallOnScreen(int i) {
        return ((Number) js.executeScript("return window.review.players()[arguments[0]].wallTime();", i)).doubleValue();
    }

    @Test
    @Order(0)
    void thePageOpensShowingTheNewestRecordedPicture() throws Exception {
        // opened above on the day of the recordings, no moment asked for: the door's newest frame, paused
        await().atMost(Duration.ofSeconds(20)).until(() -> (Boolean) js.executeScript(
                "const p = window.review.players()[0]; return !!p && !!p.current && p.element().readyState >= 2;"));
        List<Shown> door = FRAMES.get(DOOR);
        assertThat(counterOnScreen(0)).as("the newest recorded frame of the door").isEqualTo(door.get(door.size() - 1).counter());
        assertThat(js.executeScript("return window.review.players()[0].playing;")).isEqualTo(false);
        assertThat(js.executeScript("return window.review.players()[0].current.id;"))
                .isEqualTo(SEGMENTS.get(DOOR).get(SEGMENTS.get(DOOR).size() - 1).get("id").asText());
        System.out.printf("REVIEW newest picture after opening the page ms: %s (seek parts ms: %s; API requests [start, end]: %s)%n",
                js.executeScript("return Math.round(performance.getEntriesByName('review:newest-picture')[0].startTime);"),
                lastSeek(0), js.executeScript("""
                        return performance.getEntriesByType('resource').filter((e) => e.name.includes('/api/'))
                            .map((e) => `${new URL(e.name).pathname} [${Math.round(e.startTime)}, ${Math.round(e.responseEnd)}]`).join(', ');"""));
    }

    @Test
    @Order(1)
    void seekingShowsTheFrameTheFileHoldsAtThatMomentInEverySegment() throws Exception {
        List<Shown> frames = FRAMES.get(DOOR);
        List<Double> timings = new ArrayList<>();
        // moments in the first, second and third segment, between two frames (10 fps: 100 ms apart)
        for (int k : new int[]{5, 37, frames.size() / 2, frames.size() - 20, 90, 3}) {
            Shown target = frames.get(Math.min(k, frames.size() - 2));
            long at = target.wallMs() + 40;
            timings.add(playAt(at, false));
            System.out.printf("REVIEW seek parts ms: %s%n", lastSeek(0));
            assertThat(counterOnScreen(0)).as("picture at %s (segment %s)", Instant.ofEpochMilli(at), target.segment())
                    .isEqualTo(frameAt(DOOR, at).counter());
            assertThat(wallOnScreen(0)).isBetween((double) target.wallMs() - 1, (double) at + 1);
        }
        System.out.printf("REVIEW seek-to-picture ms: %s%n", timings);
        // what the dashboard's proxy adds to the recorder's answer of where a moment is (kept-alive connections)
        String at = "/api/timeline/at?camera=" + DOOR + "&t=" + Instant.ofEpochMilli(frames.get(frames.size() / 2).wallMs());
        List<Double> direct = new ArrayList<>();
        List<Double> proxied = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            direct.add(millisToAnswer(recorder + at));
            proxied.add(millisToAnswer(dashboard + at));
        }
        System.out.printf("REVIEW timeline/at ms, median of 20: recorder %.1f, through the dashboard %.1f%n",
                median(direct), median(proxied));
        // the clock shows the frame's time in the browser's zone, with the zone
        String clock = driver.findElement(By.id("clock")).getText();
        assertThat(clock).matches("\\d{2}:\\d{2}:\\d{2}\\.\\d{3} .+");
        assertThat(driver.findElement(By.id("zone")).getText()).startsWith("Times in ");
    }

    @Test
    @Order(1)
    void theFrameStepKeysShowTheNextAndThePreviousFrame() throws Exception {
        List<Shown> frames = FRAMES.get(DOOR);
        // within the second segment, away from its ends
        int k = frames.indexOf(frames.stream().filter(f -> f.segment().equals(SEGMENTS.get(DOOR).get(1).get("id").asText()))
                .toList().get(20));
        playAt(frames.get(k).wallMs() + 40, false);
        assertThat(counterOnScreen(0)).as("the frame sought").isEqualTo(frames.get(k).counter());
        WebElement body = driver.findElement(By.tagName("body"));
        body.sendKeys(".");
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(counterOnScreen(0)).as("one frame forward ('.')").isEqualTo(frames.get(k + 1).counter()));
        body.sendKeys(",");
        body.sendKeys(",");
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(counterOnScreen(0)).as("two frames back (',' twice)").isEqualTo(frames.get(k - 1).counter()));
        assertThat(js.executeScript("return window.review.players()[0].playing;")).as("a step pauses").isEqualTo(false);
    }

    @Test
    @Order(2)
    void aClickOnTheTimelinePlaysFromThatMoment() {
        // zoom to the recorded minutes, then click in the middle of the span
        long mid = (FRAMES.get(DOOR).get(0).wallMs() + FRAMES.get(DOOR).get(FRAMES.get(DOOR).size() - 1).wallMs()) / 2;
        js.executeScript("window.review.timeline.zoom(120000 / window.review.timeline.span(), arguments[0]);", mid);
        js.executeScript("""
                window.firstPicture = null;
                window.clickAt = null;
                document.querySelector(".track[data-camera='rv-door']").addEventListener('pointerup', () => {
                  window.clickAt = performance.now();
                  const wait = () => { const p = window.review.players()[0];
                    if (p.playing && p.current && !p.element().hidden && (p.element().readyState ?? 4) >= 2) {
                      window.firstPicture = performance.now() - window.clickAt; } else { requestAnimationFrame(wait); } };
                  requestAnimationFrame(wait);
                }, {once: true});""");
        WebElement track = driver.findElement(By.cssSelector(".track[data-camera='" + DOOR + "']"));
        WebElement span = track.findElement(By.cssSelector(".span"));
        // the span is drawn where the recording is: its edges against the track match the view's arithmetic,
        // and the ticks run left to right (positions are set in spite of the page's style-src 'self')
        @SuppressWarnings("unchecked")
        List<Number> placed = (List<Number>) js.executeScript("""
                const tl = window.review.timeline, cam = arguments[0];
                const track = document.querySelector(`.track[data-camera='${cam}']`).getBoundingClientRect();
                const box = track.width, el = document.querySelector(`.track[data-camera='${cam}'] .span`).getBoundingClientRect();
                const s = tl.lines.find((l) => l.cameraId === cam).spans
                    .find((x) => Date.parse(x.end) > tl.view[0] && Date.parse(x.start) < tl.view[1]);
                const f = (ms) => Math.max(0, Math.min(1, (ms - tl.view[0]) / tl.span()));
                const ticks = [...document.querySelectorAll('.ticks .tick')].map((t) => t.getBoundingClientRect().left);
                const rising = ticks.length > 1 && ticks.every((x, i) => i === 0 || x > ticks[i - 1]) ? 1 : 0;
                return [(el.left - track.left) / box, f(Date.parse(s.start)), (el.right - track.left) / box, f(Date.parse(s.end)), rising];""", DOOR);
        assertThat(placed.get(0).doubleValue()).as("span's left edge").isCloseTo(placed.get(1).doubleValue(), within(0.01));
        assertThat(placed.get(2).doubleValue()).as("span's right edge").isCloseTo(placed.get(3).doubleValue(), within(0.01));
        assertThat(placed.get(4).intValue()).as("ticks left to right").isEqualTo(1);
        new org.openqa.selenium.interactions.Actions(driver).moveToElement(span).click().perform();
        await().atMost(Duration.ofSeconds(10)).until(() -> js.executeScript("return window.firstPicture;") != null);
        System.out.printf("REVIEW first-picture-after-click ms: %s%n", js.executeScript("return window.firstPicture;"));
        double t = wallOnScreen(0);
        assertThat(t).isBetween((double) FRAMES.get(DOOR).get(0).wallMs(), (double) FRAMES.get(DOOR).get(FRAMES.get(DOOR).size() - 1).wallMs());
        await().atMost(Duration.ofSeconds(10)).until(() -> wallOnScreen(0) > t + 500);
    }

    /** Wall-clock seconds the picture advances per real second at {@code speed}. */
    private static double rate(double speed, long from) throws InterruptedException {
        js.executeScript("const s = document.getElementById('speed'); s.value = String(arguments[0]); s.dispatchEvent(new Event('change'));", speed);
        playAt(from, true);
        Thread.sleep(300); // playback under way
        double w0 = wallOnScreen(0);
        long t0 = System.nanoTime();
        Thread.sleep(2000);
        double w1 = wallOnScreen(0);
        return (w1 - w0) / ((System.nanoTime() - t0) / 1e6);
    }

    @Test
    @Order(3)
    void speedChangesTheRateAndPlaybackRunsOnAcrossSegments() throws Exception {
        long first = FRAMES.get(DOOR).get(0).wallMs();
        double normal = rate(1, first + 500);
        double fast = rate(4, first + 500);
        double slow = rate(0.25, first + 500);
        System.out.printf("REVIEW rates: 1x %.2f, 4x %.2f, 0.25x %.2f%n", normal, fast, slow);
        assertThat(normal).isBetween(0.6, 1.4);
        assertThat(fast).isGreaterThan(normal * 1.5); // a loaded machine may not keep up with 4x, but it is faster
        assertThat(slow).isLessThan(normal * 0.5);

        // at 1x from a second before the end of the first segment: the second one follows by itself
        js.executeScript("const s = document.getElementById('speed'); s.value = '1'; s.dispatchEvent(new Event('change'));");
        JsonNode second = SEGMENTS.get(DOOR).get(1);
        long boundary = Instant.parse(second.get("start").asText()).toEpochMilli();
        playAt(boundary - 1000, true);
        await().atMost(Duration.ofSeconds(15)).until(() -> wallOnScreen(0) > boundary + 1000);
        js.executeScript("window.review.players()[0].pause();");
        Thread.sleep(300);
        long counter = counterOnScreen(0);
        assertThat(FRAMES.get(DOOR).stream().filter(f -> f.segment().equals(second.get("id").asText())).map(Shown::counter))
                .contains(counter);
    }

    @Test
    @Order(4)
    void anExportedRangeStartsOnTheKeyframeBeforeItAndEndsOnTheLastFrameBeforeItsEnd() throws Exception {
        List<Shown> frames = FRAMES.get(DOOR);
        long from = frames.get(15).wallMs() + 50;            // in the first segment, between keyframes
        long to = frames.get(frames.size() - 30).wallMs() + 50; // in the last segment
        js.executeScript("window.review.select(arguments[0], arguments[1]);", from, to);
        long t0 = System.nanoTime();
        driver.findElement(By.id("export")).click();
        await().atMost(Duration.ofSeconds(30)).until(() -> !driver.findElements(By.cssSelector(".export-file")).isEmpty());
        System.out.printf("REVIEW export of %.1f s through the page: %d ms%n", (to - from) / 1000.0, (System.nanoTime() - t0) / 1_000_000);
        WebElement link = driver.findElement(By.cssSelector(".export-file"));
        assertThat(link.getAttribute("download")).matches(DOOR + "_\\d{4}-\\d{2}-\\d{2}_\\d{2}-\\d{2}-\\d{2}_\\d{4}-\\d{2}-\\d{2}_\\d{2}-\\d{2}-\\d{2}\\.mp4");
        Path mp4 = Files.createTempFile("review-export-", ".mp4");
        HTTP.send(HttpRequest.newBuilder(URI.create(link.getAttribute("href"))).build(), HttpResponse.BodyHandlers.ofFile(mp4));
        List<Shown> exported = decode(mp4, Instant.EPOCH, "export");
        Shown firstExpected = null;
        for (Shown f : frames) {
            if (f.key() && f.wallMs() <= from) {
                firstExpected = f;
            }
        }
        Shown lastExpected = frames.stream().filter(f -> f.wallMs() < to).reduce((a, b) -> b).orElseThrow();
        assertThat(exported.get(0).counter()).as("first frame: the keyframe at or before the start").isEqualTo(firstExpected.counter());
        assertThat(exported.get(exported.size() - 1).counter()).as("last frame: the last before the end").isEqualTo(lastExpected.counter());
        assertThat(ffprobeFrames(mp4)).isEqualTo(exported.size());
        js.executeScript("document.getElementById('clear-selection').click();");
    }

    @Test
    @Order(5)
    void theSyncViewShowsEveryCameraAtTheSameMoment() throws Exception {
        driver.findElement(By.id("sync")).click();
        await().atMost(Duration.ofSeconds(5)).until(() -> driver.findElements(By.cssSelector(".player-box")).size() == 2);
        List<Shown> yard = FRAMES.get(YARD);
        long at = yard.get(yard.size() / 2).wallMs() + 30;
        playAt(at, false);
        long door = counterOnScreen(0);
        long yardCounter = counterOnScreen(1);
        long doorWall = FRAMES.get(DOOR).stream().filter(f -> f.counter() == door).findFirst().orElseThrow().wallMs();
        long yardWall = yard.stream().filter(f -> f.counter() == yardCounter).findFirst().orElseThrow().wallMs();
        assertThat(Math.abs(doorWall - yardWall)).as("door at %s, yard at %s", Instant.ofEpochMilli(doorWall), Instant.ofEpochMilli(yardWall))
                .isLessThanOrEqualTo(150);
        // playing, the second follows the first
        js.executeScript("document.getElementById('play').click();");
        Thread.sleep(2500);
        js.executeScript("document.getElementById('play').click();");
        Thread.sleep(500);
        assertThat(Math.abs(wallOnScreen(0) - wallOnScreen(1))).isLessThan(400);
        Files.createDirectories(Path.of("target", "screenshots"));
        Files.copy(((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE).toPath(), Path.of("target", "screenshots", "review-sync.png"),
                StandardCopyOption.REPLACE_EXISTING);
        driver.findElement(By.id("sync")).click();
    }

    @Test
    @Order(6)
    void keepMarksTheRecording() throws Exception {
        JsonNode first = SEGMENTS.get(DOOR).get(0);
        playAt(Instant.parse(first.get("start").asText()).toEpochMilli() + 1000, false);
        Files.createDirectories(Path.of("target", "screenshots"));
        Files.copy(((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE).toPath(), Path.of("target", "screenshots", "review.png"),
                StandardCopyOption.REPLACE_EXISTING);
        driver.findElement(By.id("keep")).click();
        await().atMost(Duration.ofSeconds(5)).until(() -> json(recorder + "/api/recordings/" + first.get("id").asText()).get("kept").asBoolean());
        assertThat(Files.readString(recordings.resolve(first.get("path").asText().replace(".mp4", ".json")))).contains("\"kept\":true");
        await().atMost(Duration.ofSeconds(5)).until(() -> driver.findElement(By.id("keep")).getText().contains("Kept"));
        assertThat(driver.findElement(By.id("storage")).getText()).contains("free").contains("Retention");
    }

    @Test
    @Order(7)
    void deleteRemovesTheFileAndIndexEntry() throws Exception {
        JsonNode last = SEGMENTS.get(DOOR).get(SEGMENTS.get(DOOR).size() - 1);
        // the middle of the newest segment: it ended when the camera stopped, so it may be shorter than a second
        long start = Instant.parse(last.get("start").asText()).toEpochMilli();
        long end = Instant.parse(last.get("end").asText()).toEpochMilli();
        // the player may settle on the segment a moment after the seek
        playAt(start + (end - start) / 2, false);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(
                js.executeScript("return window.review.players()[0].current.id;"))
                .as("the player's note: %s", js.executeScript("return window.review.players()[0].message;"))
                .isEqualTo(last.get("id").asText()));
        driver.findElement(By.id("delete")).click();
        assertThat(driver.switchTo().alert().getText()).contains("Front door");
        driver.switchTo().alert().accept();
        Path file = recordings.resolve(last.get("path").asText());
        await().atMost(Duration.ofSeconds(10)).alias("deleted; page says: " + driver.findElement(By.id("message")).getText())
                .until(() -> !Files.exists(file));
        assertThat(recordings.resolve(last.get("path").asText().replace(".mp4", ".json"))).doesNotExist();
        HttpResponse<String> gone = HTTP.send(HttpRequest.newBuilder(URI.create(recorder + "/api/recordings/" + last.get("id").asText())).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(gone.statusCode()).isEqualTo(404);
        // the events list says it in words, with the camera's name
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            js.executeScript("window.review.loadDay(document.getElementById('day').value);");
            return driver.findElement(By.id("event-list")).getText().contains("A recording of Front door was deleted (by an operator)");
        });
    }

    @Test
    @Order(8)
    void onAPhoneThePageFitsAndADragScrubs() throws Exception {
        driver.manage().window().setSize(new Dimension(390, 844));
        open("?camera=" + DOOR + "&day=" + localDay(FRAMES.get(DOOR).get(0).wallMs()));
        long overflow = ((Number) js.executeScript("return document.documentElement.scrollWidth - window.innerWidth;")).longValue();
        assertThat(overflow).as("nothing wider than the screen").isLessThanOrEqualTo(0);
        // a drag across the camera's row (pointer events: mouse, pen and touch alike) plays from where it ends
        long mid = (FRAMES.get(DOOR).get(0).wallMs() + FRAMES.get(DOOR).get(FRAMES.get(DOOR).size() - 1).wallMs()) / 2;
        driver.findElement(By.id("zoom-in")).click();
        js.executeScript("window.review.timeline.zoom(60000 / window.review.timeline.span(), arguments[0]);", mid);
        WebElement track = driver.findElement(By.cssSelector(".track[data-camera='" + DOOR + "']"));
        assertThat(track.getSize().getHeight()).as("a row big enough for a finger").isGreaterThanOrEqualTo(30);
        int w = track.getSize().getWidth();
        new org.openqa.selenium.interactions.Actions(driver).moveToElement(track, -w / 2 + 5, 0)
                .clickAndHold().moveByOffset(w / 4, 0).moveByOffset(w / 4 - 5, 0).release().perform();
        double x1 = ((Number) js.executeScript("const r = arguments[0].getBoundingClientRect(); return r.left + r.width / 2;",
                driver.findElement(By.cssSelector(".track[data-camera='" + DOOR + "']")))).doubleValue();
        long end = ((Number) js.executeScript("return Math.round(window.review.timeline.timeAt(arguments[0]));", x1)).longValue();
        // the page showed the newest picture before: wait for the seek the release asked for
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(Math.abs(wallOnScreen(0) - end)).as("played from where the drag ended").isLessThan(1500));

        // the same with a finger: touch events as a phone's screen sends them, from 2 s after the middle to 6 s
        // before it (on recorded time)
        ChromeDriver chrome = (ChromeDriver) driver;
        chrome.executeCdpCommand("Emulation.setTouchEmulationEnabled", Map.of("enabled", true, "maxTouchPoints", 2));
        js.executeScript("window.pointerTypes = []; arguments[0].addEventListener('pointerdown', (e) => window.pointerTypes.push(e.pointerType));",
                driver.findElement(By.cssSelector(".track[data-camera='" + DOOR + "']")));
        @SuppressWarnings("unchecked")
        List<Number> box = (List<Number>) js.executeScript("""
                const r = arguments[0].getBoundingClientRect(), tl = window.review.timeline;
                const at = (ms) => r.left + r.width * tl.x(ms) / 100;
                return [at(arguments[1] + 2000), at(arguments[1] - 6000), r.top + r.height / 2];""",
                driver.findElement(By.cssSelector(".track[data-camera='" + DOOR + "']")), mid);
        double from = box.get(0).doubleValue();
        double to = box.get(1).doubleValue();
        double y = box.get(2).doubleValue();
        long touchEnd = ((Number) js.executeScript("return Math.round(window.review.timeline.timeAt(arguments[0]));", to)).longValue();
        assertThat(Math.abs(touchEnd - wallOnScreen(0))).as("the finger ends away from where the mouse did").isGreaterThan(3000);
        chrome.executeCdpCommand("Input.dispatchTouchEvent", Map.of("type", "touchStart", "touchPoints", List.of(Map.of("x", from, "y", y))));
        for (int i = 1; i <= 8; i++) {
            chrome.executeCdpCommand("Input.dispatchTouchEvent", Map.of("type", "touchMove",
                    "touchPoints", List.of(Map.of("x", from + (to - from) * i / 8, "y", y))));
        }
        chrome.executeCdpCommand("Input.dispatchTouchEvent", Map.of("type", "touchEnd", "touchPoints", List.of()));
        assertThat(js.executeScript("return window.pointerTypes;")).as("the row saw a finger").isEqualTo(List.of("touch"));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(Math.abs(wallOnScreen(0) - touchEnd)).as("played from where the finger let go").isLessThan(1500));
        // two fingers moving together pinch the timeline out (4x the span here, around the moment between them);
        // nothing is played from there
        js.executeScript("window.review.players()[0].pause();");
        double wallBefore = wallOnScreen(0);
        double spanBefore = ((Number) js.executeScript("return window.review.timeline.span();")).doubleValue();
        double centre = (from + to) / 2;
        long centreTime = ((Number) js.executeScript("return Math.round(window.review.timeline.timeAt(arguments[0]));", centre)).longValue();
        chrome.executeCdpCommand("Input.dispatchTouchEvent", Map.of("type", "touchStart", "touchPoints",
                List.of(Map.of("x", centre - 80, "y", y, "id", 0), Map.of("x", centre + 80, "y", y, "id", 1))));
        for (int i = 1; i <= 6; i++) {
            double half = 80 - 60.0 * i / 6;
            chrome.executeCdpCommand("Input.dispatchTouchEvent", Map.of("type", "touchMove", "touchPoints",
                    List.of(Map.of("x", centre - half, "y", y, "id", 0), Map.of("x", centre + half, "y", y, "id", 1))));
        }
        chrome.executeCdpCommand("Input.dispatchTouchEvent", Map.of("type", "touchEnd", "touchPoints", List.of()));
        double spanAfter = ((Number) js.executeScript("return window.review.timeline.span();")).doubleValue();
        assertThat(spanAfter / spanBefore).as("pinched out to 4x the span").isCloseTo(4.0, within(0.4));
        long centreAfter = ((Number) js.executeScript("return Math.round(window.review.timeline.timeAt(arguments[0]));", centre)).longValue();
        assertThat(Math.abs(centreAfter - centreTime)).as("the moment between the fingers stays under them")
                .isLessThan((long) (spanAfter * 0.05));
        Thread.sleep(300);
        assertThat(wallOnScreen(0)).as("a pinch plays nothing").isEqualTo(wallBefore);
        chrome.executeCdpCommand("Emulation.setTouchEmulationEnabled", Map.of("enabled", false));
        // the timeline, the zoom buttons and the player's controls are on the screen, none wider than it
        for (String id : new String[]{"timeline", "zoom-in", "zoom-out", "play", "step-fwd", "speed", "snapshot"}) {
            var r = driver.findElement(By.id(id)).getRect();
            assertThat(r.getX() + r.getWidth()).as(id).isLessThanOrEqualTo(390);
            assertThat(r.getWidth()).as(id).isPositive();
        }
        Files.copy(((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE).toPath(), Path.of("target", "screenshots", "review-phone.png"),
                StandardCopyOption.REPLACE_EXISTING);
        driver.manage().window().setSize(new Dimension(1280, 800));
    }

    @Test
    @Order(9)
    void aKeptRecordingSurvivesRetention() throws Exception {
        JsonNode kept = SEGMENTS.get(DOOR).get(0); // kept through the page above
        assertThat(json(recorder + "/api/recordings/" + kept.get("id").asText()).get("kept").asBoolean()).isTrue();
        // recording stopped (a recorder restarted while it records a camera resumes after the newest frame on its
        // disk, and would record again frames of deleted segments that the stream still holds), then the recorder
        // again, now keeping nothing older than a second: retention takes every other recording
        try (io.nats.client.Connection nc = io.nats.client.Nats.connect(nats.url())) {
            for (String cam : List.of(DOOR, YARD)) {
                io.nats.client.Message reply = nc.request(io.github.cctv.protocol.Subjects.recordingControl(cam),
                        Events.write(new io.github.cctv.protocol.event.RecordingCommand(
                                io.github.cctv.protocol.event.RecordingCommand.STOP, "review test")), Duration.ofSeconds(10));
                assertThat(reply).as("the recorder answered the stop of " + cam).isNotNull();
            }
        }
        int port = URI.create(recorder).getPort();
        services.get(1).stop();
        services.set(1, startRecorder(port, Map.of("CCTV_RECORDER_ALWAYS_RECORD", "rv-none",
                "CCTV_RECORDER_RETENTION_MAX_AGE", "1s", "CCTV_RECORDER_RETENTION_INTERVAL", "1s")));
        List<Path> others = new ArrayList<>();
        for (String cam : List.of(DOOR, YARD)) {
            for (JsonNode s : SEGMENTS.get(cam)) {
                if (!s.get("id").asText().equals(kept.get("id").asText())) {
                    others.add(recordings.resolve(s.get("path").asText()));
                }
            }
        }
        await().atMost(Duration.ofSeconds(60)).alias("retention deleted the recordings not kept")
                .until(() -> others.stream().noneMatch(Files::exists));
        // and they stay deleted
        Thread.sleep(3000);
        assertThat(others).noneMatch(Files::exists);
        assertThat(recordings.resolve(kept.get("path").asText())).exists();
        JsonNode left = json(recorder + "/api/recordings?camera=" + DOOR);
        assertThat(left).hasSize(1);
        assertThat(left.get(0).get("id").asText()).isEqualTo(kept.get("id").asText());

        // and the page still finds and plays it, frame for frame
        open("?camera=" + DOOR + "&day=" + localDay(FRAMES.get(DOOR).get(0).wallMs()));
        long at = Instant.parse(kept.get("start").asText()).toEpochMilli() + 2000;
        playAt(at, false);
        assertThat(js.executeScript("return window.review.players()[0].current.id;")).isEqualTo(kept.get("id").asText());
        assertThat(counterOnScreen(0)).isEqualTo(frameAt(DOOR, at).counter());
    }

    private static int ffprobeFrames(Path file) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("ffprobe", "-v", "error", "-count_frames", "-select_streams", "v:0",
                "-show_entries", "stream=nb_read_frames", "-of", "csv=p=0", file.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertThat(p.waitFor()).as("ffprobe: " + out).isZero();
        return Integer.parseInt(out);
    }
}
