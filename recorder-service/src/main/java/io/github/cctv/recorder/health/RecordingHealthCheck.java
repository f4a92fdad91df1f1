package io.github.cctv.recorder.health;

import io.github.cctv.recorder.domain.recording.RecordingManager;
import io.smallrye.health.api.Wellness;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;

import java.util.Map;

/**
 * Reports cameras whose recording stopped on an error (full disk, unwritable folder) in {@code /q/health}. It is
 * neither a readiness nor a liveness check: the service keeps serving and recording the other cameras.
 */
@Wellness
@ApplicationScoped
public class RecordingHealthCheck implements HealthCheck {

    private final RecordingManager manager;

    public RecordingHealthCheck(RecordingManager manager) {
        this.manager = manager;
    }

    @Override
    public HealthCheckResponse call() {
        Map<String, String> failures = manager.failures();
        HealthCheckResponseBuilder b = HealthCheckResponse.named("recordings").status(failures.isEmpty());
        b.withData("active", manager.states().stream().filter(s -> s.recording()).count());
        failures.forEach(b::withData);
        return b.build();
    }
}
