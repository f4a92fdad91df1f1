package io.github.cctv.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.cctv.protocol.event.CameraEvent;
import io.github.cctv.protocol.event.DisconnectReason;
import io.github.cctv.testing.NatsServerResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.Select;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The live page as a wall and a phone use it, in headless Chromium: groups kept on the server, the view in the URL,
 * the keyboard, camera-down alerts (title, header count, a browser notification), a phone's single column with
 * finger-sized controls, and events told in words.
 */
@QuarkusTest
@QuarkusTestResource(value = NatsServerResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = FakeRecorder.class, restrictToAnnotatedClass = false)
class LiveWallBrowserIT extends BrowserSupport {

    private static final HttpClient CLIENT = HttpClient.newHttpClient();
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TestHTTPResource("/index.html")
    URI page;

    @TestHTTPResource("/")
    URI base;

    @Test
    void groupsSavedThroughTheApiAndThePageSurviveAReloadAndShowOnlyTheirCameras() throws Exception {
        NatsFixtures.putStatus(NatsFixtures.online("lw-a", "Lobby"));
        NatsFixtures.putStatus(NatsFixtures.online("lw-b", "Back door"));
        NatsFixtures.putStatus(NatsFixtures.online("lw-c", "Yard"));
        putGroup("lw-inside", "{\"name\":\"LW Inside\",\"cameras\":[\"lw-a\",\"lw-b\"]}");
        CLIENT.send(HttpRequest.newBuilder(base.resolve("/api/groups/lw-outside")).DELETE().build(),
                HttpResponse.BodyHandlers.discarding());

        driver.get(page + "#group=lw-inside");
        await().atMost(WAIT).ignoreExceptions().until(() -> shownTiles().equals(List.of("lw-b", "lw-a")));
        assertThat(new Select(driver.findElement(By.id("group"))).getFirstSelectedOption().getText()).isEqualTo("LW Inside");
        assertThat(driver.findElement(By.id("summary")).getText()).isEqualTo("2 / 2 online");

        // a new group made in the page
        driver.findElement(By.id("new-group")).click();
        WebElement dialog = driver.findElement(By.id("group-editor"));
        await().atMost(WAIT).until(dialog::isDisplayed);
        dialog.findElement(By.name("name")).sendKeys("LW Outside");
        new Select(dialog.findElement(By.name("columns"))).selectByValue("1");
        dialog.findElement(By.cssSelector("li[data-camera='lw-c'] input[type=checkbox]")).click();
        dialog.findElement(By.cssSelector("button[type=submit]")).click();
        await().atMost(WAIT).ignoreExceptions().until(() -> shownTiles().equals(List.of("lw-c")));
        assertThat(driver.getCurrentUrl()).endsWith("#group=lw-outside");
        JsonNode saved = Http.json(Http.get(base.resolve("/api/groups/lw-outside")));
        assertThat(saved.path("name").asText()).isEqualTo("LW Outside");
        assertThat(saved.path("cameras")).extracting(JsonNode::asText).containsExactly("lw-c");
        assertThat(saved.path("columns").asInt()).isEqualTo(1);

        driver.navigate().refresh();
        await().atMost(WAIT).ignoreExceptions().until(() -> shownTiles().equals(List.of("lw-c")));
        assertThat(new Select(driver.findElement(By.id("group"))).getFirstSelectedOption().getText()).isEqualTo("LW Outside");

        // the picker goes back to every camera, ordered by name (then id), not by arrival
        new Select(driver.findElement(By.id("group"))).selectByVisibleText("All cameras");
        await().atMost(WAIT).ignoreExceptions().until(() -> shownTiles().containsAll(List.of("lw-a", "lw-b", "lw-c")));
        List<String> all = shownTiles();
        assertThat(all.indexOf("lw-b")).isLessThan(all.indexOf("lw-a"));
        assertThat(all.indexOf("lw-a")).isLessThan(all.indexOf("lw-c"));
        assertThat(driver.getCurrentUrl()).doesNotContain("group=");
    }

    @Test
    void theUrlKeepsTheSingleViewAcrossAReloadEscapeLeavesItAndTheKeyboardOpensACamera() throws Exception {
        NatsFixtures.putStatus(NatsFixtures.online("lw-k1", "Kiosk"));
        NatsFixtures.putStatus(NatsFixtures.online("lw-k2", "Kitchen"));
        putGroup("lw-keys", "{\"name\":\"LW Keys\",\"cameras\":[\"lw-k1\",\"lw-k2\"]}");

        driver.get(page + "#group=lw-keys&camera=lw-k2");
        await().atMost(WAIT).ignoreExceptions().until(() -> shownTiles().equals(List.of("lw-k2")));
        driver.navigate().refresh();
        await().atMost(WAIT).ignoreExceptions().until(() -> shownTiles().equals(List.of("lw-k2")));
        assertThat(js("return window.cctv.selected()")).isEqualTo("lw-k2");

        new Actions(driver).sendKeys(Keys.ESCAPE).perform();
        await().atMost(WAIT).ignoreExceptions().until(() -> shownTiles().equals(List.of("lw-k1", "lw-k2")));
        assertThat(driver.getCurrentUrl()).endsWith("#group=lw-keys");

        // Tab from the header to the Kiosk tile (the first by name): it shows a focus ring, and Enter opens it
        js("window.scrollTo(0, 0); document.querySelector('.bar nav a').focus()");
        boolean reached = false;
        for (int i = 0; i < 80 && !reached; i++) {
            new Actions(driver).sendKeys(Keys.TAB).perform();
            reached = "lw-k1".equals(js("return document.activeElement.dataset.camera || null"));
        }
        assertThat(reached).as("the tile is reachable with Tab").isTrue();
        assertThat(js("const s = getComputedStyle(document.activeElement); return s.outlineStyle + ' ' + s.outlineWidth"))
                .as("a visible focus ring").asString().doesNotStartWith("none").doesNotEndWith(" 0px");
        new Actions(driver).sendKeys(Keys.ENTER).perform();
        await().atMost(WAIT).ignoreExceptions().until(() -> shownTiles().equals(List.of("lw-k1")));
        assertThat(driver.getCurrentUrl()).contains("camera=lw-k1");
        driver.navigate().refresh();
        await().atMost(WAIT).ignoreExceptions().until(() -> shownTiles().equals(List.of("lw-k1")));
        // Back returns to the grid it came from
        driver.navigate().back();
        await().atMost(WAIT).ignoreExceptions().until(() -> shownTiles().size() == 2);
    }

    @Test
    void aCameraGoingOfflineChangesTheTitleAndTheHeaderCountBeepsAndShowsANotification() throws Exception {
        ((ChromeDriver) driver).executeCdpCommand("Browser.grantPermissions", Map.of(
                "origin", base.getScheme() + "://" + base.getHost() + ":" + base.getPort(),
                "permissions", List.of("notifications")));
        NatsFixtures.putStatus(NatsFixtures.online("lw-n1", "Till"));
        NatsFixtures.putStatus(NatsFixtures.online("lw-n2", "Stock room"));
        putGroup("lw-alerts", "{\"name\":\"LW Alerts\",\"cameras\":[\"lw-n1\",\"lw-n2\"]}");

        driver.get(page + "#group=lw-alerts");
        await().atMost(WAIT).ignoreExceptions().until(() -> driver.findElement(By.id("summary")).getText()
                .equals("2 / 2 online"));
        assertThat(driver.getTitle()).isEqualTo("CCTV — Live");
        assertThat(driver.findElement(By.id("offline")).isDisplayed()).isFalse();
        assertThat(driver.findElement(By.id("notify")).isDisplayed()).as("permission already given").isFalse();
        // only watches the calls: the page decides when to notify, and the real Notification still runs
        js("window.shownNotes = []; const Real = window.Notification;"
                + "window.Notification = class extends Real {"
                + "  constructor(title, options) { window.shownNotes.push({ title, body: options && options.body });"
                + "    super(title, options); } };");
        // the beep: WebAudio tones, counted where they start (the real ones still play)
        js("window.tones = 0; const start = OscillatorNode.prototype.start;"
                + "OscillatorNode.prototype.start = function (...a) { window.tones++; return start.apply(this, a); };");
        driver.findElement(By.id("sound")).click();
        assertThat(driver.findElement(By.id("sound")).getText()).isEqualTo("Sound on");
        assertThat(((Number) js("return window.cctv.beeps()")).intValue()).as("a sample when switched on").isEqualTo(1);
        assertThat(((Number) js("return window.tones")).intValue()).as("two tones a beep").isEqualTo(2);

        NatsFixtures.putStatus(NatsFixtures.offline(NatsFixtures.online("lw-n1", "Till")));
        await().atMost(WAIT).until(() -> driver.getTitle().equals("(1 offline) CCTV — Live"));
        assertThat(driver.findElement(By.id("offline")).getText()).isEqualTo("1 offline");
        await().atMost(WAIT).until(() -> ((Number) js("return window.shownNotes.length")).intValue() == 1);
        assertThat(js("return window.shownNotes[0].title")).isEqualTo("Till went offline");
        assertThat(js("return window.shownNotes[0].body")).asString().contains("connection lost");
        assertThat(((Number) js("return window.cctv.beeps()")).intValue()).as("a beep for the camera").isEqualTo(2);
        assertThat(((Number) js("return window.tones")).intValue()).isEqualTo(4);
        assertThat(js("return window.cctv.audioState()")).as("the audio runs (the click allowed it)").isEqualTo("running");

        NatsFixtures.putStatus(NatsFixtures.online("lw-n1", "Till"));
        await().atMost(WAIT).until(() -> driver.getTitle().equals("CCTV — Live"));
        assertThat(driver.findElement(By.id("offline")).isDisplayed()).isFalse();
        assertThat(((Number) js("return window.shownNotes.length")).intValue()).as("no alert for coming back").isEqualTo(1);
        assertThat(((Number) js("return window.cctv.beeps()")).intValue()).as("no beep for coming back").isEqualTo(2);
        // sound off again (kept in the browser: the other tests run without it)
        driver.findElement(By.id("sound")).click();
        assertThat(driver.findElement(By.id("sound")).getText()).isEqualTo("Sound off");
    }

    @Test
    void aPhoneGetsOneColumnOfVisibleTilesFingerSizedControlsAndALandscapeSingleViewAcrossTheWidth() throws Exception {
        ChromeDriver chrome = (ChromeDriver) driver;
        chrome.executeCdpCommand("Emulation.setDeviceMetricsOverride", Map.of(
                "width", 390, "height", 844, "deviceScaleFactor", 1, "mobile", true));
        List<String> ids = new ArrayList<>();
        for (int i = 1; i <= 8; i++) {
            ids.add("lw-p" + i);
            NatsFixtures.putStatus(NatsFixtures.online("lw-p" + i, "Phone " + i));
        }
        putGroup("lw-phone", "{\"name\":\"LW Phone\",\"columns\":3,\"cameras\":[\""
                + String.join("\",\"", ids) + "\"]}");
        driver.get(page + "#group=lw-phone");
        await().atMost(WAIT).ignoreExceptions().until(() -> shownTiles().equals(ids));
        assertThat(((Number) js("return innerWidth")).intValue()).isEqualTo(390);

        // one column, whatever the group's layout says: each tile at the same left, nearly the full width, one below the other
        @SuppressWarnings("unchecked")
        List<List<Number>> tiles = (List<List<Number>>) js("return [...document.querySelectorAll('.tile')]"
                + ".filter((t) => t.getClientRects().length > 0 && t.dataset.camera.startsWith('lw-p'))"
                + ".map((t) => { const r = t.getBoundingClientRect(); return [r.x, r.y, r.width]; })");
        assertThat(tiles).hasSize(8);
        for (int i = 0; i < tiles.size(); i++) {
            assertThat(tiles.get(i).get(0).doubleValue()).isEqualTo(tiles.get(0).get(0).doubleValue());
            assertThat(tiles.get(i).get(2).doubleValue()).isGreaterThan(0.9 * 390);
            if (i > 0) {
                assertThat(tiles.get(i).get(1).doubleValue()).isGreaterThan(tiles.get(i - 1).get(1).doubleValue());
            }
        }

        // every control on show is at least 44 x 44 px
        @SuppressWarnings("unchecked")
        List<List<Object>> controls = (List<List<Object>>) js("return [...document.querySelectorAll("
                + "'.bar button, .bar select, .bar a, .tile button, .tile a')]"
                + ".filter((e) => e.getClientRects().length > 0 && (!e.closest('.tile')"
                + " || e.closest('.tile').dataset.camera.startsWith('lw-p')))"
                + ".map((e) => { const r = e.getBoundingClientRect();"
                + " return [e.id || e.className || e.textContent.trim(), r.width, r.height]; })");
        assertThat(controls).as("header and tile controls measured").hasSizeGreaterThan(20);
        assertThat(controls).as("controls smaller than 44 px").allSatisfy(c -> {
            assertThat(((Number) c.get(1)).doubleValue()).as(c.get(0) + " width").isGreaterThanOrEqualTo(44);
            assertThat(((Number) c.get(2)).doubleValue()).as(c.get(0) + " height").isGreaterThanOrEqualTo(44);
        });

        // only the tiles in view are watched
        await().atMost(WAIT).until(() -> watchedByThePage().contains("lw-p1"));
        assertThat(watchedByThePage()).doesNotContain("lw-p8", "lw-p7");
        screenshot("live-phone.png");

        // turned sideways, the camera shown alone takes the whole width and stays within the screen's height
        chrome.executeCdpCommand("Emulation.setDeviceMetricsOverride", Map.of("width", 844, "height", 390,
                "deviceScaleFactor", 1, "mobile", true, "screenOrientation", Map.of("type", "landscapePrimary", "angle", 90)));
        js("window.cctv.selectCamera('lw-p2')");
        await().atMost(WAIT).ignoreExceptions().until(() -> shownTiles().equals(List.of("lw-p2")));
        await().atMost(WAIT).ignoreExceptions().until(() -> {
            @SuppressWarnings("unchecked")
            List<Number> r = (List<Number>) js("const r = document.querySelector(\".tile[data-camera='lw-p2']\")"
                    + ".getBoundingClientRect(); return [r.x, r.width, r.bottom, innerWidth, innerHeight];");
            return r.get(0).doubleValue() <= 0.5 && r.get(1).doubleValue() >= r.get(3).doubleValue() - 1
                    && r.get(2).doubleValue() <= r.get(4).doubleValue() + 1;
        });
        assertThat(driver.findElement(By.cssSelector(".log")).isDisplayed()).isFalse();
        screenshot("live-phone-landscape.png");
    }

    @Test
    void eventsAreToldWithCameraNamesInWordsAndTheFiguresLeaveThePictureFree() throws Exception {
        NatsFixtures.putStatus(NatsFixtures.online("lw-e", "Front gate"));
        putGroup("lw-events", "{\"name\":\"LW Events\",\"cameras\":[\"lw-e\"]}");
        driver.get(page + "#group=lw-events");
        await().atMost(WAIT).ignoreExceptions().until(() -> shownTiles().equals(List.of("lw-e")));
        await().atMost(WAIT).until(() -> "live".equals(driver.findElement(By.id("conn")).getText()));
        NatsFixtures.publishEvent(connected("lw-e", "Front gate"));
        NatsFixtures.publishEvent(disconnected("lw-e"));
        await().atMost(WAIT).until(() -> driver.findElement(By.id("events")).getText()
                .contains("Front gate went offline (connection lost)"));
        String events = driver.findElement(By.id("events")).getText();
        assertThat(events).contains("Front gate came online").doesNotContain("lw-e connected")
                .doesNotContain("lw-e disconnected");

        // the name above the picture, the figures below it: neither covers the picture's corners
        await().atMost(WAIT).until(() -> !driver.findElement(By.cssSelector(".tile[data-camera='lw-e'] .stats"))
                .getText().isEmpty());
        @SuppressWarnings("unchecked")
        List<Number> r = (List<Number>) js("const t = document.querySelector(\".tile[data-camera='lw-e']\");"
                + "const c = t.querySelector('canvas').getBoundingClientRect();"
                + "const s = t.querySelector('.stats').getBoundingClientRect();"
                + "const n = t.querySelector('.name').getBoundingClientRect();"
                + "return [c.top, c.bottom, s.top, n.bottom];");
        assertThat(r.get(2).doubleValue()).as("stats below the picture").isGreaterThanOrEqualTo(r.get(1).doubleValue());
        assertThat(r.get(3).doubleValue()).as("name above the picture").isLessThanOrEqualTo(r.get(0).doubleValue());
    }

    // ----

    /** Ids of the tiles on show, in page order. */
    @SuppressWarnings("unchecked")
    private List<String> shownTiles() {
        return (List<String>) js("return [...document.querySelectorAll('.tile')]"
                + ".filter((t) => t.getClientRects().length > 0).map((t) => t.dataset.camera)"
                + ".filter((id) => id.startsWith('lw-'))");
    }

    private Object js(String script) {
        return ((JavascriptExecutor) driver).executeScript(script);
    }

    private void putGroup(String id, String json) throws Exception {
        HttpResponse<String> r = CLIENT.send(HttpRequest.newBuilder(base.resolve("/api/groups/" + id))
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    private Set<String> watchedByThePage() throws Exception {
        JsonNode viewers = Http.json(Http.get(base.resolve("/api/viewers"))).path("viewers");
        List<String> watched = new ArrayList<>();
        for (JsonNode v : viewers) {
            v.path("cameras").fieldNames().forEachRemaining(watched::add);
        }
        return Set.copyOf(watched);
    }

    private static CameraEvent connected(String id, String name) {
        return new CameraEvent.CameraConnected(id, Instant.now(), name, "jpeg", 64, 48, 10, "127.0.0.1:5000");
    }

    private static CameraEvent disconnected(String id) {
        return new CameraEvent.CameraDisconnected(id, Instant.now(), DisconnectReason.CONNECTION_LOST, null, 10);
    }
}
