package io.github.cctv.protocol;

import java.util.regex.Pattern;

/**
 * Camera id rules. An id becomes a NATS subject token and a folder name, so anything
 * outside {@code [A-Za-z0-9_-]{1,64}} (a dot, a wildcard, a slash, "..") is refused at
 * every entry: wire, HTTP, WebSocket.
 */
public final class CameraId {

    /** Longest id accepted, in characters. */
    public static final int MAX_LENGTH = 64;

    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9_-]{1," + MAX_LENGTH + "}");

    private CameraId() {
    }

    public static boolean isValid(String id) {
        return id != null && VALID.matcher(id).matches();
    }

    /** Returns {@code id} unchanged, or throws with a message that says what is wrong with it. */
    public static String requireValid(String id) {
        if (id == null || id.isEmpty()) {
            throw new InvalidCameraIdException("camera id is empty");
        }
        if (id.length() > MAX_LENGTH) {
            throw new InvalidCameraIdException("camera id is " + id.length() + " characters long, at most "
                    + MAX_LENGTH + " are allowed");
        }
        if (!VALID.matcher(id).matches()) {
            throw new InvalidCameraIdException("camera id '" + printable(id)
                    + "' may only contain letters, digits, '_' and '-'");
        }
        return id;
    }

    private static String printable(String id) {
        StringBuilder sb = new StringBuilder();
        id.codePoints().limit(MAX_LENGTH).forEach(cp -> {
            if (cp >= 0x20 && cp < 0x7f) {
                sb.appendCodePoint(cp);
            } else {
                sb.append(String.format("\\u%04x", cp));
            }
        });
        return sb.toString();
    }

    /** A camera id that breaks the rules. */
    public static final class InvalidCameraIdException extends IllegalArgumentException {
        public InvalidCameraIdException(String message) {
            super(message);
        }
    }
}
