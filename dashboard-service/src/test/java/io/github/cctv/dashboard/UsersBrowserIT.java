package io.github.cctv.dashboard;

import io.github.cctv.testing.NatsServerResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

import java.net.URI;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Users in headless Chromium: an admin adds a viewer of one camera on the Users page; the viewer, signed in, sees only
 * that camera, without record or forget buttons, the Recordings link or the Users link.
 */
@QuarkusTest
@TestProfile(AuthProfile.class)
@QuarkusTestResource(value = NatsServerResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = FakeRecorder.class, restrictToAnnotatedClass = false)
class UsersBrowserIT extends BrowserSupport {

    private static final Duration PAGE = Duration.ofSeconds(15);

    @TestHTTPResource("/index.html")
    URI page;

    @Test
    void anAdminAddsAViewerWhoSeesOnlyTheirCameraAndNoButtonsTheyMayNotUse() throws Exception {
        NatsFixtures.putStatus(NatsFixtures.online("ub-front", "Front"));
        NatsFixtures.putStatus(NatsFixtures.online("ub-back", "Back"));
        driver.get(page.toString());
        signIn(AuthProfile.USER, AuthProfile.PASSWORD);
        await().atMost(PAGE).until(() -> !driver.findElements(By.cssSelector(".tile[data-camera='ub-back']")).isEmpty());
        WebElement usersLink = driver.findElement(By.cssSelector("nav a.nav-users"));
        await().atMost(PAGE).until(usersLink::isDisplayed);
        assertThat(driver.findElement(By.cssSelector(".tile[data-camera='ub-back'] .record")).isDisplayed()).isTrue();
        usersLink.click();

        await().atMost(PAGE).until(() -> driver.getCurrentUrl().endsWith("/users.html"));
        await().atMost(PAGE).until(() -> !driver.findElements(By.cssSelector("tr.user-row[data-user='admin']")).isEmpty());
        WebElement form = driver.findElement(By.id("add"));
        form.findElement(By.name("name")).sendKeys("bea");
        new Select(form.findElement(By.name("role"))).selectByValue("viewer");
        form.findElement(By.name("password")).sendKeys("bea-password-1");
        form.findElement(By.name("cameras")).sendKeys("ub-front");
        form.findElement(By.cssSelector("button[type='submit']")).click();
        await().atMost(PAGE).until(() -> !driver.findElements(By.cssSelector("tr.user-row[data-user='bea']")).isEmpty()
                || driver.findElement(By.id("message")).getText().contains("exists"));
        screenshot("users-page.png");
        driver.findElement(By.cssSelector("#signout button")).click();
        await().atMost(PAGE).until(() -> driver.getCurrentUrl().contains("/login.html"));

        driver.get(page.toString());
        signIn("bea", "bea-password-1");
        await().atMost(PAGE).until(() -> !driver.findElements(By.cssSelector(".tile[data-camera='ub-front']")).isEmpty());
        await().atMost(PAGE).until(() -> "viewer".equals(driver.findElement(By.tagName("body")).getAttribute("data-role")));
        assertThat(driver.findElements(By.cssSelector(".tile[data-camera='ub-back']"))).isEmpty();
        assertThat(driver.findElement(By.cssSelector(".tile[data-camera='ub-front'] .record")).isDisplayed()).isFalse();
        assertThat(driver.findElement(By.cssSelector("nav a.nav-users")).isDisplayed()).isFalse();
        assertThat(driver.findElement(By.cssSelector("nav a.nav-review")).isDisplayed()).isFalse();
        screenshot("viewer-live.png");
    }

    private void signIn(String user, String password) {
        await().atMost(PAGE).until(() -> driver.getCurrentUrl().contains("/login.html"));
        driver.findElement(By.id("username")).clear();
        driver.findElement(By.id("username")).sendKeys(user);
        driver.findElement(By.id("password")).clear();
        driver.findElement(By.id("password")).sendKeys(password);
        driver.findElement(By.id("submit")).click();
        await().atMost(PAGE).until(() -> driver.getCurrentUrl().endsWith("/index.html"));
    }
}
