package io.github.cctv.dashboard.domain.auth;

import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;

/**
 * Who may use the dashboard: the users of the {@link UserStore} (bcrypt hashes; the configured user and password, or
 * one generated at start-up, only make the first admin), signed session
 * tokens whose sessions live in a {@link SessionStore} shared by every dashboard (so that signing out ends a session
 * everywhere), device tokens of browsers that signed in before, and the throttle on failed attempts.
 * Transport-free: the HTTP side lives in {@code endpoint}.
 */
public class SignIn {

    /**
     * How sign-in works.
     *
     * @param enabled        whether every page, API call and the live WebSocket need a signed-in user
     * @param username       the first admin's user name, made when the users bucket has no enabled admin
     * @param password       its password; when empty one is generated and announced when the admin is made
     * @param passwordSource where the password came from, for the start-up message ({@code null}: configured directly)
     * @param sessionKey     key of the tokens; when empty a random one per start
     * @param sessionMaxAge  how long a sign-in lasts
     * @param maxFailures    failed sign-ins per browser or address within {@code failureWindow} before it must wait
     * @param failureWindow  the window over which failures are counted
     * @param deviceMaxAge   how long a browser that signed in is remembered by the throttle
     */
    public record Settings(boolean enabled, String username, Optional<String> password, String passwordSource,
                           Optional<byte[]> sessionKey, Duration sessionMaxAge, int maxFailures, Duration failureWindow,
                           Duration deviceMaxAge) {
    }

    /** The outcome of checking a session token. */
    public record SessionCheck(Status status, String user, String sessionId, Principal principal) {

        public enum Status {
            /** A live session of an enabled user whose password, role and cameras are as when it started. */
            VALID,
            /** Unsigned, tampered, expired, ended, of an unknown or disabled user, or of a user changed since. */
            INVALID,
            /** Signed and unexpired, but the sessions or users are not loaded yet: ask again in a moment. */
            PENDING
        }

        static final SessionCheck INVALID_TOKEN = new SessionCheck(Status.INVALID, null, null, null);
    }

    private static final Logger LOG = Logger.getLogger(SignIn.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String DEVICE_KEY = "device:";
    private static final String ADDRESS_KEY = "address:";

    private final boolean enabled;
    private final String username;
    private final String generatedPassword;
    private final String password;
    private final String passwordSource;
    private final boolean randomKey;
    private final UserStore users;
    private final SessionTokens tokens;
    private final SessionStore sessions;
    private final SignInThrottle throttle;
    private final Duration deviceMaxAge;
    private final VerifiedCredentials verifiedCredentials;

    public SignIn(Settings auth, SessionStore sessions, UserStore users, Clock clock) {
        this.enabled = auth.enabled();
        this.username = auth.username();
        this.generatedPassword = auth.password().isPresent() ? null : randomPassword();
        this.password = auth.password().orElse(null);
        this.passwordSource = auth.passwordSource();
        this.users = users;
        this.randomKey = auth.sessionKey().isEmpty();
        byte[] key;
        if (auth.sessionKey().isPresent()) {
            key = auth.sessionKey().get();
            if (enabled && key.length < 32) {
                LOG.warn("the session secret is shorter than 32 characters: a session cookie could be used to guess it "
                        + "offline; use a long random value (e.g. `openssl rand -base64 32`)");
            }
        } else {
            key = new byte[32];
            RANDOM.nextBytes(key);
        }
        this.tokens = new SessionTokens(key, auth.sessionMaxAge(), clock);
        this.sessions = sessions;
        this.throttle = new SignInThrottle(auth.maxFailures(), auth.failureWindow(), clock);
        this.deviceMaxAge = auth.deviceMaxAge();
        this.verifiedCredentials = new VerifiedCredentials(clock);
    }

    /** Says at start-up that sign-in is off, which password was generated, and whether restarts sign people out. */
    public void announce() {
        if (!enabled) {
            LOG.warn("Sign-in is DISABLED (cctv.dashboard.auth.enabled=false): anyone who reaches this port can "
                    + "watch every camera");
            return;
        }
        if (passwordSource != null) {
            LOG.infof("Dashboard sign-in: users from NATS; the first admin '%s' takes its password from %s", username,
                    passwordSource);
        }
        if (randomKey) {
            LOG.warn("No session secret configured (cctv.dashboard.auth.session-secret or session-secret-file): a "
                    + "restart of this dashboard signs everybody out, and other dashboards refuse its sessions");
        }
    }

    public boolean enabled() {
        return enabled;
    }

    public String username() {
        return username;
    }

    public Duration sessionMaxAge() {
        return tokens.maxAge();
    }

    public Duration deviceMaxAge() {
        return deviceMaxAge;
    }

    /**
     * The password the first admin is made with: the configured one, or one generated at start-up (then logged once
     * at WARN when the admin is made, and never again).
     */
    public String firstAdminPassword() {
        if (generatedPassword != null) {
            LOG.warnf("Dashboard sign-in: first admin '%s' made with the generated password '%s'. Change it on the "
                    + "users page, or set CCTV_DASHBOARD_AUTH_PASSWORD_FILE before the first start.", username,
                    generatedPassword);
            return generatedPassword;
        }
        return password;
    }

    /**
     * The enabled user whose name and password these are, if any. Slow on purpose (bcrypt), and as slow for an
     * unknown user: never on an event loop.
     */
    public Optional<User> authenticate(String user, String password) {
        Optional<User> recalled = authenticatedLately(user, password);
        if (recalled.isPresent()) {
            return recalled;
        }
        Optional<User> known = user == null ? Optional.empty() : users.user(user);
        boolean matches = Passwords.matches(password, known.map(User::passwordHash).orElse(null));
        Optional<User> admitted = matches ? known.filter(User::enabled) : Optional.empty();
        admitted.ifPresent(u -> verifiedCredentials.remember(password, u));
        return admitted;
    }

    /**
     * The user, when bcrypt verified this name and password lately and the user has not changed since
     * ({@link VerifiedCredentials}); empty means "ask {@link #authenticate}", never "wrong". Fast: fit for an event loop.
     */
    public Optional<User> authenticatedLately(String user, String password) {
        return user == null ? Optional.empty() : verifiedCredentials.recall(user, password, users.user(user));
    }

    /** Starts a session of {@code user} on every dashboard. Blocking (it writes the session store). */
    public SessionTokens.Issued startSession(User user) throws SessionStore.UnavailableException {
        SessionTokens.Issued issued = tokens.issue(user.name());
        sessions.started(new SessionStore.Session(issued.claims().id(), user.name(), issued.expiresAt(), user.stamp()));
        return issued;
    }

    /** Ends the session of {@code token} on every dashboard, if it names one. Blocking. */
    public void endSession(String token) throws SessionStore.UnavailableException {
        Optional<SessionTokens.Claims> claims = tokens.verify(token);
        if (claims.isPresent()) {
            sessions.ended(claims.get().id());
        }
    }

    /**
     * Checks a session token: signed, unexpired, live in the store, of an enabled user unchanged since the session
     * started (same stamp: no new password, role or cameras, not disabled). Never blocks.
     */
    public SessionCheck checkSession(String token) {
        Optional<SessionTokens.Claims> claims = tokens.verify(token);
        if (claims.isEmpty()) {
            return SessionCheck.INVALID_TOKEN;
        }
        SessionTokens.Claims c = claims.get();
        return switch (sessions.state(c.id())) {
            case LIVE -> {
                if (!users.loaded()) {
                    yield new SessionCheck(SessionCheck.Status.PENDING, null, c.id(), null);
                }
                Optional<User> user = users.user(c.user()).filter(User::enabled)
                        .filter(u -> u.stamp().equals(sessions.stamp(c.id())));
                yield user.map(u -> new SessionCheck(SessionCheck.Status.VALID, u.name(), c.id(), Principal.of(u)))
                        .orElse(SessionCheck.INVALID_TOKEN);
            }
            case ENDED -> SessionCheck.INVALID_TOKEN;
            case NOT_LOADED -> new SessionCheck(SessionCheck.Status.PENDING, null, c.id(), null);
        };
    }

    /** A new device token for a browser that just signed in. */
    public String issueDevice() {
        return tokens.issueDevice(deviceMaxAge);
    }

    /**
     * Whom failed sign-ins are counted against: a browser that signed in here before (a valid device token) has its
     * own count, so that failures from anywhere else, the same address included, never lock it out; everyone else is
     * counted by client address.
     */
    public String throttleKey(String deviceToken, String address) {
        Optional<String> device = deviceToken == null ? Optional.empty() : tokens.verifyDevice(deviceToken);
        return device.map(id -> DEVICE_KEY + id).orElse(ADDRESS_KEY + address);
    }

    /** How long {@code key} must wait before its next attempt, if it failed too often lately. */
    public Optional<Duration> retryAfter(String key) {
        return throttle.retryAfter(key);
    }

    public void failed(String key) {
        throttle.failed(key);
    }

    public void succeeded(String key) {
        throttle.succeeded(key);
    }

    /**
     * A typed user name as it may appear in a log: people type passwords there by mistake, so never the text itself
     * unless it names a user, else a keyed fingerprint that shows repeats and nothing else.
     */
    public String describeUserName(String typed) {
        if (typed == null) {
            return "no user name";
        }
        if (users.user(typed).isPresent()) {
            return "user '" + typed + "'";
        }
        return "an unknown user name #" + tokens.tag(typed);
    }

    /** A typed user name as an audit event may carry it: the name of a user, else {@code unknown user}. */
    public String auditName(String typed) {
        return typed != null && users.user(typed).isPresent() ? typed : "unknown user";
    }

    private static String randomPassword() {
        byte[] bytes = new byte[18]; // 144 bits, 24 URL-safe characters
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** UTF-8 bytes of a configured secret. */
    public static byte[] keyOf(String secret) {
        return secret.getBytes(StandardCharsets.UTF_8);
    }
}
