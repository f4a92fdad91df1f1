package io.github.cctv.dashboard.endpoint;

import io.github.cctv.dashboard.domain.audit.Audit;
import io.github.cctv.dashboard.domain.audit.AuditEvent;
import io.github.cctv.dashboard.domain.auth.Role;
import io.github.cctv.dashboard.domain.auth.SessionStore;
import io.github.cctv.dashboard.domain.auth.User;
import io.github.cctv.dashboard.domain.auth.UserAdmin;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * User management, for admins only ({@link AccessRules}): list, add, and change a user (enable or disable, role,
 * cameras, new password). A change ends that user's sessions on every dashboard. Hashes never leave the server;
 * every change is audited, never with the password.
 */
@Path("/api/users")
@Produces(MediaType.APPLICATION_JSON)
public class UserResource {

    /** A user as the API shows it. */
    public record UserView(String name, String role, boolean enabled, boolean allCameras, List<String> cameras,
                           Instant changedAt, String changedBy) {
        static UserView of(User u) {
            return new UserView(u.name(), u.role().id(), u.enabled(), u.allCameras(), u.cameraList(), u.changedAt(),
                    u.changedBy());
        }
    }

    /** Body of {@code POST /api/users}; {@code allCameras} defaults to false, {@code cameras} to none. */
    public record NewUser(String name, String role, String password, Boolean allCameras, List<String> cameras) {
    }

    /** Body of {@code PUT /api/users/{name}}: what to change, the rest left out. */
    public record UserChange(Boolean enabled, String role, Boolean allCameras, List<String> cameras, String password) {
    }

    private final UserAdmin admin;
    private final Audit audit;
    private final Clock clock;

    public UserResource(UserAdmin admin, Audit audit, Clock clock) {
        this.admin = admin;
        this.audit = audit;
        this.clock = clock;
    }

    @GET
    @Operation(summary = "Every user: name, role, enabled, cameras (never a password or its hash)")
    public List<UserView> users() {
        return admin.users().stream().map(UserView::of).toList();
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Adds a user: {name, role, password, allCameras, cameras}")
    public Response create(NewUser body, @Context RoutingContext ctx) {
        if (body == null) {
            throw new ErrorMappers.BadRequest("send {\"name\", \"role\", \"password\", \"allCameras\", \"cameras\"}");
        }
        try {
            User u = admin.create(body.name(), Role.of(body.role()), body.password(),
                    Boolean.TRUE.equals(body.allCameras()), Set.copyOf(nonNull(body.cameras())),
                    AuthFilter.principal(ctx).who());
            audit(ctx, "created", u.name(), "role " + u.role().id() + (u.allCameras() ? ", all cameras"
                    : ", cameras " + u.cameraList()));
            return Response.status(Response.Status.CREATED).entity(UserView.of(u)).build();
        } catch (IllegalArgumentException e) {
            throw new ErrorMappers.BadRequest(e.getMessage());
        } catch (UserAdmin.ConflictException e) {
            return ApiError.response(Response.Status.CONFLICT, e.getMessage());
        } catch (SessionStore.UnavailableException e) {
            return ApiError.response(Response.Status.SERVICE_UNAVAILABLE, "cannot save the user now: " + e.getMessage());
        }
    }

    @PUT
    @Path("/{name}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Changes a user: any of {enabled, role, allCameras, cameras, password}; ends their sessions")
    public Response change(@PathParam("name") String name, UserChange body, @Context RoutingContext ctx) {
        if (body == null) {
            throw new ErrorMappers.BadRequest("send any of {\"enabled\", \"role\", \"allCameras\", \"cameras\", "
                    + "\"password\"}");
        }
        try {
            User.requireValidName(name);
            UserAdmin.Change change = new UserAdmin.Change(body.enabled(),
                    body.role() == null ? null : Role.of(body.role()), body.allCameras(),
                    body.cameras() == null ? null : Set.copyOf(nonNull(body.cameras())), body.password());
            Optional<User> changed = admin.change(name, change, AuthFilter.principal(ctx).who());
            if (changed.isEmpty()) {
                return ApiError.response(Response.Status.NOT_FOUND, "no user " + name);
            }
            audit(ctx, "changed", name, describe(body));
            return Response.ok(UserView.of(changed.get())).build();
        } catch (IllegalArgumentException e) {
            throw new ErrorMappers.BadRequest(e.getMessage());
        } catch (UserAdmin.ConflictException e) {
            return ApiError.response(Response.Status.CONFLICT, e.getMessage());
        } catch (SessionStore.UnavailableException e) {
            return ApiError.response(Response.Status.SERVICE_UNAVAILABLE, "cannot save the user now: " + e.getMessage());
        }
    }

    /** What changed, for the audit: never the password itself. */
    private static String describe(UserChange c) {
        List<String> what = new ArrayList<>();
        if (c.enabled() != null) {
            what.add(c.enabled() ? "enabled" : "disabled");
        }
        if (c.role() != null) {
            what.add("role " + c.role());
        }
        if (c.allCameras() != null) {
            what.add(c.allCameras() ? "all cameras" : "not all cameras");
        }
        if (c.cameras() != null) {
            what.add("cameras " + c.cameras());
        }
        if (c.password() != null) {
            what.add("password reset");
        }
        return String.join(", ", what);
    }

    private void audit(RoutingContext ctx, String action, String target, String outcome) {
        audit.record(new AuditEvent("user", AuthFilter.principal(ctx).who(), action, null, target, outcome,
                AuthFilter.clientAddress(ctx), clock.instant()));
    }

    private static <T> List<T> nonNull(List<T> list) {
        return list == null ? List.of() : list.stream().filter(java.util.Objects::nonNull).toList();
    }
}
