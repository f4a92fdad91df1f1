package io.github.cctv.dashboard;

import com.sun.net.httpserver.HttpServer;
import io.github.cctv.protocol.event.RecordingCommand;
import io.github.cctv.testing.NatsServerResource;
import io.github.cctv.testing.NatsTestServer;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;

import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A signed-in operator's headless Chromium visits a page of another origin on the same site (another port of the
 * same host: SameSite=Strict cookies go along), which tries what such a page can: frame the dashboard, post a
 * recording command, open the live WebSocket, and post wrong passwords to lock the operator out.
 */
@QuarkusTest
@TestProfile(AuthProfile.class)
@QuarkusTestResource(value = NatsServerResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = FakeRecorder.class, restrictToAnnotatedClass = false)
class CrossSiteBrowserIT extends BrowserSupport {

    private static final Duration PAGE = Duration.ofSeconds(10);
    private static final String CAMERA = "xsb-cam";

    @TestHTTPResource("/")
    URI dashboard;

    private RecorderReplies recorder;
    private List<RecordingCommand> received;
    private HttpServer attacker;

    @BeforeEach
    void recorderAndAttacker() throws Exception {
        recorder = new RecorderReplies(CAMERA);
        received = recorder.received;
        attacker = HttpServer.create(new InetSocketAddress(dashboard.getHost(), NatsTestServer.freePort()), 0);
        attacker.createContext("/attack.html", ex -> {
            byte[] page = attackPage().getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "text/html; charset=utf-8");
            ex.sendResponseHeaders(200, page.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(page);
            }
        });
        attacker.start();
    }

    @AfterEach
    void stopAttacker() {
        recorder.close();
        attacker.stop(0);
    }

    @Test
    void aPageOfAnotherOriginCanNeitherFrameNorCommandNorWatchNorLockOut() {
        driver.get(dashboard.resolve("/login.html").toString());
        signIn();
        await().atMost(PAGE).until(() -> driver.getCurrentUrl().endsWith("/"));

        driver.get("http://" + dashboard.getHost() + ":" + attacker.getAddress().getPort() + "/attack.html");
        JavascriptExecutor js = (JavascriptExecutor) driver;
        await().atMost(PAGE).until(() -> Boolean.TRUE.equals(js.executeScript("return window.attackDone === true")));
        // the WebSocket never opened, nothing of the dashboard reached the page
        assertThat(js.executeScript("return window.ws")).isEqualTo("closed");
        assertThat(js.executeScript("return window.wsMessages")).isEqualTo(0L);
        // the framed dashboard was not rendered: the browser shows its own error page in the frame
        driver.switchTo().frame(0);
        assertThat(driver.findElements(By.id("signin"))).isEmpty();
        driver.switchTo().defaultContent();
        // no recording command reached the recorder
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(2)).until(received::isEmpty);

        // the operator is not locked out: sign out, sign in again at once
        driver.get(dashboard.resolve("/login.html").toString());
        ((JavascriptExecutor) driver).executeScript("return fetch('/api/logout', {method: 'POST'})");
        await().atMost(PAGE).until(() -> Long.valueOf(401).equals(js.executeAsyncScript(
                "const done = arguments[0]; fetch('/api/session').then((r) => done(r.status));")));
        driver.navigate().refresh();
        signIn();
        await().atMost(PAGE).until(() -> driver.getCurrentUrl().endsWith("/"));
        // checking the password takes bcrypt's time: the grid is there once the sign-in page has gone
        await().atMost(PAGE).ignoreExceptions().until(() -> "live".equals(driver.findElement(By.id("conn")).getText()));
    }

    @Test
    void theDashboardsOwnPagesRunUnderTheirPolicyWithoutAViolation() {
        driver.get(dashboard.resolve("/login.html").toString());
        signIn();
        // checking the password takes bcrypt's time: the grid is there once the sign-in page has gone
        await().atMost(PAGE).ignoreExceptions().until(() -> "live".equals(driver.findElement(By.id("conn")).getText()));
        driver.get(dashboard.resolve("/recordings.html").toString());
        await().atMost(PAGE).until(() -> driver.findElement(By.id("signout")).isDisplayed());
        List<LogEntry> console = driver.manage().logs().get(LogType.BROWSER).getAll();
        assertThat(console).extracting(LogEntry::getMessage)
                .noneMatch(m -> m.contains("Content Security Policy") || m.contains("Refused to"));
    }

    private void signIn() {
        await().atMost(PAGE).until(() -> !driver.findElements(By.id("username")).isEmpty());
        driver.findElement(By.id("username")).sendKeys(AuthProfile.USER);
        driver.findElement(By.id("password")).sendKeys(AuthProfile.PASSWORD);
        driver.findElement(By.id("submit")).click();
    }

    /** What a hostile page on another port of the dashboard's host does with a signed-in visitor's browser. */
    private String attackPage() {
        String base = "http://" + dashboard.getHost() + ":" + dashboard.getPort();
        return "<!DOCTYPE html><html><body><iframe src=\"" + base + "/login.html\" width=\"400\" height=\"300\"></iframe>"
                + "<script>\n"
                + "window.ws = 'connecting'; window.wsMessages = 0;\n"
                + "const steps = [];\n"
                + "steps.push(fetch('" + base + "/api/cameras/" + CAMERA + "/recording', {method: 'POST', mode: 'no-cors',"
                + " credentials: 'include', body: new Blob(['{\"action\":\"start\"}'])}).catch(() => {}));\n"
                + "for (let i = 0; i < 8; i++) {\n"
                + "  steps.push(fetch('" + base + "/api/login', {method: 'POST', mode: 'no-cors', credentials: 'include',"
                + " headers: {'Content-Type': 'application/x-www-form-urlencoded'},"
                + " body: 'username=admin&password=wrong' + i}).catch(() => {}));\n"
                + "}\n"
                + "steps.push(new Promise((done) => {\n"
                + "  const ws = new WebSocket('ws://" + dashboard.getHost() + ":" + dashboard.getPort() + "/ws/live');\n"
                + "  ws.onopen = () => { window.ws = 'open'; };\n"
                + "  ws.onmessage = () => { window.wsMessages++; };\n"
                + "  ws.onclose = () => { if (window.ws !== 'open') window.ws = 'closed'; done(); };\n"
                + "  setTimeout(() => { ws.close(); done(); }, 3000);\n"
                + "}));\n"
                + "Promise.all(steps).then(() => setTimeout(() => { window.attackDone = true; }, 500));\n"
                + "</script></body></html>";
    }
}
