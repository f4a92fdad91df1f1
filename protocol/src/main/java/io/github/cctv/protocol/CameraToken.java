package io.github.cctv.protocol;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;

/**
 * A camera's own token, derived from the operator's camera secret so that the server keeps one secret and a
 * leaked token speaks for one camera only: {@code base64url(HMAC-SHA256(secret, "cctv-camera:" + cameraId))}
 * without padding (43 characters). An installer computes the same with OpenSSL:
 *
 * <pre>
 * printf 'cctv-camera:%s' "$ID" | openssl dgst -sha256 -hmac "$SECRET" -binary | openssl base64 -A | tr '+/' '-_' | tr -d '='
 * </pre>
 */
public final class CameraToken {

    /** What precedes the camera id in the HMAC input, so the secret's MACs mean nothing anywhere else. */
    public static final String CONTEXT = "cctv-camera:";

    private CameraToken() {
    }

    /** The token of {@code cameraId} under {@code secret} (the secret's UTF-8 bytes are the HMAC key). */
    public static String derive(String secret, String cameraId) {
        if (secret == null || secret.isEmpty()) {
            throw new IllegalArgumentException("camera secret is empty");
        }
        CameraId.requireValid(cameraId);
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] tag = mac.doFinal((CONTEXT + cameraId).getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(tag);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JRE", e);
        }
    }
}
