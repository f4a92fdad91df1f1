package io.github.cctv.dashboard.endpoint;

import io.github.cctv.dashboard.config.DashboardConfig;
import io.github.cctv.dashboard.domain.cameras.EventHistory;
import io.github.cctv.dashboard.endpoint.ErrorMappers.BadRequest;
import io.github.cctv.protocol.CameraId;
import io.github.cctv.protocol.event.CameraEvent;
import io.github.cctv.protocol.event.Events;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import io.github.cctv.dashboard.domain.auth.Principal;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import java.nio.charset.StandardCharsets;
import java.util.List;

/** Event history from the events stream, newest first: of the caller's cameras only. */
@Path("/api/events")
@Produces(MediaType.APPLICATION_JSON)
public class EventResource {

    private final EventHistory history;
    private final int maxLimit;

    public EventResource(EventHistory history, DashboardConfig config) {
        this.history = history;
        this.maxLimit = config.maxEventLimit();
    }

    @GET
    @Operation(summary = "The newest events, of one camera or of all, newest first",
            description = "Optionally from/to (ISO-8601 instants, [from, to)) and of some types (type=connected,disconnected).")
    @APIResponse(responseCode = "200", description = "CameraEvent JSON objects, as published on NATS",
            content = @Content(schema = @Schema(type = SchemaType.ARRAY, implementation = CameraEvent.class)))
    public Response events(@QueryParam("camera") String camera, @QueryParam("limit") @DefaultValue("100") int limit,
                           @QueryParam("from") String from, @QueryParam("to") String to,
                           @QueryParam("type") List<String> types, @Context RoutingContext ctx) {
        Principal who = AuthFilter.principal(ctx);
        if (camera != null && !camera.isEmpty()) {
            CameraId.requireValid(camera);
            if (!who.mayWatch(camera)) {
                return ApiError.response(Response.Status.FORBIDDEN, "camera " + camera + " is not among your cameras");
            }
        } else {
            camera = null;
        }
        if (limit < 1 || limit > maxLimit) {
            throw new BadRequest("limit must be from 1 to " + maxLimit);
        }
        java.time.Instant since = instant("from", from);
        java.time.Instant until = instant("to", to);
        java.util.Set<String> wanted = new java.util.HashSet<>();
        for (String t : types == null ? List.<String>of() : types) {
            for (String one : t.split(",")) {
                if (!one.isBlank()) {
                    wanted.add(one.trim());
                }
            }
        }
        try {
            List<CameraEvent> events = history.recent(camera, limit, since, e ->
                    who.mayWatch(e.cameraId()) && (since == null || !e.time().isBefore(since)) && (until == null || e.time().isBefore(until))
                            && (wanted.isEmpty() || wanted.contains(e.type())));
            // written by the protocol's own mapper: the same JSON (type, schema) as on NATS
            StringBuilder json = new StringBuilder("[");
            for (CameraEvent e : events) {
                if (json.length() > 1) {
                    json.append(',');
                }
                json.append(new String(Events.toJson(e), StandardCharsets.UTF_8));
            }
            return Response.ok(json.append(']').toString(), MediaType.APPLICATION_JSON).build();
        } catch (IllegalStateException e) {
            return ApiError.response(Response.Status.SERVICE_UNAVAILABLE, e.getMessage());
        }
    }

    private static java.time.Instant instant(String name, String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        try {
            return java.time.Instant.parse(value);
        } catch (java.time.format.DateTimeParseException e) {
            throw new BadRequest(name + " must be an ISO-8601 instant like 2026-11-25T12:00:00Z");
        }
    }
}
