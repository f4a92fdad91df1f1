package io.github.cctv.ingest.domain;

import io.github.cctv.protocol.CameraId;
import io.github.cctv.protocol.CameraToken;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Decides whether a camera's token lets it in. A camera has, in this order: its own token from the per-camera
 * list, or else the token derived from the camera secret ({@link CameraToken}), or else the shared token. A
 * camera for which none is configured is refused, unless running without authentication was chosen explicitly.
 * With nothing configured and no such choice, there is no valid configuration at all ({@link #CameraTokens}
 * throws), so that ingest never starts open by accident.
 */
public class CameraTokens {

    /** What a token check found. */
    public enum Verdict {
        /** The camera presented a token configured for it: it may also take its id back from an older session. */
        AUTHENTICATED,
        /** No token is configured for this camera and unauthenticated cameras are allowed: let in, proves nothing. */
        UNAUTHENTICATED,
        /** Wrong or missing token, or a camera that no configured token covers. */
        REFUSED
    }

    private final String secret;
    private final byte[] shared;
    private final Map<String, byte[]> perCamera;
    private final boolean allowUnauthenticated;

    /**
     * @param secret               the camera secret, from which each camera's own token is derived
     * @param sharedToken          one token any camera may present (weaker: one leak speaks for every camera)
     * @param cameraTokens         {@code cam1:secret1,cam2:secret2}
     * @param allowUnauthenticated let in cameras for which no token is configured
     * @throws IllegalArgumentException when nothing lets any camera in: no secret, no token, no opt-out
     */
    public CameraTokens(Optional<String> secret, Optional<String> sharedToken, Optional<String> cameraTokens,
                        boolean allowUnauthenticated) {
        this.secret = secret.filter(s -> !s.isEmpty()).orElse(null);
        this.shared = sharedToken.filter(t -> !t.isEmpty()).map(CameraTokens::digest).orElse(null);
        this.perCamera = parse(cameraTokens.orElse(""));
        this.allowUnauthenticated = allowUnauthenticated;
        if (this.secret == null && shared == null && perCamera.isEmpty() && !allowUnauthenticated) {
            throw new IllegalArgumentException("no camera authentication is configured, and ingest does not let cameras in "
                    + "without it: set cctv.ingest.camera-secret-file (a file holding the camera secret; each camera's token "
                    + "is derived from it, see docs/ingest.md), or cctv.ingest.camera-tokens, or cctv.ingest.token; "
                    + "or set cctv.ingest.allow-unauthenticated=true to let any camera in");
        }
    }

    /** Whether {@code token} lets {@code cameraId} in. Compares digests in constant time, so neither length nor content leaks. */
    public Verdict check(String cameraId, String token) {
        byte[] presented = digest(token == null ? "" : token);
        byte[] own = perCamera.get(cameraId);
        if (own != null) {
            // a listed camera's own token replaces every other way in, so that one camera's token can be changed alone
            return MessageDigest.isEqual(own, presented) ? Verdict.AUTHENTICATED : Verdict.REFUSED;
        }
        boolean configured = false;
        boolean match = false;
        if (secret != null) {
            configured = true;
            match = MessageDigest.isEqual(digest(CameraToken.derive(secret, cameraId)), presented);
        }
        if (shared != null) {
            configured = true;
            match |= MessageDigest.isEqual(shared, presented);
        }
        if (match) {
            return Verdict.AUTHENTICATED;
        }
        return !configured && allowUnauthenticated ? Verdict.UNAUTHENTICATED : Verdict.REFUSED;
    }

    /** One line for the start-up log: how cameras authenticate. Names no secret. */
    public String describe() {
        List<String> ways = new ArrayList<>();
        if (!perCamera.isEmpty()) {
            ways.add(perCamera.size() + " listed camera token(s)");
        }
        if (secret != null) {
            ways.add("tokens derived from the camera secret");
        }
        if (shared != null) {
            ways.add("a shared token");
        }
        String unlisted = secret != null || shared != null ? "" : allowUnauthenticated
                ? "; other cameras are let in without a token" : "; other cameras are refused";
        return ways.isEmpty() ? "none: every camera is let in without a token" : String.join(" + ", ways) + unlisted;
    }

    /** What is weaker than per-camera tokens in this configuration, one sentence each, for the start-up log at WARN. */
    public List<String> weaknesses() {
        List<String> w = new ArrayList<>();
        if (shared != null) {
            w.add("cctv.ingest.token is a shared camera token: whoever learns it can speak for any camera; "
                    + "prefer cctv.ingest.camera-secret-file, which gives every camera its own token");
        }
        if (allowUnauthenticated && secret == null && shared == null) {
            w.add("cctv.ingest.allow-unauthenticated=true: " + (perCamera.isEmpty() ? "any camera" : "any camera not in cctv.ingest.camera-tokens")
                    + " is let in without a token, and anyone who reaches the camera port can send pictures under its id");
        }
        if (allowUnauthenticated && (secret != null || shared != null)) {
            w.add("cctv.ingest.allow-unauthenticated=true has no effect: every camera has a token (camera secret or shared token)");
        }
        return w;
    }

    private static Map<String, byte[]> parse(String spec) {
        Map<String, byte[]> tokens = new HashMap<>();
        for (String entry : spec.split(",")) {
            String e = entry.strip();
            if (e.isEmpty()) {
                continue;
            }
            int colon = e.indexOf(':');
            if (colon <= 0 || colon == e.length() - 1) {
                // the value is a secret: name the position, never echo it
                throw new IllegalArgumentException("cctv.ingest.camera-tokens: entry " + (tokens.size() + 1)
                        + " is not of the form cameraId:token");
            }
            String id = CameraId.requireValid(e.substring(0, colon).strip());
            tokens.put(id, digest(e.substring(colon + 1)));
        }
        return Map.copyOf(tokens);
    }

    private static byte[] digest(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }
}
