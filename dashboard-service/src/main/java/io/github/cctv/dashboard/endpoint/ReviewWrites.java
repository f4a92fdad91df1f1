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
import java.time.Duration;
import java.util.Optional;

/**
 * The writes of the review page, passed on to the recorder with their JSON body and answered with the recorder's
 * status and body: start or cancel an export job, keep or release a recording, delete a recording or a range. The
 * dashboard's credentials never go along; the service token the recorder requires does. Reads go through {@link RecordingsProxy}.
 */
@Path("/api")
public class ReviewWrites {

    private final HttpClient http;
    private final String base;
    private final Duration timeout;
    private final Optional<ServiceToken> serviceToken;

    public ReviewWrites(DashboardConfig config, ServiceTokenConfig tokenConfig) {
        this.serviceToken = ServiceToken.from(tokenConfig);
        this.base = config.recorderUrl().endsWith("/")
                ? config.recorderUrl().substring(0, config.recorderUrl().length() - 1) : config.recorderUrl();
        this.timeout = config.recorderApiTimeout();
        this.http = HttpClient.newBuilder().connectTimeout(config.recorderConnectTimeout()).build();
    }

    @POST
    @Path("/exports")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Start an export job on the recorder: {cameraId, from, to}")
    public Response export(String body) {
        return call("POST", "/api/exports", body);
    }

    @DELETE
    @Path("/exports/{id}")
    @Operation(summary = "Cancel an export job, or delete its file")
    public Response cancel(@PathParam("id") String id) {
        return call("DELETE", "/api/exports/" + segment(id), null);
    }

    @PUT
    @Path("/recordings/{id}/keep")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Keep a recording as evidence, or release it: {keep}")
    public Response keep(@PathParam("id") String id, String body) {
        return call("PUT", "/api/recordings/" + segment(id) + "/keep", body);
    }

    @DELETE
    @Path("/recordings/{id}")
    @Operation(summary = "Delete a finished recording that is not kept")
    public Response delete(@PathParam("id") String id) {
        return call("DELETE", "/api/recordings/" + segment(id), null);
    }

    @DELETE
    @Path("/recordings")
    @Operation(summary = "Delete a camera's recordings wholly within [from, to]")
    public Response deleteRange(@Context UriInfo uri) {
        String query = uri.getRequestUri().getRawQuery();
        return call("DELETE", "/api/recordings" + (query == null ? "" : "?" + query), null);
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
