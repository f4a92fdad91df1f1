package io.github.cctv.dashboard;

import io.github.cctv.dashboard.domain.auth.SignIn;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/** What the dashboard says and does once at start-up. */
@ApplicationScoped
public class DashboardLifecycle {

    private final SignIn signIn;

    public DashboardLifecycle(SignIn signIn) {
        this.signIn = signIn;
    }

    void onStart(@Observes StartupEvent event) {
        signIn.announce();
    }
}
