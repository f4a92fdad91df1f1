package io.github.cctv.dashboard.endpoint;

import io.github.cctv.dashboard.domain.groups.CameraGroup;
import io.github.cctv.dashboard.domain.groups.CameraGroup.InvalidGroupException;
import io.github.cctv.dashboard.domain.groups.GroupStore;
import io.github.cctv.dashboard.endpoint.ErrorMappers.BadRequest;
import io.github.cctv.nats.RateLimitedLog;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * Camera groups of the live page and their grid layouts, shared by every browser. Writes pass the same sign-in and
 * cross-site rules as every other API write ({@link AuthFilter}, {@link CrossSiteGuard}).
 */
@Path("/api/groups")
@Produces(MediaType.APPLICATION_JSON)
public class GroupResource {

    private static final Logger LOG = Logger.getLogger(GroupResource.class);

    private final GroupStore store;
    private final RateLimitedLog refused;

    public GroupResource(GroupStore store, Clock clock) {
        this.store = store;
        this.refused = RateLimitedLog.to(LOG, Logger.Level.INFO, Duration.ofMinutes(1), clock);
    }

    @GET
    @Operation(summary = "Every camera group with its layout, by name")
    @APIResponse(responseCode = "503", description = "NATS cannot be reached")
    public List<CameraGroup> groups() throws GroupStore.UnavailableException {
        return store.groups();
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "One camera group")
    @APIResponse(responseCode = "404", description = "No such group")
    public Response group(@PathParam("id") String id) throws GroupStore.UnavailableException {
        return store.group(id).map(g -> Response.ok(g).build())
                .orElseGet(() -> ApiError.response(Response.Status.NOT_FOUND, "group " + id + " does not exist"));
    }

    @PUT
    @Path("/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Creates or replaces a group: {\"name\":\"Outside\",\"cameras\":[\"cam1\"],\"columns\":2,"
            + "\"order\":\"name\"} (columns 0 = automatic; order \"name\" or \"listed\")")
    @APIResponse(responseCode = "200", description = "The group as saved")
    @APIResponse(responseCode = "400", description = "Invalid id, name, members, columns or order")
    @APIResponse(responseCode = "409", description = "As many groups as allowed exist already")
    public Response save(@PathParam("id") String id, GroupRequest request)
            throws GroupStore.UnavailableException {
        CameraGroup.requireValidId(id);
        if (request == null) {
            throw new BadRequest("body must be {\"name\":\"…\",\"cameras\":[…],\"columns\":0,\"order\":\"name\"}");
        }
        CameraGroup group = new CameraGroup(id, request.name(), request.cameras(),
                request.columns() == null ? 0 : request.columns(), request.order());
        try {
            store.save(group);
        } catch (GroupStore.FullException e) {
            return ApiError.response(Response.Status.CONFLICT, e.getMessage());
        }
        return Response.ok(group).build();
    }

    @DELETE
    @Path("/{id}")
    @Operation(summary = "Deletes a group (its cameras stay)")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "404", description = "No such group")
    public Response delete(@PathParam("id") String id) throws GroupStore.UnavailableException {
        return store.delete(id) ? Response.noContent().build()
                : ApiError.response(Response.Status.NOT_FOUND, "group " + id + " does not exist");
    }

    @ServerExceptionMapper
    public Response invalid(InvalidGroupException e) {
        refused.log("invalid", "refused a group: " + e.getMessage());
        return ApiError.response(Response.Status.BAD_REQUEST, e.getMessage());
    }

    @ServerExceptionMapper
    public Response unavailable(GroupStore.UnavailableException e) {
        refused.log("unavailable", "groups unavailable: " + e.getMessage());
        return ApiError.response(Response.Status.SERVICE_UNAVAILABLE, e.getMessage());
    }

    /** Body of a group write; the id is the path's. */
    public record GroupRequest(String name, List<String> cameras, Integer columns, String order) {
    }
}
