package io.github.cctv.dashboard.endpoint;

import io.github.cctv.dashboard.domain.live.LiveHub;
import io.github.cctv.dashboard.domain.live.Viewer;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;

import java.util.Comparator;
import java.util.List;
import java.util.Set;

/** Who is watching what: connected browsers, and the cameras subscribed on NATS because of them. */
@Path("/api/viewers")
@Produces(MediaType.APPLICATION_JSON)
public class ViewerResource {

    private final LiveHub hub;

    public ViewerResource(LiveHub hub) {
        this.hub = hub;
    }

    @GET
    @Operation(summary = "Connected browsers: cameras watched (id to fps cap), frames sent and dropped")
    public Viewers viewers() {
        List<Viewer.Stats> stats = hub.viewers().stream().map(Viewer::stats)
                .sorted(Comparator.comparing(Viewer.Stats::connectedAt)).toList();
        return new Viewers(stats, hub.subscribedCameras());
    }

    /** {@code subscribedCameras}: cameras whose frames the dashboard receives from NATS right now. */
    public record Viewers(List<Viewer.Stats> viewers, Set<String> subscribedCameras) {
    }
}
