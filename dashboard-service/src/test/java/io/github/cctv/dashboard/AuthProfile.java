package io.github.cctv.dashboard;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.Map;

/**
 * Sign-in on, with a known password and session secret (so that tests can mint cookies as a second dashboard
 * would), and client addresses taken from {@code X-Forwarded-For} so that each test is its own client for the
 * failed-sign-in throttle.
 */
public class AuthProfile implements QuarkusTestProfile {

    static final String USER = "admin";
    static final String PASSWORD = "correct horse battery staple";
    static final String SECRET = "test-session-secret-0123456789abcdef";

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "cctv.dashboard.auth.enabled", "true",
                "cctv.dashboard.auth.username", USER,
                "cctv.dashboard.auth.password", PASSWORD,
                "cctv.dashboard.auth.session-secret", SECRET,
                "quarkus.http.proxy.proxy-address-forwarding", "true",
                "quarkus.http.proxy.allow-x-forwarded", "true");
    }
}
