package io.github.cctv.ingest.config;

import io.github.cctv.protocol.CameraId;

import java.net.InetAddress;
import java.security.SecureRandom;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * This ingest instance's name among the instances on one NATS ({@code cctv.ingest.instance-id}): it keys the
 * instance's heartbeat in the claims bucket and names the owner of its registry entries, so it follows the camera-id
 * rules (it becomes part of a key). Unset, it is the host name (other characters turned into '-') and a random suffix.
 */
public record InstanceId(String value) {

    private static final Pattern OTHER = Pattern.compile("[^A-Za-z0-9_-]");

    public InstanceId {
        if (!CameraId.isValid(value)) {
            throw new IllegalArgumentException("cctv.ingest.instance-id must be 1-64 letters, digits, '-' or '_', got '"
                    + value + "'");
        }
    }

    /** The configured id, or the host name and a short random suffix. */
    public static InstanceId of(Optional<String> configured) {
        if (configured.isPresent() && !configured.get().isBlank()) {
            return new InstanceId(configured.get().trim());
        }
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            host = "ingest";
        }
        host = OTHER.matcher(host).replaceAll("-");
        if (host.length() > 55) {
            host = host.substring(0, 55);
        }
        String suffix = Integer.toString(new SecureRandom().nextInt(36 * 36 * 36 * 36 * 36), 36);
        return new InstanceId((host.isEmpty() ? "ingest" : host) + "-" + suffix);
    }

    @Override
    public String toString() {
        return value;
    }
}
