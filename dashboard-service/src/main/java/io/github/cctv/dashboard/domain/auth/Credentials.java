package io.github.cctv.dashboard.domain.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** The one user name and password of the dashboard, compared in constant time. */
public final class Credentials {

    private final byte[] username;
    private final byte[] password;

    public Credentials(String username, String password) {
        this.username = sha256(username);
        this.password = sha256(password);
    }

    /**
     * Whether both match. Digests make the inputs the same length, {@link MessageDigest#isEqual} does not stop at
     * the first difference, and both comparisons always run: the time taken says nothing about either.
     */
    public boolean matches(String user, String pass) {
        boolean userOk = MessageDigest.isEqual(username, sha256(user == null ? "" : user));
        boolean passOk = MessageDigest.isEqual(password, sha256(pass == null ? "" : pass));
        return userOk & passOk;
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
