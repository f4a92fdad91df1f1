package io.github.cctv.nats.http;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;

/**
 * The credential of the internal HTTP APIs: a caller sends {@code Authorization: Bearer <token>}; the service compares
 * it with its own in constant time (SHA-256 of both, compared with {@link MessageDigest#isEqual}, so that neither the
 * content nor the length of the token leaks through timing).
 */
public final class ServiceToken {

    /** The request header the token travels in. */
    public static final String HEADER = "Authorization";
    /** Shortest token accepted: a guessable token is no credential. */
    public static final int MIN_LENGTH = 16;

    private static final String SCHEME = "Bearer ";

    private final String token;
    private final byte[] digest;

    private ServiceToken(String token) {
        if (token.length() < MIN_LENGTH) {
            throw new IllegalStateException("the service token (cctv.http.service-token) must be at least " + MIN_LENGTH
                    + " characters, it has " + token.length());
        }
        if (!token.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw new IllegalStateException("the service token (cctv.http.service-token) must be printable ASCII without spaces");
        }
        this.token = token;
        this.digest = sha256(token);
    }

    /** The token given by {@code config}: its file's content if a file is given, else the value; empty if neither. */
    public static Optional<ServiceToken> from(ServiceTokenConfig config) {
        return from(config.serviceTokenFile(), config.serviceToken());
    }

    static Optional<ServiceToken> from(Optional<Path> file, Optional<String> value) {
        if (file.isPresent()) {
            try {
                String content = Files.readString(file.get()).strip();
                if (content.isEmpty()) {
                    throw new IllegalStateException("cctv.http.service-token-file " + file.get() + " is empty");
                }
                return Optional.of(new ServiceToken(content));
            } catch (IOException e) {
                throw new IllegalStateException("cannot read cctv.http.service-token-file " + file.get() + ": " + e, e);
            }
        }
        return value.map(String::strip).filter(v -> !v.isEmpty()).map(ServiceToken::new);
    }

    /** A token with this value (tests). */
    public static ServiceToken of(String value) {
        return new ServiceToken(value);
    }

    /** The value of the {@link #HEADER} header a caller sends. */
    public String header() {
        return SCHEME + token;
    }

    /** True when {@code authorization} (the request's {@link #HEADER} header, may be null) carries this token. */
    public boolean admits(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
            return false;
        }
        return MessageDigest.isEqual(digest, sha256(authorization.substring(SCHEME.length()).strip()));
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    @Override
    public String toString() {
        return "ServiceToken[****]";
    }
}
