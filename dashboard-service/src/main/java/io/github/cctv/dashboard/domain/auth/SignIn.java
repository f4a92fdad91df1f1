package io.github.cctv.dashboard.domain.auth;

import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;

/**
 * Who may use the dashboard: the configured user and password (or one generated at start-up), signed session
 * tokens, and the per-address throttle on failed attempts. Transport-free: the HTTP side lives in {@code endpoint}.
 */
public class SignIn {

    /**
     * How sign-in works.
     *
     * @param enabled       whether every page, API call and the live WebSocket need a signed-in user
     * @param username      the one user name
     * @param password      its password; when empty one is generated and {@link #announce() announced}
     * @param sessionSecret key of the session tokens; when empty a random one per start
     * @param sessionMaxAge how long a sign-in lasts
     * @param maxFailures   failed sign-ins per address within {@code failureWindow} before it must wait
     * @param failureWindow the window over which failures are counted
     */
    public record Settings(boolean enabled, String username, Optional<String> password, Optional<String> sessionSecret,
                           Duration sessionMaxAge, int maxFailures, Duration failureWindow) {
    }

    private static final Logger LOG = Logger.getLogger(SignIn.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final boolean enabled;
    private final String username;
    private final String generatedPassword;
    private final Credentials credentials;
    private final SessionTokens tokens;
    private final SignInThrottle throttle;

    public SignIn(Settings auth, Clock clock) {
        this.enabled = auth.enabled();
        this.username = auth.username();
        this.generatedPassword = auth.password().isPresent() ? null : randomPassword();
        this.credentials = new Credentials(username, auth.password().orElse(generatedPassword));
        byte[] key;
        if (auth.sessionSecret().isPresent()) {
            key = auth.sessionSecret().get().getBytes(StandardCharsets.UTF_8);
            if (enabled && key.length < 32) {
                LOG.warn("cctv.dashboard.auth.session-secret is shorter than 32 characters: a session cookie could "
                        + "be used to guess it offline; use a long random value (e.g. `openssl rand -base64 32`)");
            }
        } else {
            key = new byte[32];
            RANDOM.nextBytes(key);
        }
        this.tokens = new SessionTokens(key, auth.sessionMaxAge(), clock);
        this.throttle = new SignInThrottle(auth.maxFailures(), auth.failureWindow(), clock);
    }

    /** Says at start-up that sign-in is off, or which password was generated. */
    public void announce() {
        if (!enabled) {
            LOG.warn("Sign-in is DISABLED (cctv.dashboard.auth.enabled=false): anyone who reaches this port can "
                    + "watch every camera");
        } else if (generatedPassword != null) {
            LOG.warnf("Dashboard sign-in: user '%s', generated password '%s' (valid until this process stops). "
                    + "To choose a fixed password, set CCTV_DASHBOARD_AUTH_PASSWORD (cctv.dashboard.auth.password).",
                    username, generatedPassword);
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

    /** Whether the user name and password are right (constant time). */
    public boolean check(String user, String password) {
        return credentials.matches(user, password);
    }

    /** A new session for the configured user. */
    public SessionTokens.Issued issue() {
        return tokens.issue(username);
    }

    /** The signed-in user of a session token, if it is valid, unexpired and still names the configured user. */
    public Optional<String> sessionUser(String token) {
        return tokens.verify(token).filter(username::equals);
    }

    /** How long {@code address} must wait before its next attempt, if it failed too often lately. */
    public Optional<Duration> retryAfter(String address) {
        return throttle.retryAfter(address);
    }

    public void failed(String address) {
        throttle.failed(address);
    }

    public void succeeded(String address) {
        throttle.succeeded(address);
    }

    private static String randomPassword() {
        byte[] bytes = new byte[18]; // 144 bits, 24 URL-safe characters
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
