package io.github.cctv.system;

import io.github.cctv.protocol.Subjects;
import io.github.cctv.protocol.event.CameraStatus;
import io.github.cctv.protocol.event.DisconnectReason;
import io.github.cctv.protocol.event.Events;
import io.github.cctv.testing.HeadlessChromium;
import io.github.cctv.testing.NatsTestServer;
import io.github.cctv.testing.ServiceProcess;
import io.nats.client.Connection;
import io.nats.client.KeyValue;
import io.nats.client.Nats;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;

/**
 * The live page's browser-side figures, through the real ingest and dashboard processes, a real NATS and one
 * camera-client simulating the cameras (test pattern, H.264 pre-encoded by camera-client itself), in headless
 * Chromium with a 1920x1080 window (a wall monitor):
 * <ol>
 *     <li>a grid of 16 cameras at 1280x720 30 fps, side by side with and without a 640x360 10 fps substream: bytes
 *     per second the page receives over its WebSocket (every message counted as it arrives) and pictures each tile
 *     paints per second, for the tiles in the window (the page watches only those);</li>
 *     <li>200 cameras in the registry, 16 of them online: time from the start of navigation to the first picture of
 *     every online tile in view;</li>
 *     <li>{@link #anUnattendedWallKeepsItsSize}: a wall of 16 left running, the page's memory sampled.</li>
 * </ol>
 * Not part of {@code verify}; run it on purpose (it prints, it asserts nothing):
 * {@code ./mvnw -B -pl system-tests -am verify -Dtest=LiveGridBench -Dsurefire.failIfNoSpecifiedTests=false -DskipITs}.
 * Settings: {@code -Dbench.seconds=20}.
 */
class LiveGridBench {

    private static final int CAMERAS = 16;
    private static final String COUNT_MESSAGES = """
            (() => {
              const Native = window.WebSocket;
              window.wsBytes = 0;
              window.wsMessages = 0;
              window.WebSocket = function (...args) {
                const ws = new Native(...args);
                ws.addEventListener('message', (e) => {
                  window.wsMessages++;
                  window.wsBytes += typeof e.data === 'string' ? e.data.length : (e.data.byteLength ?? e.data.size);
                });
                return ws;
              };
              window.WebSocket.prototype = Native.prototype;
              Object.assign(window.WebSocket, { CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3 });
            })();""";

    private final List<ServiceProcess> services = new ArrayList<>();
    private NatsTestServer nats;
    private int cameraPort;
    private String dashboard;
    private HeadlessChromium chromium;
    private WebDriver driver;
    private JavascriptExecutor js;

    @BeforeEach
    void startSystem() throws Exception {
        nats = NatsTestServer.start();
        cameraPort = NatsTestServer.freePort();
        int ingestHttp = NatsTestServer.freePort();
        int dashboardPort = NatsTestServer.freePort();
        services.add(ServiceProcess.startQuarkus(Repo.ROOT, "ingest-service", ingestHttp,
                        Map.of("CCTV_NATS_URL", nats.url(), "CCTV_INGEST_PORT", String.valueOf(cameraPort),
                                "CCTV_INGEST_ALLOW_UNAUTHENTICATED", "true", "CCTV_INGEST_TLS_ENABLED", "false"), Repo.LOGS)
                .awaitHealthy("http://127.0.0.1:" + ingestHttp + "/q/health/ready", Duration.ofSeconds(90)));
        services.add(ServiceProcess.startQuarkus(Repo.ROOT, "dashboard-service", dashboardPort,
                        Map.of("CCTV_NATS_URL", nats.url(), "CCTV_DASHBOARD_RECORDER_URL", "http://127.0.0.1:9",
                                "CCTV_DASHBOARD_AUTH_ENABLED", "false"), Repo.LOGS)
                .awaitHealthy("http://127.0.0.1:" + dashboardPort + "/q/health/ready", Duration.ofSeconds(90)));
        dashboard = "http://localhost:" + dashboardPort; // localhost: a secure context, so WebCodecs decodes H.264
        chromium = HeadlessChromium.startOrSkip();
        driver = chromium.driver();
        driver.manage().window().setSize(new Dimension(1920, 1080)); // a wall monitor
        js = (JavascriptExecutor) driver;
        ((ChromeDriver) driver).executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", COUNT_MESSAGES));
    }

    @AfterEach
    void stopSystem() throws Exception {
        if (chromium != null) {
            chromium.close();
        }
        for (int i = services.size() - 1; i >= 0; i--) {
            services.get(i).stop();
        }
        services.clear();
        if (nats != null) {
            nats.close();
        }
    }

    private ServiceProcess cameras(String prefix, boolean substream) {
        List<String> args = new ArrayList<>(List.of("--server", "127.0.0.1:" + cameraPort, "--id", prefix,
                "--simulate", String.valueOf(CAMERAS), "--codec", "h264", "--size", "1280x720", "--fps", "30"));
        if (substream) {
            args.addAll(List.of("--substream-size", "640x360", "--substream-fps", "10"));
        }
        return ServiceProcess.start("cameras-" + prefix, Repo.ROOT.resolve("camera-client/target/camera-client.jar"),
                List.of("-Xmx512m"), args, Map.of(), Repo.LOGS);
    }

    /** The page's tiles of {@code prefix}'s cameras that are in the window (the page watches only those). */
    private static final String IN_VIEW = """
            const inView = (c) => { if (!c.el) return false; const b = c.el.getBoundingClientRect();
                                    return b.bottom > 0 && b.top < innerHeight && b.right > 0 && b.left < innerWidth; };
            const tiles = [...window.cctv.cameras.values()].filter(c => c.id.startsWith(arguments[0]) && inView(c));
            """;

    /** Whether all {@code n} cameras have tiles and every one of them in the window paints. */
    private boolean allInViewPainting(String prefix, int n) {
        return Boolean.TRUE.equals(js.executeScript(IN_VIEW + "return [...window.cctv.cameras.values()]"
                + ".filter(c => c.id.startsWith(arguments[0])).length >= arguments[1]"
                + " && tiles.length > 0 && tiles.every(c => c.paints > 0)", prefix + "-", n));
    }

    @Test
    @SuppressWarnings("unchecked")
    void aGridOfSixteenWithAndWithoutSubstreamsAndTwoHundredRegistered() throws Exception {
        int seconds = Integer.getInteger("bench.seconds", 20);
        List<String> rows = new ArrayList<>();
        for (boolean substream : new boolean[]{true, false}) {
            String prefix = substream ? "sub" : "main";
            ServiceProcess cams = cameras(prefix, substream);
            try {
                driver.get(dashboard + "/index.html");
                await().atMost(Duration.ofSeconds(180)).until(() -> allInViewPainting(prefix, CAMERAS));
                Thread.sleep(5_000); // warm-up: decoders, JIT
                js.executeScript("window.wsBytes = 0; window.wsMessages = 0;"
                        + "for (const c of window.cctv.cameras.values()) c.paints = 0;");
                long t0 = System.nanoTime();
                Thread.sleep(seconds * 1000L);
                Map<String, Object> m = (Map<String, Object>) js.executeScript(IN_VIEW + """
                        const rates = tiles.map(c => c.paints).sort((a, b) => a - b);
                        return { bytes: window.wsBytes, messages: window.wsMessages, tiles: tiles.length,
                                 minPaints: rates[0], maxPaints: rates[rates.length - 1],
                                 allPaints: rates.reduce((a, b) => a + b, 0) };""", prefix + "-");
                double s = (System.nanoTime() - t0) / 1e9;
                rows.add(String.format("| %s | %d | %.2f | %.0f | %.1f / %.1f / %.1f |", substream
                                ? "16 × 1280x720 30 fps + substream 640x360 10 fps" : "16 × 1280x720 30 fps, no substream",
                        ((Number) m.get("tiles")).intValue(), ((Number) m.get("bytes")).doubleValue() * 8 / s / 1e6,
                        ((Number) m.get("messages")).doubleValue() / s,
                        ((Number) m.get("minPaints")).doubleValue() / s,
                        ((Number) m.get("allPaints")).doubleValue() / s / ((Number) m.get("tiles")).intValue(),
                        ((Number) m.get("maxPaints")).doubleValue() / s));
            } finally {
                cams.stop();
            }
        }

        // 200 registered: the 16 online ones streaming ("entrance-01…": the page orders by name, and they come first,
        // so they are the tiles in view), 184 offline entries in the registry as ingest leaves them
        ServiceProcess cams = cameras("entrance", true);
        String timing;
        try (Connection nc = Nats.connect(nats.url())) {
            await().atMost(Duration.ofSeconds(60)).until(() -> nc.keyValue(Subjects.CAMERAS_BUCKET).keys().stream()
                    .filter(k -> k.startsWith("entrance-")).count() >= CAMERAS);
            KeyValue registry = nc.keyValue(Subjects.CAMERAS_BUCKET);
            Instant then = Instant.now().minusSeconds(3600);
            // the 32 cameras of the grid rows above are offline entries by now: 200 in all
            for (int i = 0; i < 200 - 3 * CAMERAS; i++) {
                String id = String.format("zz-offline-%03d", i);
                registry.put(id, Events.write(new CameraStatus(id, "Offline " + i, false, "h264", 1280, 720, 30, then, then,
                        then, "127.0.0.1:5000", 1, DisconnectReason.CONNECTION_LOST)));
            }
            Thread.sleep(2_000); // every camera streaming for a while, the registry settled
            List<Double> firsts = new ArrayList<>();
            List<Long> inView = new ArrayList<>();
            for (int run = 0; run < 5; run++) {
                driver.get("about:blank");
                driver.get(dashboard + "/index.html");
                await().atMost(Duration.ofSeconds(30)).until(() -> ((Number) js.executeScript(
                        "return document.querySelectorAll('.tile').length")).intValue() >= 200);
                Thread.sleep(3_000);
                List<Object> r = (List<Object>) js.executeScript("""
                        const visible = [...window.cctv.cameras.values()].filter(c => c.id.startsWith('entrance-') && c.el
                            && (() => { const b = c.el.getBoundingClientRect();
                                        return b.bottom > 0 && b.top < innerHeight && b.right > 0 && b.left < innerWidth; })());
                        const painted = visible.filter(c => c.paints > 0);
                        return [visible.length, painted.length,
                                painted.length ? Math.max(...painted.map(c => c.firstPaintAt)) : -1];""");
                inView.add(((Number) r.get(0)).longValue());
                if (((Number) r.get(1)).longValue() == ((Number) r.get(0)).longValue()) {
                    firsts.add(((Number) r.get(2)).doubleValue());
                } else {
                    firsts.add(Double.NaN); // not every online tile in view drew within 3 s
                }
            }
            timing = String.format("200 registered, %d online: online tiles in view %s; last of them painted at %s ms after "
                    + "navigation started (5 page loads; NaN = not all drew within 3 s)", CAMERAS, inView,
                    firsts.stream().map(d -> String.format("%.0f", d)).toList());
        } finally {
            cams.stop();
        }

        System.out.printf("%nLive grid in headless Chromium (1920x1080 window), %d s measured per row%n%n", seconds);
        System.out.println("| grid | tiles in view (watched) | Mbit/s into the page | WebSocket messages/s | pictures painted per tile per s (min / mean / max) |");
        System.out.println("|---|---|---|---|---|");
        rows.forEach(System.out::println);
        System.out.printf("%n%s%n%n", timing);
    }

    /**
     * An unattended wall: 16 cameras with substreams on one page for {@code bench.soak-minutes} (default 60), the
     * page's JavaScript heap after a full garbage collection, its DOM nodes and event listeners, and the pictures
     * painted, sampled every {@code bench.soak-every-minutes} (default 5). A page that leaks grows in these columns.
     * {@code -Dtest=LiveGridBench#anUnattendedWallKeepsItsSize -Dbench.soak-minutes=60}
     */
    @Test
    @SuppressWarnings("unchecked")
    void anUnattendedWallKeepsItsSize() throws Exception {
        int minutes = Integer.getInteger("bench.soak-minutes", 60);
        int every = Integer.getInteger("bench.soak-every-minutes", 5);
        ChromeDriver chrome = (ChromeDriver) driver;
        ServiceProcess cams = cameras("wall", true);
        List<String> rows = new ArrayList<>();
        try {
            driver.get(dashboard + "/index.html");
            await().atMost(Duration.ofSeconds(180)).until(() -> allInViewPainting("wall", CAMERAS));
            long t0 = System.nanoTime();
            for (int minute = 0; minute <= minutes; minute += every) {
                long due = t0 + minute * 60_000_000_000L;
                Thread.sleep(Math.max(0, (due - System.nanoTime()) / 1_000_000));
                chrome.executeCdpCommand("HeapProfiler.collectGarbage", Map.of());
                Map<String, Object> heap = chrome.executeCdpCommand("Runtime.getHeapUsage", Map.of());
                Map<String, Object> dom = chrome.executeCdpCommand("Memory.getDOMCounters", Map.of());
                Map<String, Object> page = (Map<String, Object>) js.executeScript(IN_VIEW + """
                        return { tiles: tiles.length, paints: tiles.reduce((a, c) => a + c.paints, 0),
                                 live: document.getElementById('conn').textContent };""", "wall-");
                rows.add(String.format("| %d | %.1f | %.1f | %s | %s | %s | %s | %s |", minute,
                        ((Number) heap.get("usedSize")).doubleValue() / 1e6, ((Number) heap.get("totalSize")).doubleValue() / 1e6,
                        dom.get("nodes"), dom.get("jsEventListeners"), page.get("tiles"), page.get("paints"), page.get("live")));
                System.out.println(rows.get(rows.size() - 1));
            }
        } finally {
            cams.stop();
        }
        System.out.printf("%nAn unattended wall: 16 cameras (1280x720 30 fps, substream 640x360 10 fps) on one page, %d min%n%n",
                minutes);
        System.out.println("| minute | JS heap used after GC (MB) | JS heap total (MB) | DOM nodes | JS event listeners | tiles in view | pictures painted so far | header |");
        System.out.println("|---|---|---|---|---|---|---|---|");
        rows.forEach(System.out::println);
    }
}
