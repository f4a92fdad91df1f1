package io.github.cctv.dashboard.domain.auth;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * A user of the dashboard as kept in the users bucket. {@code passwordHash} is a bcrypt hash ({@link Passwords}),
 * never a password. {@code stamp} changes whenever the user is disabled, enabled, given a new password, another
 * role or other cameras: a session records the stamp it started with and ends when the stamp moves on.
 *
 * @param allCameras every camera, present and future; else only {@code cameras}
 */
public record User(String name, Role role, boolean enabled, String passwordHash, boolean allCameras,
                   Set<String> cameras, String stamp, Instant changedAt, String changedBy) {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");
    private static final SecureRandom RANDOM = new SecureRandom();

    public User {
        requireValidName(name);
        cameras = Set.copyOf(new TreeSet<>(cameras == null ? Set.of() : cameras));
    }

    /** Whether this user may see and watch {@code cameraId}. */
    public boolean mayWatch(String cameraId) {
        return allCameras || cameras.contains(cameraId);
    }

    /** The user's cameras, sorted (empty when {@link #allCameras}). */
    public List<String> cameraList() {
        return List.copyOf(new TreeSet<>(cameras));
    }

    /** A copy with a new stamp, changed now by {@code by}. */
    public User changed(Role role, boolean enabled, String passwordHash, boolean allCameras, Set<String> cameras,
                        Instant now, String by) {
        return new User(name, role, enabled, passwordHash, allCameras, cameras, newStamp(), now, by);
    }

    /** A user name: letters, digits, {@code _ . -}, starting with a letter or digit, at most 64, no {@code ..}. */
    public static String requireValidName(String name) {
        if (name == null || !NAME.matcher(name).matches() || name.contains("..") || name.endsWith(".")) {
            throw new IllegalArgumentException("a user name is 1 to 64 letters, digits, '_', '.' or '-', starting with "
                    + "a letter or digit");
        }
        return name;
    }

    public static boolean isValidName(String name) {
        try {
            requireValidName(name);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** A new random stamp. */
    public static String newStamp() {
        byte[] bytes = new byte[12];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    @Override
    public String toString() {
        // never the hash in a log line
        return "User[" + name + ", " + role.id() + (enabled ? "" : ", disabled") + "]";
    }
}
