package io.github.cctv.dashboard.domain.auth;

import io.github.cctv.testing.MutableClock;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SignInTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
    private final InMemorySessionStore store = new InMemorySessionStore();
    private final SignIn signIn = new SignIn(new SignIn.Settings(true, "admin", Optional.of("s3cret"), null,
            Optional.of("0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8)), Duration.ofHours(12), 5,
            Duration.ofMinutes(1), Duration.ofDays(90)), store, clock);

    @Test
    void aSessionIsValidWhileTheStoreHasItAndEndsEverywhereWithSignOut() throws Exception {
        SessionTokens.Issued issued = signIn.startSession();
        assertThat(store.sessions).containsKey(issued.claims().id());
        assertThat(signIn.checkSession(issued.token()).status()).isEqualTo(SignIn.SessionCheck.Status.VALID);
        assertThat(signIn.checkSession(issued.token()).user()).isEqualTo("admin");

        signIn.endSession(issued.token());
        assertThat(store.sessions).isEmpty();
        assertThat(signIn.checkSession(issued.token()).status()).isEqualTo(SignIn.SessionCheck.Status.INVALID);
    }

    @Test
    void aSignedTokenWhoseSessionIsNotLoadedYetIsPendingNotRefused() throws Exception {
        SessionTokens.Issued issued = signIn.startSession();
        store.sessions.clear();
        store.loaded = false;
        assertThat(signIn.checkSession(issued.token()).status()).isEqualTo(SignIn.SessionCheck.Status.PENDING);
        assertThat(signIn.checkSession("forged.token").status()).isEqualTo(SignIn.SessionCheck.Status.INVALID);
    }

    @Test
    void noSessionStartsWhenTheStoreIsUnreachable() {
        store.reachable = false;
        assertThatThrownBy(signIn::startSession).isInstanceOf(SessionStore.UnavailableException.class);
        assertThat(store.sessions).isEmpty();
    }

    @Test
    void aBrowserThatSignedInBeforeIsThrottledApartFromItsAddress() {
        String device = signIn.issueDevice();
        String deviceKey = signIn.throttleKey(device, "10.0.0.1");
        String addressKey = signIn.throttleKey(null, "10.0.0.1");
        assertThat(deviceKey).startsWith("device:").isNotEqualTo(addressKey);
        assertThat(signIn.throttleKey("forged", "10.0.0.1")).isEqualTo(addressKey);
        // a stranger at the same address (or a cross-site form, which carries no SameSite=Strict cookie) fails often
        for (int i = 0; i < 10; i++) {
            signIn.failed(addressKey);
        }
        assertThat(signIn.retryAfter(addressKey)).isPresent();
        assertThat(signIn.retryAfter(deviceKey)).isEmpty();
        // the device token expires
        clock.advance(Duration.ofDays(91));
        assertThat(signIn.throttleKey(device, "10.0.0.1")).isEqualTo(addressKey);
    }

    @Test
    void typedUserNamesNeverAppearAsTyped() {
        assertThat(signIn.describeUserName("admin")).isEqualTo("the configured user name");
        assertThat(signIn.describeUserName(null)).isEqualTo("no user name");
        String typed = "hunter2-my-password";
        String described = signIn.describeUserName(typed);
        assertThat(described).startsWith("an unknown user name #").doesNotContain(typed).doesNotContain("hunter2");
        assertThat(signIn.describeUserName(typed)).isEqualTo(described);
        assertThat(signIn.describeUserName(typed + "x")).isNotEqualTo(described);
    }
}
