package io.github.cctv.recorder.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Who this recorder is among the recorders sharing the cameras: its id and the URL of its HTTP API.
 *
 * @param id  {@code cctv.recorder.instance-id}, or the host name and a short random suffix
 * @param url {@code cctv.recorder.advertised-url}, or {@code http://<host name>:<HTTP port>}
 */
public record RecorderIdentity(String id, String url) {

    private static final SecureRandom RANDOM = new SecureRandom();

    public RecorderIdentity {
        if (id == null || !id.matches("[A-Za-z0-9_-]{1,128}")) {
            throw new IllegalArgumentException("cctv.recorder.instance-id must be 1 to 128 letters, digits, _ or -: '"
                    + id + "'");
        }
    }

    /** From the configured values, with the defaults above for those not set. */
    public static RecorderIdentity of(Optional<String> id, Optional<String> url, int httpPort) {
        String host = hostName();
        String chosen = id.filter(s -> !s.isBlank()).map(String::trim).orElseGet(() ->
                host.replaceAll("[^A-Za-z0-9_-]", "-") + "-" + HexFormat.of().toHexDigits((short) RANDOM.nextInt()));
        String advertised = url.filter(s -> !s.isBlank()).map(String::trim)
                .orElse("http://" + host + ":" + httpPort);
        return new RecorderIdentity(chosen, advertised);
    }

    private static String hostName() {
        String env = System.getenv("HOSTNAME");
        if (env != null && !env.isBlank()) {
            return env.trim();
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "recorder";
        }
    }
}
