package io.github.cctv.dashboard.endpoint;

import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.MultiMap;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

/**
 * The headers every answer of the dashboard carries (pages, API, proxy, errors, sign-in redirects), set when the
 * headers are written so that no route can leave them out: a Content Security Policy that runs only the
 * dashboard's own script files (no inline script, no {@code eval}) and lets only the dashboard's own pages frame it
 * (none), the same said to older browsers ({@code X-Frame-Options}), no type sniffing, referrers kept to this origin,
 * caching that never lets a shared cache keep what sits behind the sign-in, and over HTTPS, HSTS.
 */
@Singleton
public class SecurityHeaders {

    /** {@code connect-src 'self'} covers the live WebSocket: CSP 3 matches ws:/wss: of the page's own host and port. */
    static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; "
            + "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
    /** Sent over HTTPS only (browsers ignore it over HTTP): this host is HTTPS-only for a year. */
    static final String HSTS = "max-age=31536000";
    /** Pages, API answers, recordings, health, metrics: never stored by anyone. */
    static final String NO_STORE = "no-store";
    /**
     * Script and style files: no secret in them, so the browser may keep a copy, but must ask again each time
     * ({@code Last-Modified} makes that a 304) and no shared cache may keep one ({@code private}); never
     * {@code immutable}, since their names do not change between releases.
     */
    static final String ASSETS = "private, no-cache";

    /** Filters with a higher priority run earlier: this one first, so even a refusal carries the headers. */
    private static final int PRIORITY = 300;

    void register(@Observes Filters filters) {
        filters.register(this::filter, PRIORITY);
    }

    private void filter(RoutingContext ctx) {
        String path = ctx.normalizedPath();
        ctx.addHeadersEndHandler(v -> {
            MultiMap h = ctx.response().headers();
            h.set("Content-Security-Policy", CSP);
            h.set("X-Frame-Options", "DENY");
            h.set("X-Content-Type-Options", "nosniff");
            h.set("Referrer-Policy", "same-origin");
            h.set("Cross-Origin-Opener-Policy", "same-origin");
            h.set("Cross-Origin-Resource-Policy", "same-origin");
            if (AuthFilter.secure(ctx)) {
                // over HTTPS (here or at a TLS-terminating proxy): browsers keep to HTTPS for a year
                h.set("Strict-Transport-Security", HSTS);
            }
            int status = ctx.response().getStatusCode();
            boolean servedAsset = isAsset(path) && (status < 300 || status == 304); // a refusal is never kept
            h.set("Cache-Control", servedAsset ? ASSETS : NO_STORE);
            h.remove("Expires");
        });
        ctx.next();
    }

    /** A static script, style sheet or icon of the UI. */
    static boolean isAsset(String path) {
        return (path.startsWith("/js/") && path.endsWith(".js")) || (path.startsWith("/css/") && path.endsWith(".css"))
                || path.equals("/favicon.ico");
    }
}
