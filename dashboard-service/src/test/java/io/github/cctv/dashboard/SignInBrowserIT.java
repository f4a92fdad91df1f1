package io.github.cctv.dashboard;

import io.github.cctv.testing.NatsServerResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.common.http.TestHTTPResource;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;

import java.awt.Color;
import java.net.URI;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Sign-in on, in headless Chromium: the grid is behind the sign-in page, and signing out locks it again. */
@QuarkusTest
@TestProfile(AuthProfile.class)
@QuarkusTestResource(value = NatsServerResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = FakeRecorder.class, restrictToAnnotatedClass = false)
class SignInBrowserIT extends BrowserSupport {

    private static final Duration PAGE = Duration.ofSeconds(10);

    @TestHTTPResource("/index.html")
    URI page;

    @Test
    void landsOnSignInThenSeesTheGridAndSignsOut() throws Exception {
        NatsFixtures.putStatus(NatsFixtures.online("si-front", "Front door"));
        driver.get(page.toString());
        await().atMost(PAGE).until(() -> driver.getCurrentUrl().contains("/login.html"));
        assertThat(driver.getCurrentUrl()).contains("next=%2Findex.html");
        // the sign-in page on a phone
        driver.manage().window().setSize(new Dimension(390, 844));
        screenshot("sign-in-phone.png");
        driver.manage().window().setSize(new Dimension(1280, 800));

        signIn("not the password");
        await().atMost(PAGE).until(() -> driver.findElement(By.id("error")).isDisplayed());
        assertThat(driver.findElement(By.id("error")).getText()).contains("Wrong user name or password");
        assertThat(driver.getCurrentUrl()).contains("/login.html");

        signIn(AuthProfile.PASSWORD);
        await().atMost(PAGE).until(() -> driver.getCurrentUrl().endsWith("/index.html"));
        await().atMost(PAGE).until(() -> !driver.findElements(By.cssSelector(".tile[data-camera='si-front']"))
                .isEmpty());
        // checking the password takes bcrypt's time: the grid is there once the sign-in page has gone
        await().atMost(PAGE).ignoreExceptions().until(() -> "live".equals(driver.findElement(By.id("conn")).getText()));
        await().atMost(PAGE).until(() -> driver.findElement(By.id("signout")).isDisplayed());
        assertThat(driver.findElement(By.id("signout")).getText()).contains(AuthProfile.USER, "Sign out");
        // frames arrive over the signed-in WebSocket and are drawn
        byte[] red = BrowserIT.jpeg(new Color(255, 0, 0));
        await().atMost(PAGE).pollInterval(Duration.ofMillis(200)).until(() -> {
            NatsFixtures.publishFrame("si-front", seq.incrementAndGet(), System.currentTimeMillis() * 1000, red);
            List<Long> rgb = centrePixel("si-front");
            return rgb.get(0) > 200 && rgb.get(1) < 60 && rgb.get(2) < 60;
        });
        screenshot("signed-in.png");

        driver.findElement(By.cssSelector("#signout button")).click();
        await().atMost(PAGE).until(() -> driver.getCurrentUrl().contains("/login.html"));
        driver.get(page.toString());
        await().atMost(PAGE).until(() -> driver.getCurrentUrl().contains("/login.html"));
    }

    @Test
    void aPageWhoseSessionEndedGoesBackToSignIn() {
        driver.get(page.toString());
        await().atMost(PAGE).until(() -> driver.getCurrentUrl().contains("/login.html"));
        signIn(AuthProfile.PASSWORD);
        // checking the password takes bcrypt's time: the grid is there once the sign-in page has gone
        await().atMost(PAGE).ignoreExceptions().until(() -> "live".equals(driver.findElement(By.id("conn")).getText()));

        // the session ends under an open page (expired, or signed out in another tab): its next API call says 401
        driver.manage().deleteAllCookies();
        ((JavascriptExecutor) driver).executeScript("import('/js/common.js').then((m) => m.api('/api/cameras'))"
                + ".catch(() => {});");
        await().atMost(PAGE).until(() -> driver.getCurrentUrl().contains("/login.html?next=%2Findex.html"));
    }

    private void signIn(String password) {
        driver.findElement(By.id("username")).clear();
        driver.findElement(By.id("username")).sendKeys(AuthProfile.USER);
        driver.findElement(By.id("password")).clear();
        driver.findElement(By.id("password")).sendKeys(password);
        driver.findElement(By.id("submit")).click();
    }
}
