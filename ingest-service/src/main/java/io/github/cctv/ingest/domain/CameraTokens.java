package io.github.cctv.ingest.domain;

import io.github.cctv.protocol.CameraId;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Decides whether a camera's token is right: a camera named in the per-camera list must present its own
 * token, any other camera the shared token; with neither configured every camera is let in.
 */
public class CameraTokens {

    private final byte[] shared;
    private final Map<String, byte[]> perCamera;

    /** {@code cameraTokens}: {@code cam1:secret1,cam2:secret2}. */
    public CameraTokens(Optional<String> sharedToken, Optional<String> cameraTokens) {
        this.shared = sharedToken.filter(t -> !t.isEmpty()).map(CameraTokens::digest).orElse(null);
        this.perCamera = parse(cameraTokens.orElse(""));
    }

    /** True if {@code token} lets {@code cameraId} in. Compares digests in constant time, so neither length nor content leaks. */
    public boolean accepts(String cameraId, String token) {
        byte[] expected = perCamera.getOrDefault(cameraId, shared);
        if (expected == null) {
            return true;
        }
        return MessageDigest.isEqual(expected, digest(token == null ? "" : token));
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
