package io.github.cctv.dashboard.domain.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Session tokens for the sign-in cookie: {@code base64url(user|expiry) "." base64url(HMAC-SHA256(key, user|expiry))},
 * expiry in epoch seconds. Nothing is stored on the server, so any dashboard holding the same key accepts the token.
 */
public final class SessionTokens {

    private static final String HMAC = "HmacSHA256";
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64_DECODE = Base64.getUrlDecoder();

    private final SecretKeySpec key;
    private final Duration maxAge;
    private final Clock clock;

    public SessionTokens(byte[] key, Duration maxAge, Clock clock) {
        if (key.length == 0) {
            throw new IllegalArgumentException("the session key is empty");
        }
        this.key = new SecretKeySpec(key.clone(), HMAC);
        this.maxAge = maxAge;
        this.clock = clock;
    }

    /** A token for {@code user} that expires {@code maxAge} from now. */
    public Issued issue(String user) {
        Instant expiresAt = clock.instant().plus(maxAge);
        return new Issued(sign(user, expiresAt.getEpochSecond()), expiresAt);
    }

    /** The same as {@link #issue} with a chosen expiry (tests, and anyone minting tokens with the shared key). */
    public String sign(String user, long expiresEpochSecond) {
        byte[] payload = (user + "|" + expiresEpochSecond).getBytes(StandardCharsets.UTF_8);
        return B64.encodeToString(payload) + "." + B64.encodeToString(mac(payload));
    }

    /** The user a token was issued to, if its signature is right and it has not expired. */
    public Optional<String> verify(String token) {
        if (token == null || token.length() > 1024) {
            return Optional.empty();
        }
        int dot = token.indexOf('.');
        if (dot <= 0 || dot != token.lastIndexOf('.')) {
            return Optional.empty();
        }
        byte[] payload;
        try {
            payload = B64_DECODE.decode(token.substring(0, dot));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        // compare the encoded forms: base64 has several spellings of the same bytes (the unused low bits of the
        // last character), and only the one this dashboard issues is accepted
        byte[] expected = (B64.encodeToString(payload) + "." + B64.encodeToString(mac(payload))).getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(expected, token.getBytes(StandardCharsets.US_ASCII))) {
            return Optional.empty();
        }
        String text = new String(payload, StandardCharsets.UTF_8);
        int bar = text.lastIndexOf('|');
        if (bar <= 0) {
            return Optional.empty();
        }
        long expires;
        try {
            expires = Long.parseLong(text.substring(bar + 1));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        if (clock.instant().getEpochSecond() >= expires) {
            return Optional.empty();
        }
        return Optional.of(text.substring(0, bar));
    }

    public Duration maxAge() {
        return maxAge;
    }

    private byte[] mac(byte[] payload) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(key);
            return mac.doFinal(payload);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is part of every JDK", e);
        }
    }

    /** A signed token and when it stops being accepted. */
    public record Issued(String token, Instant expiresAt) {
    }
}
