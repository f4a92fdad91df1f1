package io.github.cctv.dashboard.endpoint;

import io.github.cctv.dashboard.domain.audit.Audit;
import io.github.cctv.dashboard.domain.audit.AuditEvent;
import io.github.cctv.dashboard.domain.auth.Principal;
import io.github.cctv.dashboard.domain.auth.Role;
import io.github.cctv.dashboard.domain.auth.SignIn;
import io.github.cctv.dashboard.domain.auth.User;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The gate in front of everything the dashboard serves (pages, API, recordings proxy, live WebSocket upgrade,
 * {@code /q/metrics}, {@code /q/openapi}): a valid session cookie or an HTTP Basic header with a user's name and
 * password, else a redirect to the sign-in page (pages) or a 401 (everything else); then the {@link AccessRules} of
 * the user's role and cameras, else a 403. Health is open, but only a signed-in caller sees its details; everyone
 * else gets the bare status. A Vert.x filter, so that it runs before every route, static files and the WebSocket
 * upgrade included. With sign-in off, everybody is {@link Principal#ANYONE}.
 */
@Singleton
public class AuthFilter {

    static final String COOKIE = "cctv_session";
    static final String LOGIN_PAGE = "/login.html";
    /** Key of the signed-in user name in the routing context. */
    static final String USER = "cctv.user";
    /** Key of the signed-in {@link Principal} in the routing context. */
    static final String PRINCIPAL = "cctv.principal";
    /** Nobody: what a route sees if it ever runs without the gate having said who is asking. */
    private static final Principal NOBODY = new Principal(null, Role.VIEWER, false, Set.of());

    private static final Logger LOG = Logger.getLogger(AuthFilter.class);
    /** Filters with a higher priority run earlier; this one runs before every route. */
    private static final int PRIORITY = 100;
    /** What a browser may fetch before signing in: the sign-in page, its assets and the sign-in API. */
    private static final Set<String> OPEN = Set.of(LOGIN_PAGE, "/css/app.css", "/js/login.js", "/favicon.ico",
            "/api/login", "/api/logout");

    private final SignIn signIn;
    private final PublicHealth health;
    private final Audit audit;
    private final Clock clock;

    public AuthFilter(SignIn signIn, PublicHealth health, Audit audit, Clock clock) {
        this.signIn = signIn;
        this.health = health;
        this.audit = audit;
        this.clock = clock;
    }

    void register(@Observes Filters filters) {
        if (signIn.enabled()) {
            filters.register(this::filter, PRIORITY);
        } else {
            filters.register(ctx -> {
                ctx.put(PRINCIPAL, Principal.ANYONE);
                ctx.next();
            }, PRIORITY);
        }
    }

    /** Who is asking: set by the gate for every request past it. */
    static Principal principal(RoutingContext ctx) {
        Principal p = ctx.get(PRINCIPAL);
        return p == null ? NOBODY : p;
    }

    /** Lets the request on if {@code who} may make it, else answers 403. */
    private static void admit(RoutingContext ctx, Principal who) {
        ctx.put(PRINCIPAL, who);
        ctx.put(USER, who.name());
        Optional<String> refused = AccessRules.refusal(who, ctx.request().method(), ctx.normalizedPath());
        if (refused.isPresent()) {
            ApiError.end(ctx, 403, refused.get());
            return;
        }
        ctx.next();
    }

    private void filter(RoutingContext ctx) {
        String path = ctx.normalizedPath();
        if (OPEN.contains(path)) {
            ctx.next();
            return;
        }
        String authorization = ctx.request().getHeader("Authorization");
        if (authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            basic(ctx, authorization.substring(6).trim());
            return;
        }
        Cookie cookie = ctx.request().getCookie(COOKIE);
        SignIn.SessionCheck session = cookie == null ? null : signIn.checkSession(cookie.getValue());
        if (session != null && session.status() == SignIn.SessionCheck.Status.VALID) {
            admit(ctx, session.principal());
            return;
        }
        if (PublicHealth.covers(path)) {
            health.answer(ctx, path);
            return;
        }
        if (session != null && session.status() == SignIn.SessionCheck.Status.PENDING) {
            ctx.response().putHeader("Retry-After", "1");
            ApiError.end(ctx, 503, "this dashboard is still reading the sign-in sessions and users from NATS; try again "
                    + "in a moment");
            return;
        }
        deny(ctx, path);
    }

    /**
     * Scripts: {@code curl -u user:password}. Failures count against the address like failed sign-ins. bcrypt is slow
     * on purpose: the check runs off the event loop, the request paused meanwhile; a name and password it verified
     * lately for an unchanged user are let through at once ({@link SignIn#authenticatedLately}).
     */
    private void basic(RoutingContext ctx, String encoded) {
        String address = clientAddress(ctx);
        String key = signIn.throttleKey(null, address);
        Optional<Duration> wait = signIn.retryAfter(key);
        if (wait.isPresent()) {
            tooManyAttempts(ctx, wait.get());
            return;
        }
        String[] credentials = decodeBasic(encoded);
        String name = credentials[0];
        String pass = credentials[1];
        Optional<User> lately = signIn.authenticatedLately(name, pass);
        if (lately.isPresent()) {
            signIn.succeeded(key);
            admit(ctx, Principal.of(lately.get()));
            return;
        }
        ctx.request().pause();
        ctx.vertx().<Optional<User>>executeBlocking(() -> signIn.authenticate(name, pass), false).onComplete(r -> {
            ctx.request().resume();
            Optional<User> known = r.succeeded() ? r.result() : Optional.empty();
            if (known.isPresent()) {
                signIn.succeeded(key);
                admit(ctx, Principal.of(known.get()));
                return;
            }
            signIn.failed(key);
            logFailure(address, signIn.describeUserName(name), "HTTP Basic");
            audit.record(new AuditEvent("sign-in", signIn.auditName(name), "failed", null, "HTTP Basic",
                    "wrong user name or password", address, clock.instant()));
            unauthorized(ctx, "wrong user name or password");
        });
    }

    /** User name and password of an HTTP Basic header's value after {@code Basic }; both null when unreadable. */
    static String[] decodeBasic(String encoded) {
        try {
            String decoded = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            if (colon >= 0) {
                return new String[]{decoded.substring(0, colon), decoded.substring(colon + 1)};
            }
        } catch (IllegalArgumentException e) {
            // not Base64: a failure like any other
        }
        return new String[]{null, null};
    }

    private void deny(RoutingContext ctx, String path) {
        HttpServerRequest request = ctx.request();
        boolean page = path.equals("/") || path.endsWith(".html");
        if (page && (request.method() == HttpMethod.GET || request.method() == HttpMethod.HEAD)) {
            String next = URLEncoder.encode(request.uri(), StandardCharsets.UTF_8);
            ctx.response().setStatusCode(303).putHeader("Location", LOGIN_PAGE + "?next=" + next)
                    .putHeader("Cache-Control", "no-store")
                    .end();
            return;
        }
        unauthorized(ctx, "sign in first (POST /api/login), or send HTTP Basic credentials");
    }

    private static void unauthorized(RoutingContext ctx, String message) {
        // Browsers send Sec-Fetch-Mode; they get no Basic challenge, which would pop up the browser's own
        // password dialog instead of the sign-in page. Scripts and scrapers get the challenge HTTP asks for.
        if (ctx.request().getHeader("Sec-Fetch-Mode") == null) {
            ctx.response().putHeader("WWW-Authenticate", "Basic realm=\"CCTV dashboard\", charset=\"UTF-8\"");
        }
        ApiError.end(ctx, 401, message);
    }

    static void tooManyAttempts(RoutingContext ctx, Duration wait) {
        long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
        ctx.response().putHeader("Retry-After", Long.toString(seconds));
        ApiError.end(ctx, 429, "too many failed sign-ins from this browser or address; try again in " + seconds + " s");
    }

    static void jsonBody(RoutingContext ctx, int status, JsonObject body) {
        ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json")
                .putHeader("Cache-Control", "no-store").end(body.encode());
    }

    /**
     * The client's address. Behind a reverse proxy it is the proxy's unless
     * {@code quarkus.http.proxy.proxy-address-forwarding} is on, so that the throttle counts each client apart.
     */
    static String clientAddress(RoutingContext ctx) {
        SocketAddress remote = ctx.request().remoteAddress();
        return remote == null || remote.host() == null ? "unknown" : remote.host();
    }

    /** Whether the browser reached us over HTTPS, directly or through a TLS-terminating proxy. */
    static boolean secure(RoutingContext ctx) {
        String forwarded = ctx.request().getHeader("X-Forwarded-Proto");
        return ctx.request().isSSL() || "https".equalsIgnoreCase(ctx.request().scheme())
                || (forwarded != null && forwarded.split(",")[0].trim().toLowerCase(Locale.ROOT).equals("https"));
    }

    /** {@code userName}: {@link SignIn#describeUserName}, never the name as typed (people type passwords there). */
    static void logFailure(String address, String userName, String how) {
        LOG.warnf("Failed sign-in from %s (%s, %s)", address, how, userName);
    }
}
