package io.github.cctv.dashboard.endpoint;

import io.github.cctv.dashboard.domain.audit.Audit;
import io.github.cctv.dashboard.domain.audit.AuditEvent;
import io.github.cctv.dashboard.domain.auth.Principal;
import io.github.cctv.dashboard.domain.cameras.CameraControl;
import io.github.cctv.dashboard.domain.cameras.CameraDirectory;
import io.github.cctv.dashboard.domain.cameras.CameraView;
import io.github.cctv.dashboard.domain.cameras.RecordingControl;
import io.github.cctv.dashboard.domain.live.Frame;
import io.github.cctv.dashboard.domain.live.LiveHub;
import io.github.cctv.dashboard.endpoint.ErrorMappers.BadRequest;
import io.github.cctv.dashboard.media.H264Snapshots;
import io.github.cctv.protocol.CameraId;
import io.github.cctv.protocol.event.CameraCommandReply;
import io.github.cctv.protocol.event.RecordingCommand;
import io.github.cctv.protocol.event.RecordingReply;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * Cameras for scripts: status and recording state, latest frame, recording control, forgetting a camera. Only the
 * caller's cameras are listed; {@link AccessRules} has refused the rest (a camera not the caller's, a viewer's
 * recording command or forget) before this runs. Recording commands and forgets are audited.
 */
@Path("/api/cameras")
@Produces(MediaType.APPLICATION_JSON)
public class CameraResource {

    private final CameraDirectory directory;
    private final LiveHub hub;
    private final RecordingControl recording;
    private final H264Snapshots snapshots;
    private final CameraControl cameras;
    private final Audit audit;
    private final Clock clock;

    public CameraResource(CameraDirectory directory, LiveHub hub, RecordingControl recording,
                          H264Snapshots snapshots, CameraControl cameras, Audit audit, Clock clock) {
        this.audit = audit;
        this.clock = clock;
        this.directory = directory;
        this.hub = hub;
        this.recording = recording;
        this.snapshots = snapshots;
        this.cameras = cameras;
    }

    @GET
    @Operation(summary = "Every known camera with its registry status and recording state, sorted by id")
    public List<CameraView> cameras(@Context RoutingContext ctx) {
        Principal who = AuthFilter.principal(ctx);
        return directory.cameras().stream().filter(c -> who.mayWatch(c.cameraId())).toList();
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "One camera's status and recording state")
    @APIResponse(responseCode = "404", description = "Camera unknown")
    public Response camera(@PathParam("id") String id) {
        CameraId.requireValid(id);
        return directory.camera(id).map(c -> Response.ok(c).build())
                .orElseGet(() -> ApiError.response(Response.Status.NOT_FOUND, "camera " + id + " is unknown"));
    }

    @DELETE
    @Path("/{id}")
    @Operation(summary = "Forgets an offline camera: ingest removes its registry entry, and it leaves every dashboard")
    @APIResponse(responseCode = "204", description = "Removed")
    @APIResponse(responseCode = "404", description = "Camera unknown to ingest")
    @APIResponse(responseCode = "409", description = "Camera online: it is not removed")
    @APIResponse(responseCode = "503", description = "No ingest answered in time")
    public Response forget(@PathParam("id") String id, @Context RoutingContext ctx) {
        CameraId.requireValid(id);
        CameraCommandReply reply;
        try {
            reply = cameras.forget(id);
        } catch (RuntimeException e) {
            audit(ctx, "forget", "forget", id, "failed: " + e.getMessage());
            throw e;
        }
        audit(ctx, "forget", "forget", id, reply.succeeded() ? "ok" : String.valueOf(reply.error()));
        if (reply.succeeded()) {
            // the registry's delete reaches every dashboard's watch; this one answers for it at once
            directory.statusRemoved(id);
            return Response.noContent().build();
        }
        String error = String.valueOf(reply.error());
        return switch (error) {
            case CameraCommandReply.ONLINE -> ApiError.response(Response.Status.CONFLICT,
                    "camera " + id + " is online; it can be forgotten once it is offline");
            case CameraCommandReply.UNKNOWN -> ApiError.response(Response.Status.NOT_FOUND,
                    "camera " + id + " is not in the registry");
            default -> ApiError.response(Response.Status.BAD_GATEWAY, "ingest refused to forget camera " + id + ": "
                    + error + (reply.message() == null ? "" : " (" + reply.message() + ")"));
        };
    }

    @GET
    @Path("/{id}/snapshot.jpg")
    @Produces({"image/jpeg", MediaType.APPLICATION_JSON})
    @Operation(summary = "The camera's latest frame as JPEG (an H.264 camera's newest key frame, decoded)")
    @APIResponse(responseCode = "404", description = "No recent frame of this camera")
    public Response snapshot(@PathParam("id") String id) {
        CameraId.requireValid(id);
        Optional<Frame> frame = hub.snapshotFrame(id);
        if (frame.isEmpty()) {
            return ApiError.response(Response.Status.NOT_FOUND, "no recent frame of camera " + id);
        }
        Frame f = frame.get();
        byte[] jpeg;
        if (f.h264()) {
            try {
                jpeg = snapshots.jpeg(f.data());
            } catch (H264Snapshots.BusyException e) {
                return Response.fromResponse(ApiError.response(Response.Status.SERVICE_UNAVAILABLE, e.getMessage()))
                        .header("Retry-After", "1").build();
            } catch (IllegalArgumentException e) {
                return ApiError.response(Response.Status.NOT_FOUND, "the newest key frame of camera " + id
                        + " does not decode: " + e.getMessage());
            }
        } else {
            jpeg = f.data();
        }
        return Response.ok(jpeg, "image/jpeg")
                .header("Cache-Control", "no-store")
                .header("Content-Disposition", "inline; filename=\"" + id + "_" + f.seq() + ".jpg\"")
                .header("X-Cctv-Seq", Long.toUnsignedString(f.seq()))
                .header("X-Cctv-Capture-Us", f.captureUs())
                .build();
    }

    @GET
    @Path("/{id}/recording")
    @Operation(summary = "Asks the recorder whether the camera is recording")
    @APIResponse(responseCode = "503", description = "No recorder answered")
    public RecordingReply recordingStatus(@PathParam("id") String id) {
        CameraId.requireValid(id);
        return recording.send(id, new RecordingCommand(RecordingCommand.STATUS, "dashboard"));
    }

    @POST
    @Path("/{id}/recording")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Starts or stops recording the camera: {\"action\":\"start\"} or {\"action\":\"stop\"}")
    @APIResponse(responseCode = "200", description = "The recorder's reply")
    @APIResponse(responseCode = "400", description = "Invalid camera id or action")
    @APIResponse(responseCode = "503", description = "No recorder answered in time")
    public RecordingReply control(@PathParam("id") String id, RecordingRequest request, @Context RoutingContext ctx) {
        CameraId.requireValid(id);
        if (request == null || request.action() == null) {
            throw new BadRequest("body must be {\"action\":\"start\"} or {\"action\":\"stop\"}");
        }
        String action = request.action();
        if (!RecordingCommand.START.equals(action) && !RecordingCommand.STOP.equals(action)) {
            throw new BadRequest("action must be 'start' or 'stop'");
        }
        Principal who = AuthFilter.principal(ctx);
        // with sign-in on, the recording says who asked: the signed-in user, whatever the body claims
        String by = who.name() != null ? who.name()
                : request.by() == null || request.by().isBlank() ? "dashboard" : request.by();
        if (by.length() > 100) {
            throw new BadRequest("'by' is longer than 100 characters");
        }
        RecordingReply reply;
        try {
            reply = recording.send(id, new RecordingCommand(action, by));
        } catch (RuntimeException e) {
            audit(ctx, "recording", action, id, "failed: " + e.getMessage());
            throw e;
        }
        audit(ctx, "recording", action, id, String.valueOf(reply.result()));
        return reply;
    }

    private void audit(RoutingContext ctx, String type, String action, String cameraId, String outcome) {
        audit.record(new AuditEvent(type, AuthFilter.principal(ctx).who(), action, cameraId, null, outcome,
                AuthFilter.clientAddress(ctx), clock.instant()));
    }

    /** Body of the recording control request; {@code by} names who asked (default "dashboard"). */
    public record RecordingRequest(String action, String by) {
    }
}
