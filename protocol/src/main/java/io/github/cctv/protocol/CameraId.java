package io.github.cctv.protocol;

/**
 * Camera id rules. An id becomes a NATS subject token and a folder name, so anything
 * outside {@code [A-Za-z0-9_-]{1,64}} (a dot, a wildcard, a slash, "..") is refused at
 * every entry: wire, HTTP, WebSocket.
 */
public final class CameraId {

    /** Longest id accepted, in characters. */
    public static final int MAX_LENGTH = 64;

    private CameraId() {
    }

    /** Checked for every frame a subject is built for, so a plain loop rather than a regular expression. */
    public static boolean isValid(String id) {
        if (id == null || id.isEmpty() || id.length() > MAX_LENGTH) {
            return false;
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
            if (!ok) {
                return false;
            }
        }
        return true;
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
        if (!isValid(id)) {
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
