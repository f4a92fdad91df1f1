package io.github.cctv.nats.http;

import io.github.cctv.nats.RateLimitedLog;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.smallrye.health.SmallRyeHealthReporter;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.RoutingContext;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * The gate of an internal HTTP API (ingest's, the recorder's): every request must carry the {@link ServiceToken}, or
 * it is answered 401. Health stays open for orchestration (container healthchecks, run.sh), but a caller without the
 * token gets the bare status, {@code {"status":"UP"}} or {@code {"status":"DOWN"}} with 200 or 503, never the checks'
 * data. A Vert.x filter, so that it runs before every route. Without a token configured it lets everything through
 * and says so once at start.
 */
public final class ServiceTokenGuard {

    private static final Logger LOG = Logger.getLogger(ServiceTokenGuard.class);
    /** Filters with a higher priority run earlier; this one before every route. */
    private static final int PRIORITY = 100;

    private final Optional<ServiceToken> token;
    private final BareHealth bare;
    private final String service;
    private final RateLimitedLog refusals = RateLimitedLog.to(LOG, Logger.Level.WARN, Duration.ofMinutes(1), Clock.systemUTC());

    public ServiceTokenGuard(ServiceTokenConfig config, SmallRyeHealthReporter health, String service) {
        this.token = ServiceToken.from(config);
        this.bare = new BareHealth(health);
        this.service = service;
    }

    /** Puts the gate in front of every route of the service. */
    public void register(Filters filters) {
        if (token.isEmpty()) {
            LOG.warnf("the %s HTTP API is open to whoever reaches its port: set cctv.http.service-token-file "
                    + "(CCTV_HTTP_SERVICE_TOKEN_FILE) or listen on loopback only", service);
            return;
        }
        LOG.infof("the %s HTTP API requires the service token (health answers its bare status to anyone)", service);
        filters.register(this::filter, PRIORITY);
    }

    private void filter(RoutingContext ctx) {
        if (token.get().admits(ctx.request().getHeader(ServiceToken.HEADER))) {
            ctx.next();
            return;
        }
        String path = ctx.normalizedPath();
        if (BareHealth.covers(path)) {
            bare.answer(ctx, path);
            return;
        }
        SocketAddress remote = ctx.request().remoteAddress();
        String address = remote == null ? "unknown" : remote.hostAddress();
        boolean sent = ctx.request().getHeader(ServiceToken.HEADER) != null;
        refusals.log("refused requests", "refused " + ctx.request().method() + " " + path + " from " + address + ": "
                + (sent ? "wrong service token" : "no service token"));
        ctx.response().setStatusCode(401)
                .putHeader("WWW-Authenticate", "Bearer realm=\"CCTV " + service + "\"")
                .putHeader("Content-Type", "application/json")
                .end("{\"error\":\"this API needs the service token: Authorization: Bearer <token> "
                        + "(cctv.http.service-token-file)\"}");
    }

}
