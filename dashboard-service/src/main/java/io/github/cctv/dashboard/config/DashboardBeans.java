package io.github.cctv.dashboard.config;

import io.github.cctv.dashboard.domain.auth.SignIn;
import io.github.cctv.dashboard.domain.cameras.CameraDirectory;
import io.github.cctv.dashboard.domain.live.FrameSource;
import io.github.cctv.dashboard.domain.live.LiveHub;
import io.github.cctv.dashboard.health.LiveMetrics;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.time.Clock;

/** Builds the dashboard's domain objects from configuration: they get their collaborators through interfaces. */
public class DashboardBeans {

    @Produces
    @Singleton
    LiveHub hub(FrameSource source, LiveMetrics metrics, Clock clock, DashboardConfig config) {
        return new LiveHub(source, metrics, clock, config.maxCamerasPerViewer(), config.maxPendingTextMessages());
    }

    @Produces
    @Singleton
    CameraDirectory directory(LiveHub hub) {
        return new CameraDirectory(hub);
    }

    @Produces
    @Singleton
    SignIn signIn(DashboardConfig config, Clock clock) {
        DashboardConfig.Auth auth = config.auth();
        return new SignIn(new SignIn.Settings(auth.enabled(), auth.username(), auth.password(), auth.sessionSecret(),
                auth.sessionMaxAge(), auth.maxFailures(), auth.failureWindow()), clock);
    }
}
