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
    private final InMemoryUserStore users = new InMemoryUserStore();
    private final UserAdmin admin = new UserAdmin(users, clock);
    private final SignIn signIn = new SignIn(new SignIn.Settings(true, "admin", Optional.of("s3cret-password"), null,
            Optional.of("0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8)), Duration.ofHours(12), 5,
            Duration.ofMinutes(1), Duration.ofDays(90)), store, users, clock);

    SignInTest() throws Exception {
        admin.bootstrap("admin", signIn::firstAdminPassword);
    }

    private SessionTokens.Issued startAdmin() throws Exception {
        return signIn.startSession(signIn.authenticate("admin", "s3cret-password").orElseThrow());
    }

    @Test
    void theFirstAdminIsMadeFromConfigurationWithABcryptHashNeverThePassword() throws Exception {
        User first = users.user("admin").orElseThrow();
        assertThat(first.role()).isEqualTo(Role.ADMIN);
        assertThat(first.allCameras()).isTrue();
        assertThat(first.passwordHash()).startsWith("$2").doesNotContain("s3cret-password");
        assertThat(signIn.authenticate("admin", "s3cret-password")).isPresent();
        assertThat(signIn.authenticate("admin", "wrong")).isEmpty();
        assertThat(signIn.authenticate("nobody", "s3cret-password")).isEmpty();
        // a second start finds the admin and makes none
        String stamp = first.stamp();
        admin.bootstrap("admin", () -> "another-password");
        assertThat(users.user("admin").orElseThrow().stamp()).isEqualTo(stamp);
        assertThat(signIn.authenticate("admin", "another-password")).isEmpty();
    }

    @Test
    void disablingResettingOrChangingAUserEndsTheirSessionsAndTheLastAdminStays() throws Exception {
        admin.create("olga", Role.OPERATOR, "olga-password", false, java.util.Set.of("cam1"), "admin");
        SessionTokens.Issued olga = signIn.startSession(signIn.authenticate("olga", "olga-password").orElseThrow());
        SignIn.SessionCheck check = signIn.checkSession(olga.token());
        assertThat(check.status()).isEqualTo(SignIn.SessionCheck.Status.VALID);
        assertThat(check.principal().mayWatch("cam1")).isTrue();
        assertThat(check.principal().mayWatch("cam2")).isFalse();
        assertThat(check.principal().mayOperate()).isTrue();

        admin.change("olga", new UserAdmin.Change(false, null, null, null, null), "admin");
        assertThat(signIn.checkSession(olga.token()).status()).isEqualTo(SignIn.SessionCheck.Status.INVALID);
        assertThat(signIn.authenticate("olga", "olga-password")).isEmpty();

        admin.change("olga", new UserAdmin.Change(true, null, null, null, null), "admin");
        // enabled again: the old session stays ended, a new sign-in works
        assertThat(signIn.checkSession(olga.token()).status()).isEqualTo(SignIn.SessionCheck.Status.INVALID);
        SessionTokens.Issued again = signIn.startSession(signIn.authenticate("olga", "olga-password").orElseThrow());
        admin.change("olga", new UserAdmin.Change(null, null, null, null, "new-password-1"), "admin");
        assertThat(signIn.checkSession(again.token()).status()).isEqualTo(SignIn.SessionCheck.Status.INVALID);
        assertThat(signIn.authenticate("olga", "new-password-1")).isPresent();

        assertThatThrownBy(() -> admin.change("admin", new UserAdmin.Change(null, Role.VIEWER, null, null, null), "x"))
                .isInstanceOf(UserAdmin.ConflictException.class);
        assertThatThrownBy(() -> admin.create("olga", Role.VIEWER, "whatever-pass", true, java.util.Set.of(), "x"))
                .isInstanceOf(UserAdmin.ConflictException.class);
        assertThatThrownBy(() -> admin.create("bad/name", Role.VIEWER, "whatever-pass", true, java.util.Set.of(), "x"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> admin.create("short", Role.VIEWER, "short", true, java.util.Set.of(), "x"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aSessionIsValidWhileTheStoreHasItAndEndsEverywhereWithSignOut() throws Exception {
        SessionTokens.Issued issued = startAdmin();
        assertThat(store.sessions).containsKey(issued.claims().id());
        assertThat(signIn.checkSession(issued.token()).status()).isEqualTo(SignIn.SessionCheck.Status.VALID);
        assertThat(signIn.checkSession(issued.token()).user()).isEqualTo("admin");

        signIn.endSession(issued.token());
        assertThat(store.sessions).isEmpty();
        assertThat(signIn.checkSession(issued.token()).status()).isEqualTo(SignIn.SessionCheck.Status.INVALID);
    }

    @Test
    void aSignedTokenWhoseSessionIsNotLoadedYetIsPendingNotRefused() throws Exception {
        SessionTokens.Issued issued = startAdmin();
        store.sessions.clear();
        store.loaded = false;
        assertThat(signIn.checkSession(issued.token()).status()).isEqualTo(SignIn.SessionCheck.Status.PENDING);
        assertThat(signIn.checkSession("forged.token").status()).isEqualTo(SignIn.SessionCheck.Status.INVALID);
    }

    @Test
    void noSessionStartsWhenTheStoreIsUnreachable() {
        store.reachable = false;
        User first = users.user("admin").orElseThrow();
        assertThatThrownBy(() -> signIn.startSession(first)).isInstanceOf(SessionStore.UnavailableException.class);
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
        assertThat(signIn.describeUserName("admin")).isEqualTo("user 'admin'");
        assertThat(signIn.auditName("admin")).isEqualTo("admin");
        assertThat(signIn.auditName("hunter2-my-password")).isEqualTo("unknown user");
        assertThat(signIn.describeUserName(null)).isEqualTo("no user name");
        String typed = "hunter2-my-password";
        String described = signIn.describeUserName(typed);
        assertThat(described).startsWith("an unknown user name #").doesNotContain(typed).doesNotContain("hunter2");
        assertThat(signIn.describeUserName(typed)).isEqualTo(described);
        assertThat(signIn.describeUserName(typed + "x")).isNotEqualTo(described);
    }

    @Test
    void aVerifiedPasswordIsBelievedWithoutBcryptOnlyWhileTheUserStaysAsItWas() throws Exception {
        admin.create("olga", Role.OPERATOR, "olga-password", true, java.util.Set.of(), "admin");
        assertThat(signIn.authenticatedLately("olga", "olga-password")).as("never verified").isEmpty();
        assertThat(signIn.authenticate("olga", "olga-password")).isPresent();
        assertThat(signIn.authenticatedLately("olga", "olga-password")).isPresent();
        assertThat(signIn.authenticatedLately("olga", "olga-passwor")).isEmpty();
        assertThat(signIn.authenticatedLately("olgaa", "olga-password")).isEmpty();

        // another role: a new stamp, so bcrypt again, and then believed again
        admin.change("olga", new UserAdmin.Change(null, Role.VIEWER, null, null, null), "admin");
        assertThat(signIn.authenticatedLately("olga", "olga-password")).isEmpty();
        assertThat(signIn.authenticate("olga", "olga-password")).map(User::role).contains(Role.VIEWER);
        assertThat(signIn.authenticatedLately("olga", "olga-password")).map(User::role).contains(Role.VIEWER);

        clock.advance(VerifiedCredentials.MAX_AGE.plusSeconds(1));
        assertThat(signIn.authenticatedLately("olga", "olga-password")).as("too long ago").isEmpty();
        assertThat(signIn.authenticate("olga", "olga-password")).isPresent();

        admin.change("olga", new UserAdmin.Change(false, null, null, null, null), "admin");
        assertThat(signIn.authenticatedLately("olga", "olga-password")).as("disabled").isEmpty();
        assertThat(signIn.authenticate("olga", "olga-password")).isEmpty();
    }

    @Test
    void theVerifiedPasswordsKeptAreBoundedAndHoldNoPassword() {
        VerifiedCredentials verified = new VerifiedCredentials(clock);
        for (int i = 0; i <= VerifiedCredentials.MAX_ENTRIES; i++) {
            verified.remember("password-" + i, new User("user" + i, Role.VIEWER, true, "$2a$10$hash" + i, true,
                    java.util.Set.of(), "stamp", clock.instant(), "admin"));
        }
        assertThat(verified.size()).isEqualTo(VerifiedCredentials.MAX_ENTRIES);
        User first = new User("user0", Role.VIEWER, true, "$2a$10$hash0", true, java.util.Set.of(), "stamp",
                clock.instant(), "admin");
        assertThat(verified.recall("user0", "password-0", Optional.of(first))).as("the oldest went first").isEmpty();
        User last = new User("user1024", Role.VIEWER, true, "$2a$10$hash1024", true, java.util.Set.of(), "stamp",
                clock.instant(), "admin");
        assertThat(verified.recall("user1024", "password-1024", Optional.of(last))).contains(last);
        assertThat(verified.recall("user1024", "password-1024", Optional.empty())).as("the user is gone").isEmpty();
    }
}
