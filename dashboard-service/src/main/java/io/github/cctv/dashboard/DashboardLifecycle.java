package io.github.cctv.dashboard;

import io.github.cctv.dashboard.domain.auth.SessionStore;
import io.github.cctv.dashboard.domain.auth.SignIn;
import io.github.cctv.dashboard.domain.auth.UserAdmin;
import io.github.cctv.dashboard.domain.live.LiveHub;
import io.github.cctv.dashboard.messaging.NatsUserStore;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/**
 * What the dashboard says and does once at start-up: the sign-in announcement, reading the users (and making the
 * first admin when there is no enabled one), and closing the live connections of a user who is changed anywhere.
 */
@ApplicationScoped
public class DashboardLifecycle {

    private static final Logger LOG = Logger.getLogger(DashboardLifecycle.class);

    private final SignIn signIn;
    private final NatsUserStore users;
    private final UserAdmin admin;
    private final LiveHub hub;

    public DashboardLifecycle(SignIn signIn, NatsUserStore users, UserAdmin admin, LiveHub hub) {
        this.signIn = signIn;
        this.users = users;
        this.admin = admin;
        this.hub = hub;
    }

    void onStart(@Observes StartupEvent event) {
        signIn.announce();
        // a changed user's sessions end (new stamp); their open live pages are closed at once and reconnect afresh
        users.onChange(name -> hub.closeUser(name, "your account was changed; sign in again"));
        users.start(() -> {
            try {
                admin.bootstrap(signIn.username(), signIn::firstAdminPassword);
            } catch (SessionStore.UnavailableException e) {
                LOG.errorf("cannot make the first admin '%s': %s", signIn.username(), e.getMessage());
            }
        });
    }
}
