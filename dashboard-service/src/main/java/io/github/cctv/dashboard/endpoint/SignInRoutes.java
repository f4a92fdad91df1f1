package io.github.cctv.dashboard.endpoint;

import io.github.cctv.dashboard.domain.audit.Audit;
import io.github.cctv.dashboard.domain.audit.AuditEvent;
import io.github.cctv.dashboard.domain.auth.Principal;
import io.github.cctv.dashboard.domain.auth.SessionStore;
import io.github.cctv.dashboard.domain.auth.SessionTokens;
import io.github.cctv.dashboard.domain.auth.SignIn;
import io.github.cctv.dashboard.domain.auth.User;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * {@code POST /api/login} (JSON {@code {"username","password","next"}} or an HTML form with the same fields),
 * {@code POST /api/logout} and {@code GET /api/session}. JSON callers get JSON; a plain form post is answered with
 * a 303 to where the browser should go, so that the sign-in page also works without JavaScript. Signing in starts a
 * session in the shared session store and gives the browser a device cookie; signing out ends the session on every
 * dashboard. {@link CrossSiteGuard} has already refused both from other sites' pages.
 */
@Singleton
public class SignInRoutes {

    static final String DEVICE_COOKIE = "cctv_device";

    private static final Logger LOG = Logger.getLogger(SignInRoutes.class);
    private static final long MAX_BODY = 8 * 1024;

    private final SignIn signIn;
    private final Audit audit;
    private final Clock clock;

    public SignInRoutes(SignIn signIn, Audit audit, Clock clock) {
        this.signIn = signIn;
        this.audit = audit;
        this.clock = clock;
    }

    /** Why a sign-in did not start a session. */
    private static final class Refused extends Exception {
        Refused() {
            super("wrong user name or password", null, false, false);
        }
    }

    void routes(@Observes Router router) {
        BodyHandler body = BodyHandler.create(false).setBodyLimit(MAX_BODY);
        router.post("/api/login").order(-20).handler(body).handler(this::login);
        router.post("/api/logout").order(-20).handler(this::logout);
        router.get("/api/session").order(-20).handler(this::session);
        router.get("/api/me").order(-20).handler(this::me);
    }

    private void login(RoutingContext ctx) {
        boolean form = isForm(ctx);
        if (!form && !CrossSiteGuard.isJson(ctx.request().getHeader(HttpHeaders.CONTENT_TYPE))) {
            ApiError.end(ctx, 415, "send JSON (Content-Type: application/json) or an HTML form");
            return;
        }
        if (!signIn.enabled()) {
            answer(ctx, form, 409, "sign-in is disabled on this dashboard", "/");
            return;
        }
        String user;
        String password;
        String next;
        if (form) {
            user = ctx.request().getFormAttribute("username");
            password = ctx.request().getFormAttribute("password");
            next = ctx.request().getFormAttribute("next");
        } else {
            JsonObject json;
            try {
                json = ctx.body().asJsonObject();
            } catch (DecodeException | ClassCastException e) {
                json = null;
            }
            if (json == null) {
                ApiError.end(ctx, 400, "send {\"username\": \"...\", \"password\": \"...\"}");
                return;
            }
            user = json.getValue("username") instanceof String u ? u : null;
            password = json.getValue("password") instanceof String p ? p : null;
            next = json.getValue("next") instanceof String n ? n : null;
        }
        String target = safeNext(next);
        String address = AuthFilter.clientAddress(ctx);
        Cookie device = ctx.request().getCookie(DEVICE_COOKIE);
        String key = signIn.throttleKey(device == null ? null : device.getValue(), address);
        Optional<Duration> wait = signIn.retryAfter(key);
        if (wait.isPresent()) {
            if (form) {
                redirect(ctx, AuthFilter.LOGIN_PAGE + "?error=throttled&next=" + encode(target));
            } else {
                AuthFilter.tooManyAttempts(ctx, wait.get());
            }
            return;
        }
        boolean secure = AuthFilter.secure(ctx);
        // bcrypt and writing the session to NATS block: off the event loop
        ctx.vertx().<SessionTokens.Issued>executeBlocking(() -> {
            Optional<User> known = user == null || password == null ? Optional.empty()
                    : signIn.authenticate(user, password);
            if (known.isEmpty()) {
                throw new Refused();
            }
            return signIn.startSession(known.get());
        }, false).onComplete(started -> {
            if (started.failed() && started.cause() instanceof Refused) {
                signIn.failed(key);
                AuthFilter.logFailure(address, signIn.describeUserName(user), "sign-in page");
                audit.record(new AuditEvent("sign-in", signIn.auditName(user), "failed", null, "sign-in page",
                        "wrong user name or password", address, clock.instant()));
                if (form) {
                    redirect(ctx, AuthFilter.LOGIN_PAGE + "?error=wrong&next=" + encode(target));
                } else {
                    ApiError.end(ctx, 401, "wrong user name or password");
                }
                return;
            }
            signIn.succeeded(key);
            if (started.failed()) {
                LOG.warnf("Sign-in from %s refused: %s", address, started.cause().getMessage());
                ctx.response().putHeader("Retry-After", "5");
                answer(ctx, form, 503, "cannot start a session now: " + started.cause().getMessage(),
                        AuthFilter.LOGIN_PAGE + "?error=unavailable&next=" + encode(target));
                return;
            }
            SessionTokens.Issued session = started.result();
            audit.record(new AuditEvent("sign-in", session.claims().user(), "succeeded", null, "sign-in page", "ok",
                    address, clock.instant()));
            ctx.response().headers().add(HttpHeaders.SET_COOKIE, cookie(session.token(),
                    signIn.sessionMaxAge().toSeconds(), secure));
            if (device == null || !key.startsWith("device:")) {
                ctx.response().headers().add(HttpHeaders.SET_COOKIE, deviceCookie(signIn.issueDevice(),
                        signIn.deviceMaxAge().toSeconds(), secure));
            }
            if (form) {
                redirect(ctx, target);
            } else {
                AuthFilter.jsonBody(ctx, 200, new JsonObject().put("user", session.claims().user())
                        .put("expiresAt", session.expiresAt().toString()).put("next", target));
            }
        });
    }

    private void logout(RoutingContext ctx) {
        Cookie session = ctx.request().getCookie(AuthFilter.COOKIE);
        boolean form = isForm(ctx);
        ctx.response().putHeader(HttpHeaders.SET_COOKIE, cookie("", 0, AuthFilter.secure(ctx)));
        if (session == null || session.getValue().isEmpty() || !signIn.enabled()) {
            loggedOut(ctx, form);
            return;
        }
        String address = AuthFilter.clientAddress(ctx);
        ctx.vertx().<Void>executeBlocking(() -> {
            signIn.endSession(session.getValue());
            return null;
        }, false).onComplete(ended -> {
            if (ended.failed()) {
                // the browser forgets the cookie anyway; a copy of it stays valid where the end did not arrive
                Throwable cause = ended.cause();
                LOG.warnf("Sign-out from %s not recorded for other dashboards: %s", address,
                        cause instanceof SessionStore.UnavailableException ? cause.getMessage() : cause.toString());
            }
            loggedOut(ctx, form);
        });
    }

    private static void loggedOut(RoutingContext ctx, boolean form) {
        if (form) {
            redirect(ctx, AuthFilter.LOGIN_PAGE);
        } else {
            ctx.response().setStatusCode(204).end();
        }
    }

    /** Who is signed in; reached only past {@link AuthFilter}, so a 401 here means "not signed in". */
    private void session(RoutingContext ctx) {
        String user = ctx.get(AuthFilter.USER);
        AuthFilter.jsonBody(ctx, 200, new JsonObject().put("authEnabled", signIn.enabled()).put("user", user));
    }

    /**
     * {@code GET /api/me}: who is signed in and what they may do, so that pages show only that: {@code name},
     * {@code role}, {@code allCameras}, {@code cameras}, {@code authEnabled}.
     */
    private void me(RoutingContext ctx) {
        Principal who = AuthFilter.principal(ctx);
        JsonObject body = new JsonObject().put("name", who.who()).put("role", who.role().id())
                .put("allCameras", who.allCameras()).put("cameras", new JsonArray(who.cameraList()))
                .put("authEnabled", signIn.enabled());
        AuthFilter.jsonBody(ctx, 200, body);
    }

    /** The session cookie: script-proof, never sent by other sites, HTTPS-only when the browser used HTTPS. */
    static String cookie(String value, long maxAgeSeconds, boolean secure) {
        return AuthFilter.COOKIE + "=" + value + "; Path=/; Max-Age=" + maxAgeSeconds + "; HttpOnly; SameSite=Strict"
                + (secure ? "; Secure" : "");
    }

    /** The device cookie: sent only to the sign-in route, where it lets this browser's attempts be counted apart. */
    static String deviceCookie(String value, long maxAgeSeconds, boolean secure) {
        return DEVICE_COOKIE + "=" + value + "; Path=/api/login; Max-Age=" + maxAgeSeconds
                + "; HttpOnly; SameSite=Strict" + (secure ? "; Secure" : "");
    }

    /** Only a path on this server: no scheme, no host, no {@code //evil.example}, nothing but printable ASCII. */
    static String safeNext(String next) {
        if (next == null || next.isEmpty() || next.length() > 2048 || next.charAt(0) != '/'
                || next.startsWith("//") || next.startsWith(AuthFilter.LOGIN_PAGE) || !next.matches("[\\x21-\\x7e]+")
                || next.contains("\\")) {
            return "/";
        }
        return next;
    }

    private static boolean isForm(RoutingContext ctx) {
        String type = ctx.request().getHeader(HttpHeaders.CONTENT_TYPE);
        return type != null && (type.startsWith("application/x-www-form-urlencoded")
                || type.startsWith("multipart/form-data"));
    }

    private void answer(RoutingContext ctx, boolean form, int status, String message, String next) {
        if (form) {
            redirect(ctx, next);
        } else {
            ApiError.end(ctx, status, message);
        }
    }

    private static void redirect(RoutingContext ctx, String location) {
        ctx.response().setStatusCode(303).putHeader("Location", location).end();
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
