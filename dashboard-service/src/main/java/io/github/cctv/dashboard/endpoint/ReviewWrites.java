package io.github.cctv.dashboard.endpoint;

import io.github.cctv.dashboard.config.DashboardConfig;
import io.github.cctv.nats.http.ServiceToken;
import io.github.cctv.nats.http.ServiceTokenConfig;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import com.fasterxml.jackson.databind.JsonNode;
import io.github.cctv.dashboard.domain.audit.Audit;
import io.github.cctv.dashboard.domain.audit.AuditEvent;
import io.github.cctv.dashboard.domain.auth.Principal;
import io.github.cctv.protocol.event.Events;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.openapi.annotations.Operation;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * The writes of the review page, passed on to the recorder with their JSON body and answered with the recorder's
 * status and body: start or cancel an export job, keep or release a recording, delete a recording or a range. The
 * dashboard's credentials never go along; the service token the recorder requires does. Reads go through
 * {@link RecordingsProxy}. Only operators and admins get here ({@link AccessRules}); a user limited to some cameras is
 * refused (403) a recording or export of another camera, asked of the recorder first. Every write is audited with the
 * recorder's answer.
 */
@Path("/api")
public class ReviewWrites {

    private final HttpClient http;
    private final String base;
    private final Duration timeout;
    private final Optional<ServiceToken> serviceToken;
    private final Audit audit;
    private final Clock clock;

    public ReviewWrites(DashboardConfig config, ServiceTokenConfig tokenConfig, Audit audit, Clock clock) {
        this.serviceToken = ServiceToken.from(tokenConfig);
        this.audit = audit;
        this.clock = clock;
        this.base = config.recorderUrl().endsWith("/")
                ? config.recorderUrl().substring(0, config.recorderUrl().length() - 1) : config.recorderUrl();
        this.timeout = config.recorderApiTimeout();
        this.http = HttpClient.newBuilder().connectTimeout(config.recorderConnectTimeout()).build();
    }

    @POST
    @Path("/exports")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Start an export job on the recorder: {cameraId, from, to}")
    public Response export(String body, @Context RoutingContext ctx) {
        String camera = null;
        try {
            JsonNode json = Events.mapper().readTree(body == null ? "" : body);
            camera = json != null && json.path("cameraId").isTextual() ? json.path("cameraId").asText() : null;
        } catch (IOException e) {
            // the recorder says what is wrong with the body
        }
        Principal who = AuthFilter.principal(ctx);
        if (camera != null && !who.mayWatch(camera) || camera == null && !who.allCameras()) {
            return forbidden(camera);
        }
        Response r = call("POST", "/api/exports", body);
        audit(ctx, "export", "start", camera, null, r);
        return r;
    }

    @DELETE
    @Path("/exports/{id}")
    @Operation(summary = "Cancel an export job, or delete its file")
    public Response cancel(@PathParam("id") String id, @Context RoutingContext ctx) {
        String path = "/api/exports/" + segment(id);
        Optional<Response> refused = mine(ctx, path);
        if (refused.isPresent()) {
            return refused.get();
        }
        Response r = call("DELETE", path, null);
        audit(ctx, "export", "cancel", null, id, r);
        return r;
    }

    @PUT
    @Path("/recordings/{id}/keep")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Keep a recording as evidence, or release it: {keep}")
    public Response keep(@PathParam("id") String id, String body, @Context RoutingContext ctx) {
        Optional<Response> refused = mine(ctx, "/api/recordings/" + segment(id));
        if (refused.isPresent()) {
            return refused.get();
        }
        Response r = call("PUT", "/api/recordings/" + segment(id) + "/keep", body);
        audit(ctx, "keep", body != null && body.contains("false") ? "release" : "keep", null, id, r);
        return r;
    }

    @DELETE
    @Path("/recordings/{id}")
    @Operation(summary = "Delete a finished recording that is not kept")
    public Response delete(@PathParam("id") String id, @Context RoutingContext ctx) {
        Optional<Response> refused = mine(ctx, "/api/recordings/" + segment(id));
        if (refused.isPresent()) {
            return refused.get();
        }
        Response r = call("DELETE", "/api/recordings/" + segment(id), null);
        audit(ctx, "delete", "delete", null, id, r);
        return r;
    }

    @DELETE
    @Path("/recordings")
    @Operation(summary = "Delete a camera's recordings wholly within [from, to]")
    public Response deleteRange(@Context UriInfo uri, @QueryParam("camera") String camera,
                                @QueryParam("from") String from, @QueryParam("to") String to,
                                @Context RoutingContext ctx) {
        Principal who = AuthFilter.principal(ctx);
        if (camera == null ? !who.allCameras() : !who.mayWatch(camera)) {
            return forbidden(camera);
        }
        String query = uri.getRequestUri().getRawQuery();
        Response r = call("DELETE", "/api/recordings" + (query == null ? "" : "?" + query), null);
        audit(ctx, "delete", "delete-range", camera, from + "/" + to, r);
        return r;
    }

    /**
     * Empty when the recording or export at {@code path} is of one of the caller's cameras (asked of the recorder
     * when the caller has not every camera), else the answer to give: 403, or the recorder's own (404, 503).
     */
    private Optional<Response> mine(RoutingContext ctx, String path) {
        Principal who = AuthFilter.principal(ctx);
        if (who.allCameras()) {
            return Optional.empty();
        }
        Response meta = call("GET", path, null);
        if (meta.getStatus() != 200) {
            return Optional.of(meta);
        }
        String camera = null;
        try {
            camera = Events.mapper().readTree((byte[]) meta.getEntity()).path("cameraId").asText(null);
        } catch (IOException | RuntimeException e) {
            // unreadable: refused below
        }
        return camera != null && who.mayWatch(camera) ? Optional.empty() : Optional.of(forbidden(camera));
    }

    private static Response forbidden(String camera) {
        return ApiError.response(Response.Status.FORBIDDEN, camera == null
                ? "you may act only on recordings of your cameras: name the camera"
                : "camera " + camera + " is not among your cameras");
    }

    private void audit(RoutingContext ctx, String type, String action, String camera, String target, Response r) {
        String outcome = r.getStatus() < 300 ? "ok" : "HTTP " + r.getStatus();
        audit.record(new AuditEvent(type, AuthFilter.principal(ctx).who(), action, camera, target, outcome,
                AuthFilter.clientAddress(ctx), clock.instant()));
    }

    /** A path segment as the recorder will check it; nothing that could leave its segment. */
    private static String segment(String id) {
        if (id == null || !id.matches("[A-Za-z0-9_-]{1,128}")) {
            throw new ErrorMappers.BadRequest("invalid id");
        }
        return id;
    }

    private Response call(String method, String path, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(timeout)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        serviceToken.ifPresent(t -> b.header(ServiceToken.HEADER, t.header()));
        try {
            HttpResponse<byte[]> r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
            Response.ResponseBuilder out = Response.status(r.statusCode());
            r.headers().firstValue("Content-Type").ifPresent(t -> out.type(t));
            r.headers().firstValue("Location").ifPresent(l -> out.header("Location", l));
            r.headers().firstValue("Retry-After").ifPresent(l -> out.header("Retry-After", l));
            return r.body().length == 0 ? out.build() : out.entity(r.body()).build();
        } catch (IOException e) {
            return ApiError.response(Response.Status.SERVICE_UNAVAILABLE, "the recorder at " + base
                    + " is not answering (" + e.getMessage() + "); try again in a moment");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ApiError.response(Response.Status.SERVICE_UNAVAILABLE, "interrupted");
        }
    }
}
