package io.github.cctv.dashboard.config;

import io.github.cctv.dashboard.domain.auth.SessionStore;
import io.github.cctv.dashboard.domain.auth.SignIn;
import io.github.cctv.dashboard.domain.auth.UserAdmin;
import io.github.cctv.dashboard.domain.auth.UserStore;
import io.github.cctv.dashboard.domain.cameras.CameraDirectory;
import io.github.cctv.dashboard.domain.live.FrameSource;
import io.github.cctv.dashboard.domain.live.LiveHub;
import io.github.cctv.dashboard.health.LiveMetrics;
import io.github.cctv.dashboard.media.H264Snapshots;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.util.Optional;

/** Builds the dashboard's domain objects from configuration: they get their collaborators through interfaces. */
public class DashboardBeans {

    @Produces
    @Singleton
    LiveHub hub(FrameSource source, LiveMetrics metrics, Clock clock, DashboardConfig config) {
        return new LiveHub(source, metrics, clock, new LiveHub.Limits(config.maxCamerasPerViewer(),
                config.maxPendingTextMessages(), config.gopCacheBytes(), config.viewerQueueBytes(),
                config.viewerQueueLag().toNanos()));
    }

    @Produces
    @Singleton
    H264Snapshots snapshots(DashboardConfig config) {
        return new H264Snapshots(config.maxSnapshotDecodes());
    }

    @Produces
    @Singleton
    io.github.cctv.dashboard.domain.recorders.Recorders recorders(DashboardConfig config) {
        return new io.github.cctv.dashboard.domain.recorders.Recorders(config.recorderUrl());
    }

    @Produces
    @Singleton
    CameraDirectory directory(LiveHub hub) {
        return new CameraDirectory(hub);
    }

    @Produces
    @Singleton
    UserAdmin userAdmin(UserStore users, Clock clock) {
        return new UserAdmin(users, clock);
    }

    @Produces
    @Singleton
    SignIn signIn(DashboardConfig config, SessionStore sessions, UserStore users, Clock clock) {
        DashboardConfig.Auth auth = config.auth();
        boolean fromFile = auth.password().isEmpty() && auth.passwordFile().isPresent();
        // files only when sign-in is on: a dashboard without sign-in makes no secrets
        Optional<String> password = auth.password()
                .or(() -> auth.enabled() ? auth.passwordFile().map(f -> SecretFiles.readOrCreate(f, 18)) : Optional.empty());
        Optional<byte[]> sessionKey = auth.sessionSecret()
                .or(() -> auth.enabled() ? auth.sessionSecretFile().map(f -> SecretFiles.readOrCreate(f, 32)) : Optional.empty())
                .map(SignIn::keyOf);
        return new SignIn(new SignIn.Settings(auth.enabled(), auth.username(), password,
                fromFile ? "file " + auth.passwordFile().get() : null, sessionKey, auth.sessionMaxAge(),
                auth.maxFailures(), auth.failureWindow(), auth.deviceMaxAge()), sessions, users, clock);
    }
}
