package io.github.cctv.dashboard.endpoint;

import io.smallrye.health.SmallRyeHealth;
import io.smallrye.health.SmallRyeHealthReporter;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

/**
 * What {@code /q/health} tells a caller who is not signed in: {@code {"status":"UP"}} or {@code {"status":"DOWN"}}
 * with the usual 200 or 503, which is all a container healthcheck or a load balancer needs; the checks' data (the
 * NATS server's address, bucket state) is for signed-in callers only.
 */
@Singleton
public class PublicHealth {

    private static final Logger LOG = Logger.getLogger(PublicHealth.class);
    private static final String ROOT = "/q/health";

    private final SmallRyeHealthReporter reporter;

    public PublicHealth(SmallRyeHealthReporter reporter) {
        this.reporter = reporter;
    }

    static boolean covers(String path) {
        return path.equals(ROOT) || path.startsWith(ROOT + "/");
    }

    /** Answers the bare status of the checks {@code path} names ({@code /q/health}, {@code /live}, {@code /ready}, …). */
    void answer(RoutingContext ctx, String path) {
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
