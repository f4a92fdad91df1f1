package io.github.cctv.dashboard.domain.recorders;

import java.net.URI;

/**
 * One recorder's HTTP API: its id (as it announces itself) and base URL, without a trailing slash.
 *
 * @param id   the recorder's id; {@link Recorders#CONFIGURED} for the one of {@code cctv.dashboard.recorder-url}
 * @param base {@code http://host:port}, or with a path prefix
 */
public record Recorder(String id, URI base) {

    /** A recorder at {@code url} (an absolute http or https URL; a trailing slash is dropped). */
    public static Recorder of(String id, String url) {
        String trimmed = url.strip();
        if (trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        URI base = URI.create(trimmed);
        if (!"http".equals(base.getScheme()) && !"https".equals(base.getScheme()) || base.getHost() == null) {
            throw new IllegalArgumentException("recorder " + id + ": not an http(s) URL: " + url);
        }
        return new Recorder(id, base);
    }

    /** The port of {@link #base}, the scheme's default when it names none. */
    public int port() {
        return base.getPort() != -1 ? base.getPort() : https() ? 443 : 80;
    }

    public boolean https() {
        return "https".equals(base.getScheme());
    }
}
