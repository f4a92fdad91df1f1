package io.github.cctv.dashboard.domain.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** {@code base64url(text) "." base64url(HMAC-SHA256(key, text))}: the signed form of the dashboard's cookies. */
final class TokenSigner {

    private static final String HMAC = "HmacSHA256";
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64_DECODE = Base64.getUrlDecoder();
    /** Longer tokens are refused unread. */
    private static final int MAX_TOKEN = 1024;

    private final SecretKeySpec key;

    TokenSigner(byte[] key) {
        if (key.length == 0) {
            throw new IllegalArgumentException("the session key is empty");
        }
        this.key = new SecretKeySpec(key.clone(), HMAC);
    }

    String sign(String text) {
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        return B64.encodeToString(payload) + "." + B64.encodeToString(mac(payload));
    }

    /** The signed text, if the signature is this key's. */
    Optional<String> verify(String token) {
        if (token == null || token.length() > MAX_TOKEN) {
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
        byte[] expected = (B64.encodeToString(payload) + "." + B64.encodeToString(mac(payload)))
                .getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(expected, token.getBytes(StandardCharsets.US_ASCII))) {
            return Optional.empty();
        }
        return Optional.of(new String(payload, StandardCharsets.UTF_8));
    }

    /** A short keyed fingerprint of {@code text}: the same text gives the same tag, which says nothing of it without the key. */
    String tag(String text) {
        byte[] mac = mac(("tag|" + text).getBytes(StandardCharsets.UTF_8));
        StringBuilder hex = new StringBuilder();
        for (int i = 0; i < 4; i++) {
            hex.append(String.format("%02x", mac[i]));
        }
        return hex.toString();
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
}
