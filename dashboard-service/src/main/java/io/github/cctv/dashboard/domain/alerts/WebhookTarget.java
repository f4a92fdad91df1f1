package io.github.cctv.dashboard.domain.alerts;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One configured webhook: where to post, and which event types it wants (empty = every event).
 *
 * <p>Configured as {@code URL} or {@code URL#type+type}: the fragment, never sent over HTTP anyway, names the event
 * types, e.g. {@code https://ha.local/api/webhook/cctv#connected+disconnected}.
 *
 * @param url   http or https URL, without the fragment
 * @param types event types delivered ({@code connected}, {@code disconnected}, …); empty for all
 */
public record WebhookTarget(URI url, Set<String> types) {

    private static final Pattern TYPE = Pattern.compile("[a-z0-9-]{1,64}");

    public WebhookTarget {
        types = Set.copyOf(types);
    }

    /** Whether events of {@code type} go to this target. */
    public boolean accepts(String type) {
        return types.isEmpty() || types.contains(type);
    }

    /**
     * A short stable name for this target (hex of a hash of its URL and filter): names its durable consumer and its
     * metrics without showing the URL, whose path often is a secret (Home Assistant's webhook ids).
     */
    public String id() {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256")
                    .digest((url + "#" + String.join("+", types.stream().sorted().toList())).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The URL as it may be logged: scheme, host and port, the path hidden. */
    public String display() {
        return url.getScheme() + "://" + url.getAuthority() + (url.getRawPath() == null || url.getRawPath().isEmpty() ? "" : "/…");
    }

    /** Parses one configured entry; {@link IllegalArgumentException} with the reason for anything else. */
    public static WebhookTarget parse(String entry) {
        String s = entry == null ? "" : entry.strip();
        if (s.isEmpty()) {
            throw new IllegalArgumentException("empty webhook URL");
        }
        int hash = s.indexOf('#');
        String address = hash < 0 ? s : s.substring(0, hash);
        Set<String> types = new LinkedHashSet<>();
        if (hash >= 0) {
            for (String t : s.substring(hash + 1).split("\\+", -1)) {
                if (!TYPE.matcher(t).matches()) {
                    throw new IllegalArgumentException("webhook '" + redact(address) + "': '" + t
                            + "' is not an event type (lower-case letters, digits and '-', joined by '+')");
                }
                types.add(t);
            }
        }
        URI uri;
        try {
            uri = new URI(address);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("webhook URL is malformed: " + e.getMessage());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
            throw new IllegalArgumentException("webhook URL must be http:// or https:// with a host, not '" + redact(address) + "'");
        }
        if (uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException("webhook URL must not carry user:password ('" + redact(address) + "')");
        }
        return new WebhookTarget(uri, types);
    }

    /** Every entry of the configured list, in order; the first bad one fails with its reason. Duplicates are one target. */
    public static List<WebhookTarget> parseAll(List<String> entries) {
        List<WebhookTarget> out = new ArrayList<>();
        for (String e : entries) {
            if (e == null || e.isBlank()) {
                continue;
            }
            WebhookTarget t = parse(e);
            if (!out.contains(t)) {
                out.add(t);
            }
        }
        return out;
    }

    private static String redact(String address) {
        int q = address.indexOf("://");
        int path = q < 0 ? -1 : address.indexOf('/', q + 3);
        return path < 0 ? address : address.substring(0, path) + "/…";
    }
}
