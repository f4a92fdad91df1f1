package io.github.cctv.dashboard.endpoint;

import io.github.cctv.nats.http.BareHealth;
import io.smallrye.health.SmallRyeHealthReporter;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Singleton;

/**
 * What {@code /q/health} tells a caller who is not signed in: {@code {"status":"UP"}} or {@code {"status":"DOWN"}}
 * with the usual 200 or 503 ({@link BareHealth}); the checks' data is for signed-in callers only.
 */
@Singleton
public class PublicHealth {

    private final BareHealth bare;

    public PublicHealth(SmallRyeHealthReporter reporter) {
        this.bare = new BareHealth(reporter);
    }

    static boolean covers(String path) {
        return BareHealth.covers(path);
    }

    /** Answers the bare status of the checks {@code path} names ({@code /q/health}, {@code /live}, {@code /ready}, …). */
    void answer(RoutingContext ctx, String path) {
        bare.answer(ctx, path);
    }
}
