package io.github.cctv.dashboard.domain.auth;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;

/**
 * The dashboard's signed tokens. A session token signs {@code "s|" id "|" user "|" expiry} (expiry in epoch seconds,
 * {@code id} 128 random bits naming the session in the {@link SessionStore}); a device token, kept by a browser that
 * signed in here, signs {@code "d|" id "|" expiry}. The first field keeps one kind from passing for the other. A
 * valid signature says the token was made with this key; whether a session is still live is the store's business.
 */
public final class SessionTokens {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String SESSION = "s";
    private static final String DEVICE = "d";

    private final TokenSigner signer;
    private final Duration maxAge;
    private final Clock clock;

    public SessionTokens(byte[] key, Duration maxAge, Clock clock) {
        this.signer = new TokenSigner(key);
        this.maxAge = maxAge;
        this.clock = clock;
    }

    /** A new session of {@code user} that expires {@code maxAge} from now. */
    public Issued issue(String user) {
        Claims claims = new Claims(randomId(), user, Instant.ofEpochSecond(clock.instant().plus(maxAge).getEpochSecond()));
        return new Issued(sign(claims), claims);
    }

    /** The token of a session (tests, and anyone minting tokens with the shared key). */
    public String sign(Claims claims) {
        return signer.sign(SESSION + "|" + claims.id() + "|" + claims.user() + "|" + claims.expiresAt().getEpochSecond());
    }

    /** The session a token names, if its signature is right and it has not expired. */
    public Optional<Claims> verify(String token) {
        Optional<String> text = signer.verify(token);
        if (text.isEmpty() || !text.get().startsWith(SESSION + "|")) {
            return Optional.empty();
        }
        String rest = text.get().substring(SESSION.length() + 1);
        int first = rest.indexOf('|');
        int last = rest.lastIndexOf('|');
        if (first <= 0 || last <= first) {
            return Optional.empty();
        }
        Optional<Instant> expires = unexpired(rest.substring(last + 1));
        return expires.map(e -> new Claims(rest.substring(0, first), rest.substring(first + 1, last), e));
    }

    /** A device token that expires {@code deviceMaxAge} from now. */
    public String issueDevice(Duration deviceMaxAge) {
        return signer.sign(DEVICE + "|" + randomId() + "|" + clock.instant().plus(deviceMaxAge).getEpochSecond());
    }

    /** The device id of a device token, if it is signed with this key and unexpired. */
    public Optional<String> verifyDevice(String token) {
        Optional<String> text = signer.verify(token);
        if (text.isEmpty() || !text.get().startsWith(DEVICE + "|")) {
            return Optional.empty();
        }
        String rest = text.get().substring(DEVICE.length() + 1);
        int bar = rest.indexOf('|');
        if (bar <= 0 || bar != rest.lastIndexOf('|')) {
            return Optional.empty();
        }
        return unexpired(rest.substring(bar + 1)).map(e -> rest.substring(0, bar));
    }

    /** A keyed fingerprint of {@code text} for logs (see {@link TokenSigner#tag}). */
    public String tag(String text) {
        return signer.tag(text);
    }

    public Duration maxAge() {
        return maxAge;
    }

    private Optional<Instant> unexpired(String epochSeconds) {
        long expires;
        try {
            expires = Long.parseLong(epochSeconds);
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        return clock.instant().getEpochSecond() >= expires ? Optional.empty() : Optional.of(Instant.ofEpochSecond(expires));
    }

    private static String randomId() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** What a session token says: which session, whose, until when. */
    public record Claims(String id, String user, Instant expiresAt) {
    }

    /** A new session's token and claims. */
    public record Issued(String token, Claims claims) {
        public Instant expiresAt() {
            return claims.expiresAt();
        }
    }
}
