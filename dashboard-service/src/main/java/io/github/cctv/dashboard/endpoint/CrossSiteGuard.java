package io.github.cctv.dashboard.endpoint;

import io.github.cctv.dashboard.config.DashboardConfig;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.HostAndPort;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.util.Locale;
import java.util.Set;

/**
 * Keeps other pages from acting with a signed-in browser's credentials: every state-changing request (anything but
 * GET, HEAD and OPTIONS; sign-in and sign-out included) and the live WebSocket handshake must come from an allowed
 * origin ({@link Origins}), else 403 before anything else runs; and the JSON API takes only bodies declared
 * {@code application/json} (415 otherwise), so that a form or a typeless {@code fetch} can never pass for JSON; a
 * DELETE without a body needs no type.
 * Runs before {@link AuthFilter}, so a refused request is never counted as a failed sign-in.
 */
@Singleton
public class CrossSiteGuard {

    /** Filters with a higher priority run earlier: after {@link SecurityHeaders}, before {@link AuthFilter}. */
    static final int PRIORITY = 200;

    private static final Logger LOG = Logger.getLogger(CrossSiteGuard.class);
    private static final Set<HttpMethod> SAFE = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS);
    /** Routes that take HTML forms as well as JSON (the sign-in page works without JavaScript) or no body at all. */
    private static final Set<String> FORM_ROUTES = Set.of("/api/login", "/api/logout");

    private final Origins origins;

    public CrossSiteGuard(DashboardConfig config) {
        this.origins = new Origins(config.allowedOrigins());
    }

    void register(@Observes Filters filters) {
        filters.register(this::filter, PRIORITY);
    }

    private void filter(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        boolean changing = !SAFE.contains(request.method());
        boolean upgrade = "websocket".equalsIgnoreCase(request.getHeader(HttpHeaders.UPGRADE));
        if (!changing && !upgrade) {
            ctx.next();
            return;
        }
        Origins.Verdict verdict = origins.check(request.getHeader(HttpHeaders.ORIGIN), request.getHeader("Sec-Fetch-Site"),
                request.getHeader(HttpHeaders.REFERER), ownOrigin(ctx));
        if (!verdict.allowed()) {
            LOG.debugf("refused %s %s from %s: %s", request.method(), ctx.normalizedPath(), AuthFilter.clientAddress(ctx),
                    verdict.reason());
            ApiError.end(ctx, 403, verdict.reason());
            return;
        }
        String path = ctx.normalizedPath();
        if (changing && path.startsWith("/api/") && !FORM_ROUTES.contains(path)
                && !bodilessDelete(request)
                && !isJson(request.getHeader(HttpHeaders.CONTENT_TYPE))) {
            ApiError.end(ctx, 415, "send the body as JSON with Content-Type: application/json");
            return;
        }
        ctx.next();
    }

    /** A DELETE that carries nothing to be read as JSON (no length, or length 0, and not chunked). */
    static boolean bodilessDelete(HttpServerRequest request) {
        if (request.method() != HttpMethod.DELETE || request.getHeader(HttpHeaders.TRANSFER_ENCODING) != null) {
            return false;
        }
        String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        return length == null || length.trim().equals("0");
    }

    /** Whether a {@code Content-Type} is {@code application/json}, parameters (charset) aside. */
    static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        int semicolon = contentType.indexOf(';');
        String type = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim();
        return type.toLowerCase(Locale.ROOT).equals("application/json");
    }

    /** The dashboard's origin as the browser addressed it: the scheme it used and the {@code Host} it sent. */
    static String ownOrigin(RoutingContext ctx) {
        HostAndPort authority = ctx.request().authority();
        if (authority == null || authority.host() == null || authority.host().isEmpty()) {
            return null;
        }
        String host = authority.host();
        if (host.indexOf(':') >= 0 && !host.startsWith("[")) {
            host = "[" + host + "]"; // an IPv6 literal
        }
        return (AuthFilter.secure(ctx) ? "https" : "http") + "://" + host
                + (authority.port() > 0 ? ":" + authority.port() : "");
    }
}
