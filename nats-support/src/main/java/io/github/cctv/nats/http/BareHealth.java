package io.github.cctv.nats.http;

import io.smallrye.health.SmallRyeHealth;
import io.smallrye.health.SmallRyeHealthReporter;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import org.jboss.logging.Logger;

/**
 * What {@code /q/health} tells a caller who may not read the checks' data (the NATS server's address, bucket state):
 * {@code {"status":"UP"}} or {@code {"status":"DOWN"}} with the usual 200 or 503, all a container healthcheck or a
 * load balancer needs. The dashboard answers so to callers not signed in, ingest and the recorder to callers without
 * the service token.
 */
public final class BareHealth {

    private static final Logger LOG = Logger.getLogger(BareHealth.class);
    private static final String ROOT = "/q/health";

    private final SmallRyeHealthReporter reporter;

    public BareHealth(SmallRyeHealthReporter reporter) {
        this.reporter = reporter;
    }

    /** Whether {@code path} is {@code /q/health} or one of its checks. */
    public static boolean covers(String path) {
        return path.equals(ROOT) || path.startsWith(ROOT + "/");
    }

    /** Answers the bare status of the checks {@code path} names ({@code /q/health}, {@code /live}, {@code /ready}, …). */
    public void answer(RoutingContext ctx, String path) {
        String kind = path.substring(ROOT.length()).replaceAll("/+$", "");
        Uni<SmallRyeHealth> checks = switch (kind) {
            case "/live" -> reporter.getLivenessAsync();
            case "/ready" -> reporter.getReadinessAsync();
            case "/started" -> reporter.getStartupAsync();
            case "/well" -> reporter.getWellnessAsync();
            default -> reporter.getHealthAsync();
        };
        Context context = Vertx.currentContext();
        checks.subscribe().with(
                health -> context.runOnContext(v -> end(ctx, !health.isDown())),
                failure -> {
                    LOG.debugf("health checks failed: %s", failure.toString());
                    context.runOnContext(v -> end(ctx, false));
                });
    }

    private static void end(RoutingContext ctx, boolean up) {
        if (ctx.response().ended() || ctx.response().closed()) {
            return;
        }
        ctx.response().setStatusCode(up ? 200 : 503).putHeader("Content-Type", "application/json")
                .end(up ? "{\"status\":\"UP\"}" : "{\"status\":\"DOWN\"}");
    }
}
