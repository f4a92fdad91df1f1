package io.github.cctv.dashboard.endpoint;

import io.github.cctv.dashboard.domain.auth.SessionTokens;
import io.github.cctv.dashboard.domain.auth.SignIn;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/**
 * {@code POST /api/login} (JSON {@code {"username","password","next"}} or an HTML form with the same fields),
 * {@code POST /api/logout} and {@code GET /api/session}. JSON callers get JSON; a plain form post is answered with
 * a 303 to where the browser should go, so that the sign-in page also works without JavaScript.
 */
@Singleton
public class SignInRoutes {

    private static final long MAX_BODY = 8 * 1024;

    private final SignIn signIn;

    public SignInRoutes(SignIn signIn) {
        this.signIn = signIn;
    }

    void routes(@Observes Router router) {
        BodyHandler body = BodyHandler.create(false).setBodyLimit(MAX_BODY);
        router.post("/api/login").order(-20).handler(body).handler(this::login);
        router.post("/api/logout").order(-20).handler(this::logout);
        router.get("/api/session").order(-20).handler(this::session);
    }

    private void login(RoutingContext ctx) {
        boolean form = isForm(ctx);
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
        next = safeNext(next);
        String address = AuthFilter.clientAddress(ctx);
        Optional<Duration> wait = signIn.retryAfter(address);
        if (wait.isPresent()) {
            if (form) {
                redirect(ctx, AuthFilter.LOGIN_PAGE + "?error=throttled&next=" + encode(next));
            } else {
                AuthFilter.tooManyAttempts(ctx, wait.get());
            }
            return;
        }
        if (user == null || password == null || !signIn.check(user, password)) {
            signIn.failed(address);
            AuthFilter.logFailure(address, user, "sign-in page");
            if (form) {
                redirect(ctx, AuthFilter.LOGIN_PAGE + "?error=wrong&next=" + encode(next));
            } else {
                ApiError.end(ctx, 401, "wrong user name or password");
            }
            return;
        }
        signIn.succeeded(address);
        SessionTokens.Issued session = signIn.issue();
        ctx.response().putHeader(HttpHeaders.SET_COOKIE, cookie(session.token(),
                signIn.sessionMaxAge().toSeconds(), AuthFilter.secure(ctx)));
        if (form) {
            redirect(ctx, next);
        } else {
            AuthFilter.jsonBody(ctx, 200, new JsonObject().put("user", signIn.username())
                    .put("expiresAt", session.expiresAt().toString()).put("next", next));
        }
    }

    private void logout(RoutingContext ctx) {
        ctx.response().putHeader(HttpHeaders.SET_COOKIE, cookie("", 0, AuthFilter.secure(ctx)));
        if (isForm(ctx)) {
            redirect(ctx, AuthFilter.LOGIN_PAGE);
        } else {
            ctx.response().setStatusCode(204).putHeader("Cache-Control", "no-store").end();
        }
    }

    /** Who is signed in; reached only past {@link AuthFilter}, so a 401 here means "not signed in". */
    private void session(RoutingContext ctx) {
        String user = ctx.get(AuthFilter.USER);
        AuthFilter.jsonBody(ctx, 200, new JsonObject().put("authEnabled", signIn.enabled()).put("user", user));
    }

    /** The session cookie: script-proof, never sent by other sites, HTTPS-only when the browser used HTTPS. */
    static String cookie(String value, long maxAgeSeconds, boolean secure) {
        return AuthFilter.COOKIE + "=" + value + "; Path=/; Max-Age=" + maxAgeSeconds + "; HttpOnly; SameSite=Strict"
                + (secure ? "; Secure" : "");
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
        ctx.response().setStatusCode(303).putHeader("Location", location).putHeader("Cache-Control", "no-store").end();
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
