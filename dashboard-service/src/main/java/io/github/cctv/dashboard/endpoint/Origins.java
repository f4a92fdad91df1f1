package io.github.cctv.dashboard.endpoint;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Which pages may send the dashboard a state-changing request or open its live WebSocket. A browser says where a
 * request comes from in {@code Origin} (every modern browser on every non-GET request and every WebSocket
 * handshake), else in {@code Sec-Fetch-Site} or {@code Referer}; a request with none of the three does not come
 * from a page in a browser (curl, scripts, the JDK client) and is let through: a cross-site attacker can only make
 * the victim's browser send requests, and browsers always say where those come from.
 */
final class Origins {

    /** The verdict on one request: allowed, or refused with the reason told to the client. */
    record Verdict(boolean allowed, String reason) {
        static final Verdict ALLOWED = new Verdict(true, null);

        static Verdict refused(String reason) {
            return new Verdict(false, reason);
        }
    }

    private final Optional<Set<String>> configured;

    /** {@code allowed}: the configured origins; empty: only the dashboard's own origin. */
    Origins(Optional<List<String>> allowed) {
        this.configured = allowed.map(list -> {
            Set<String> set = new LinkedHashSet<>();
            for (String o : list) {
                String trimmed = o.trim().replaceAll("/+$", "");
                if (trimmed.isEmpty()) {
                    continue;
                }
                set.add(normalize(trimmed).orElseThrow(() -> new IllegalArgumentException(
                        "cctv.dashboard.allowed-origins: '" + trimmed + "' is not an origin like https://cctv.example.com"
                                + " or http://192.168.1.10:8080")));
            }
            return Set.copyOf(set);
        });
    }

    /**
     * Decides from the request's {@code Origin}, {@code Sec-Fetch-Site} and {@code Referer} headers (each may be
     * null); {@code own} is the dashboard's origin as the browser sees it ({@code scheme://Host}).
     */
    Verdict check(String origin, String secFetchSite, String referer, String own) {
        if (origin != null) {
            return allowed(origin, own) ? Verdict.ALLOWED
                    : Verdict.refused("cross-origin request refused: Origin " + printable(origin) + " is not allowed"
                    + " (the dashboard accepts state-changing requests and the live WebSocket only from its own pages;"
                    + " behind a proxy that changes the host name, set cctv.dashboard.allowed-origins)");
        }
        if (secFetchSite != null) {
            return "same-origin".equalsIgnoreCase(secFetchSite.trim()) ? Verdict.ALLOWED
                    : Verdict.refused("cross-origin request refused: Sec-Fetch-Site " + printable(secFetchSite));
        }
        if (referer != null) {
            Optional<String> from = originOf(referer);
            return from.isPresent() && allowed(from.get(), own) ? Verdict.ALLOWED
                    : Verdict.refused("cross-origin request refused: it comes from a page that is not the dashboard's");
        }
        return Verdict.ALLOWED;
    }

    private boolean allowed(String origin, String own) {
        Optional<String> o = normalize(origin);
        if (o.isEmpty()) {
            return false; // "null" (sandboxed frames, file://, privacy redirects) and anything unreadable
        }
        if (configured.isPresent()) {
            return configured.get().contains(o.get());
        }
        return own != null && normalize(own).equals(o);
    }

    /** {@code scheme://host[:port]} in lower case without a default port, or empty if it is not an http(s) origin. */
    static Optional<String> normalize(String origin) {
        try {
            URI uri = new URI(origin);
            if (uri.getRawPath() != null && !uri.getRawPath().isEmpty() || uri.getRawQuery() != null
                    || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
                return Optional.empty();
            }
            return build(uri);
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
    }

    /** The origin of a URL ({@code Referer}), or empty. */
    static Optional<String> originOf(String url) {
        try {
            return build(new URI(url));
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
    }

    private static Optional<String> build(URI uri) {
        String scheme = uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT);
        String host = uri.getHost();
        if (!("http".equals(scheme) || "https".equals(scheme)) || host == null || host.isEmpty()) {
            return Optional.empty();
        }
        int port = uri.getPort();
        boolean defaultPort = port == -1 || ("http".equals(scheme) && port == 80) || ("https".equals(scheme) && port == 443);
        return Optional.of(scheme + "://" + host.toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port));
    }

    private static String printable(String s) {
        String cut = s.length() > 100 ? s.substring(0, 100) + "…" : s;
        return "'" + cut.replaceAll("\\p{Cntrl}", "?") + "'";
    }
}
