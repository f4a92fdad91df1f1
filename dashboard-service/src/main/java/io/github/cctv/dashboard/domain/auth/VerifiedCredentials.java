package io.github.cctv.dashboard.domain.auth;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * User names and passwords that bcrypt said yes to lately, so that a script sending HTTP Basic on every request
 * (a wall display's snapshot poller, {@code curl -u} in a loop) costs one bcrypt comparison per user and not one per
 * request. Kept only as an HMAC of name and password under a key made at start-up (never the password), and only
 * while the user is what it was: enabled, the same password hash and the same stamp (any change of password, role,
 * cameras or state gives a new stamp, so the next request is checked by bcrypt again). Bounded in size and age.
 */
final class VerifiedCredentials {

    /** How many pairs are kept; the least recently used goes first. */
    static final int MAX_ENTRIES = 1024;
    /** How long a pair is believed without bcrypt. */
    static final Duration MAX_AGE = Duration.ofMinutes(10);

    private record Verified(String passwordHash, String stamp, Instant until) {
    }

    private final Clock clock;
    private final SecretKeySpec key;
    private final Map<String, Verified> verified = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Verified> eldest) {
            return size() > MAX_ENTRIES;
        }
    };

    VerifiedCredentials(Clock clock) {
        this.clock = clock;
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        this.key = new SecretKeySpec(secret, "HmacSHA256");
    }

    /** {@code current}, when this name and password were verified for it lately and it has not changed since. */
    Optional<User> recall(String name, String password, Optional<User> current) {
        if (name == null || password == null) {
            return Optional.empty();
        }
        String id = id(name, password);
        synchronized (verified) {
            Verified v = verified.get(id);
            if (v == null) {
                return Optional.empty();
            }
            boolean same = current.isPresent() && current.get().enabled()
                    && v.passwordHash().equals(current.get().passwordHash()) && v.stamp().equals(current.get().stamp())
                    && clock.instant().isBefore(v.until());
            if (!same) {
                verified.remove(id);
                return Optional.empty();
            }
            return current;
        }
    }

    /** Remembers that bcrypt verified {@code password} for {@code user}. */
    void remember(String password, User user) {
        String id = id(user.name(), password);
        synchronized (verified) {
            verified.put(id, new Verified(user.passwordHash(), user.stamp(), clock.instant().plus(MAX_AGE)));
        }
    }

    int size() {
        synchronized (verified) {
            return verified.size();
        }
    }

    private String id(String name, String password) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            mac.update(name.getBytes(StandardCharsets.UTF_8));
            mac.update((byte) 0);
            return Base64.getEncoder().encodeToString(mac.doFinal(password.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this Java", e);
        }
    }
}
