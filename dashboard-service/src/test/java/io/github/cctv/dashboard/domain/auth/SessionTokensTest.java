package io.github.cctv.dashboard.domain.auth;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;

class SessionTokensTest {

    private static final byte[] KEY = "a key of thirty-two bytes or so..".getBytes(StandardCharsets.UTF_8);
    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    @Test
    void aTokenNamesItsSessionAndUserUntilItExpires() {
        SessionTokens.Issued issued = tokens(T0).issue("admin");
        assertThat(issued.expiresAt()).isEqualTo(T0.plus(Duration.ofHours(12)));
        assertThat(issued.claims().id()).matches("[A-Za-z0-9_-]{22}");
        assertThat(tokens(T0).verify(issued.token())).contains(issued.claims());
        assertThat(tokens(T0.plus(Duration.ofHours(12)).minusSeconds(1)).verify(issued.token())).contains(issued.claims());
        assertThat(tokens(T0.plus(Duration.ofHours(12))).verify(issued.token())).isEmpty();
        assertThat(tokens(T0).issue("admin").claims().id()).isNotEqualTo(issued.claims().id());
    }

    @Test
    void theSignedTextIsKindIdUserExpiry() {
        SessionTokens.Issued issued = tokens(T0).issue("ad|min");
        String token = issued.token();
        String payload = new String(Base64.getUrlDecoder().decode(token.substring(0, token.indexOf('.'))),
                StandardCharsets.UTF_8);
        assertThat(payload).isEqualTo("s|" + issued.claims().id() + "|ad|min|" + T0.plus(Duration.ofHours(12)).getEpochSecond());
        assertThat(tokens(T0).verify(token).map(SessionTokens.Claims::user)).contains("ad|min");
    }

    @Test
    void refusesTamperedForeignAndMalformedTokens() {
        SessionTokens.Issued issued = tokens(T0).issue("admin");
        String token = issued.token();
        int dot = token.indexOf('.');
        String longer = Base64.getUrlEncoder().withoutPadding().encodeToString(
                ("s|" + issued.claims().id() + "|admin|" + T0.plus(Duration.ofDays(365)).getEpochSecond())
                        .getBytes(StandardCharsets.UTF_8));
        SessionTokens other = new SessionTokens("another key".getBytes(StandardCharsets.UTF_8), Duration.ofHours(12),
                Clock.fixed(T0, ZoneOffset.UTC));

        assertThat(tokens(T0).verify(longer + token.substring(dot))).isEmpty();
        assertThat(tokens(T0).verify(other.issue("admin").token())).isEmpty();
        assertThat(tokens(T0).verify(token + "x")).isEmpty();
        for (String bad : new String[]{null, "", ".", "abc", "a.b.c", "%%%.%%%", token.substring(0, dot),
                "x".repeat(5000)}) {
            assertThat(tokens(T0).verify(bad)).as(String.valueOf(bad)).isEmpty();
        }
    }

    @Test
    void aDeviceTokenNeverPassesForASessionNorTheOtherWayRound() {
        String device = tokens(T0).issueDevice(Duration.ofDays(90));
        String session = tokens(T0).issue("admin").token();
        assertThat(tokens(T0).verifyDevice(device)).isPresent();
        assertThat(tokens(T0.plus(Duration.ofDays(90))).verifyDevice(device)).isEmpty();
        assertThat(tokens(T0).verify(device)).isEmpty();
        assertThat(tokens(T0).verifyDevice(session)).isEmpty();
    }

    @Test
    void acceptsOnlyTheExactTokenNotAnotherSpellingOfItsSignature() {
        String token = tokens(T0).issue("admin").token();
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        // the last base64 character of a 32-byte signature carries unused bits: other letters decode the same
        for (char c : alphabet.toCharArray()) {
            String variant = token.substring(0, token.length() - 1) + c;
            if (!variant.equals(token)) {
                assertThat(tokens(T0).verify(variant)).as(variant).isEmpty();
            }
        }
        assertThat(tokens(T0).verify(token)).isPresent();
    }

    private static SessionTokens tokens(Instant now) {
        return new SessionTokens(KEY, Duration.ofHours(12), Clock.fixed(now, ZoneOffset.UTC));
    }
}
