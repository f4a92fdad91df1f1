package io.github.cctv.dashboard.endpoint;

import io.github.cctv.dashboard.config.DashboardConfig;
import io.github.cctv.dashboard.domain.recorders.Recorder;
import io.github.cctv.dashboard.domain.recorders.Recorders;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The writes of the review page, passed on to the recorder with their JSON body and answered with the recorder's
 * status and body: start or cancel an export job, keep or release a recording, delete a recording or a range. The
 * dashboard's credentials never go along; the service token the recorder requires does. Reads go through
 * {@link RecordingsProxy}. Only operators and admins get here ({@link AccessRules}); a user limited to some cameras is
 * refused (403) a recording or export of another camera, asked of the recorder first. Every write is audited with the
 * recorder's answer.
 *
 * <p>With several recorders ({@link Recorders}), a write on a recording or an export goes to the recorder that has it
 * (remembered from a listing, else asked of each); an export starts on the recorder that holds recordings of the
 * camera in the range; a range is deleted on every recorder, and the answer lists what each deleted and skipped.
 */
@Path("/api")
public class ReviewWrites {

    private final HttpClient http;
    private final Recorders recorders;
    private final Duration timeout;
    private final Optional<ServiceToken> serviceToken;
    private final Audit audit;
    private final Clock clock;

    public ReviewWrites(DashboardConfig config, ServiceTokenConfig tokenConfig, Audit audit, Clock clock,
                        Recorders recorders) {
        this.serviceToken = ServiceToken.from(tokenConfig);
        this.audit = audit;
        this.clock = clock;
        this.recorders = recorders;
        this.timeout = config.recorderApiTimeout();
        this.http = HttpClient.newBuilder().connectTimeout(config.recorderConnectTimeout()).build();
    }

    @POST
    @Path("/exports")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Start an export job on the recorder: {cameraId, from, to}")
    public Response export(String body, @Context RoutingContext ctx) {
        String camera = null;
        String from = null;
        String to = null;
        try {
            JsonNode json = Events.mapper().readTree(body == null ? "" : body);
            camera = json != null && json.path("cameraId").isTextual() ? json.path("cameraId").asText() : null;
            from = json != null && json.path("from").isTextual() ? json.path("from").asText() : null;
            to = json != null && json.path("to").isTextual() ? json.path("to").asText() : null;
        } catch (IOException e) {
            // the recorder says what is wrong with the body
        }
        Principal who = AuthFilter.principal(ctx);
        if (camera != null && !who.mayWatch(camera) || camera == null && !who.allCameras()) {
            return forbidden(camera);
        }
        Recorder recorder = exporter(camera, from, to);
        Response r = call(recorder, "POST", "/api/exports", body);
        if (r.getStatus() < 300 && r.getEntity() instanceof byte[] answer) {
            try {
                String id = Events.mapper().readTree(answer).path("id").asText(null);
                if (id != null) {
                    recorders.holds("/api/exports/" + id, recorder);
                }
            } catch (IOException | RuntimeException e) {
                // asked of every recorder when next wanted
            }
        }
        audit(ctx, "export", "start", camera, null, r);
        return r;
    }

    @DELETE
    @Path("/exports/{id}")
    @Operation(summary = "Cancel an export job, or delete its file")
    public Response cancel(@PathParam("id") String id, @Context RoutingContext ctx) {
        String path = "/api/exports/" + segment(id);
        Found found = locate(ctx, path);
        if (found.refusal() != null) {
            return found.refusal();
        }
        Response r = call(found.recorder(), "DELETE", path, null);
        audit(ctx, "export", "cancel", null, id, r);
        return r;
    }

    @PUT
    @Path("/recordings/{id}/keep")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Keep a recording as evidence, or release it: {keep}")
    public Response keep(@PathParam("id") String id, String body, @Context RoutingContext ctx) {
        Found found = locate(ctx, "/api/recordings/" + segment(id));
        if (found.refusal() != null) {
            return found.refusal();
        }
        Response r = call(found.recorder(), "PUT", "/api/recordings/" + segment(id) + "/keep", body);
        audit(ctx, "keep", body != null && body.contains("false") ? "release" : "keep", null, id, r);
        return r;
    }

    @DELETE
    @Path("/recordings/{id}")
    @Operation(summary = "Delete a finished recording that is not kept")
    public Response delete(@PathParam("id") String id, @Context RoutingContext ctx) {
        Found found = locate(ctx, "/api/recordings/" + segment(id));
        if (found.refusal() != null) {
            return found.refusal();
        }
        Response r = call(found.recorder(), "DELETE", "/api/recordings/" + segment(id), null);
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
        String path = "/api/recordings" + (query == null ? "" : "?" + query);
        List<Recorder> all = recorders.all();
        Response r = all.size() == 1 ? call(all.get(0), "DELETE", path, null) : deleteEverywhere(all, path);
        audit(ctx, "delete", "delete-range", camera, from + "/" + to, r);
        return r;
    }

    /**
     * A range deleted on every recorder: {@code {deleted, skipped}} of all of them, or the first refusal (what the
     * others deleted stays deleted, and is in their own audit of the recorder's log).
     */
    private Response deleteEverywhere(List<Recorder> all, String path) {
        com.fasterxml.jackson.databind.node.ArrayNode deleted = Events.mapper().createArrayNode();
        com.fasterxml.jackson.databind.node.ArrayNode skipped = Events.mapper().createArrayNode();
        Response refused = null;
        for (Recorder recorder : all) {
            Response r = call(recorder, "DELETE", path, null);
            if (r.getStatus() >= 300) {
                refused = refused == null ? r : refused;
                continue;
            }
            try {
                JsonNode answer = Events.mapper().readTree((byte[]) r.getEntity());
                answer.path("deleted").forEach(deleted::add);
                answer.path("skipped").forEach(skipped::add);
            } catch (IOException | RuntimeException e) {
                refused = refused == null ? ApiError.response(Response.Status.BAD_GATEWAY,
                        "the answer of recorder " + recorder.id() + " is unreadable") : refused;
            }
        }
        if (refused != null) {
            return refused;
        }
        com.fasterxml.jackson.databind.node.ObjectNode both = Events.mapper().createObjectNode();
        both.set("deleted", deleted);
        both.set("skipped", skipped);
        return Response.ok(Events.write(both), MediaType.APPLICATION_JSON).build();
    }

    /** The recorder to act on, or (recorder null) the answer to give instead: 403, or a recorder's own (404, 503). */
    private record Found(Recorder recorder, Response refusal) {
    }

    /**
     * The recorder that has the recording or export at {@code path}, when it is of one of the caller's cameras
     * (its metadata asked of the recorder when the caller has not every camera, or when there are several recorders
     * and none is known to have it).
     */
    private Found locate(RoutingContext ctx, String path) {
        Principal who = AuthFilter.principal(ctx);
        List<Recorder> all = recorders.all();
        Optional<Recorder> held = recorders.holder(path);
        Response meta = null;
        Recorder holder = null;
        if (all.size() == 1 || held.isPresent()) {
            Recorder r = held.orElse(all.get(0));
            if (who.allCameras()) {
                return new Found(r, null);
            }
            meta = call(r, "GET", path, null);
            holder = meta.getStatus() == 200 ? r : null;
        }
        if (holder == null && all.size() > 1) {
            Response other = meta;
            for (Recorder r : all) {
                Response answer = call(r, "GET", path, null);
                if (answer.getStatus() == 200) {
                    recorders.holds(path, r);
                    holder = r;
                    meta = answer;
                    break;
                }
                // a recorder's 404 says more than another's 503
                if (other == null || other.getStatus() == 503 && answer.getStatus() != 503) {
                    other = answer;
                }
            }
            meta = holder == null ? other : meta;
        }
        if (holder == null) {
            return new Found(null, meta);
        }
        if (who.allCameras()) {
            return new Found(holder, null);
        }
        String camera = null;
        try {
            camera = Events.mapper().readTree((byte[]) meta.getEntity()).path("cameraId").asText(null);
        } catch (IOException | RuntimeException e) {
            // unreadable: refused below
        }
        return camera != null && who.mayWatch(camera) ? new Found(holder, null) : new Found(null, forbidden(camera));
    }

    /**
     * The recorder to start an export of {@code camera} over [from, to] on: the only one, else the first that lists a
     * recording of the camera in the range (the first of all when none does; it answers why not).
     */
    private Recorder exporter(String camera, String from, String to) {
        List<Recorder> all = recorders.all();
        if (all.size() == 1 || camera == null || !io.github.cctv.protocol.CameraId.isValid(camera)) {
            return all.get(0);
        }
        StringBuilder query = new StringBuilder("/api/recordings?limit=1&camera=").append(camera);
        for (String[] p : new String[][]{{"from", from}, {"to", to}}) {
            if (p[1] != null) {
                query.append('&').append(p[0]).append('=').append(java.net.URLEncoder.encode(p[1], java.nio.charset.StandardCharsets.UTF_8));
            }
        }
        for (Recorder r : all) {
            Response listed = call(r, "GET", query.toString(), null);
            if (listed.getStatus() == 200 && listed.getEntity() instanceof byte[] json) {
                try {
                    if (Events.mapper().readTree(json).size() > 0) {
                        return r;
                    }
                } catch (IOException | RuntimeException e) {
                    // the next one
                }
            }
        }
        return all.get(0);
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

    private Response call(Recorder recorder, String method, String path, String body) {
        String base = recorder.base().toString();
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
