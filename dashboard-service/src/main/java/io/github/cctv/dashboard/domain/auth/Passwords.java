package io.github.cctv.dashboard.domain.auth;

import at.favre.lib.crypto.bcrypt.BCrypt;

import java.nio.charset.StandardCharsets;

/**
 * Password hashes: bcrypt ({@code at.favre.lib:bcrypt}) in Modular Crypt Format ({@code $2a$<cost>$<salt+hash>}),
 * salted per password. Checking an unknown user still runs one bcrypt comparison, so the time taken does not tell
 * which user names exist.
 */
public final class Passwords {

    /** bcrypt cost: 2^10 rounds, about a tenth of a second on a small machine. */
    public static final int COST = 10;
    /** Shortest password accepted for a new or reset password. */
    public static final int MIN_LENGTH = 8;
    /** Longest: bcrypt reads only the first 72 bytes, and this library refuses more rather than cut silently. */
    public static final int MAX_BYTES = 72;

    private static final String DUMMY = hash("not a password of anyone");

    private Passwords() {
    }

    /** The bcrypt hash of {@code password}. Slow on purpose: never on an event loop. */
    public static String hash(String password) {
        return BCrypt.withDefaults().hashToString(COST, password.toCharArray());
    }

    /** Whether {@code password} matches {@code hash}; a missing hash still costs one comparison. */
    public static boolean matches(String password, String hash) {
        String p = password == null ? "" : password;
        if (p.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
            p = p.substring(0, Math.min(p.length(), MAX_BYTES / 4)); // still one comparison; cannot match
            verify(p, hash == null || hash.isEmpty() ? DUMMY : hash);
            return false;
        }
        if (hash == null || hash.isEmpty()) {
            verify(p, DUMMY);
            return false;
        }
        return verify(p, hash);
    }

    private static boolean verify(String password, String hash) {
        try {
            return BCrypt.verifyer().verify(password.toCharArray(), hash).verified;
        } catch (RuntimeException e) {
            return false; // not a hash this library reads: no match
        }
    }

    /** A password fit to be set, or an {@link IllegalArgumentException} that says why not. */
    public static String requireAcceptable(String password) {
        if (password == null || password.length() < MIN_LENGTH) {
            throw new IllegalArgumentException("a password has at least " + MIN_LENGTH + " characters");
        }
        if (password.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
            throw new IllegalArgumentException("a password has at most " + MAX_BYTES + " bytes");
        }
        return password;
    }
}
