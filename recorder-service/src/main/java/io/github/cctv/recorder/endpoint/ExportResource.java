package io.github.cctv.recorder.endpoint;

import io.github.cctv.recorder.domain.export.ExportJobs;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;

import java.net.URI;
import java.time.Instant;
import java.util.Locale;

/**
 * Export jobs: any time range of one camera, across its segments, made into one MP4 by stream copy. The file is
 * downloaded from {@code GET /api/exports/{id}/file} ({@link MediaRoutes}) once the job is done.
 */
@Path("/api/exports")
public class ExportResource {

    private final ExportJobs jobs;
    private final MediaLimits limits;

    public ExportResource(ExportJobs jobs, MediaLimits limits) {
        this.jobs = jobs;
        this.limits = limits;
    }

    /** {@code {cameraId, from, to}}, ISO-8601 instants. */
    public record ExportRequest(String cameraId, String from, String to) {
    }

    /**
     * A job as the API shows it: {@code state} {@code running}, {@code done}, {@code failed} or {@code cancelled};
     * {@code progress} 0 to 1; {@code file} the download's path once done.
     */
    public record ExportView(String id, String cameraId, Instant from, Instant to, String state, double progress,
                             long frames, long bytes, String error, String fileName, String file, Instant created,
                             Instant finished) {
        static ExportView of(ExportJobs.Job j) {
            ExportJobs.State s = j.state();
            return new ExportView(j.id(), j.cameraId(), j.from(), j.to(), s.name().toLowerCase(Locale.ROOT),
                    j.progress(), j.frames(), j.bytes(), j.error(), j.fileName(),
                    s == ExportJobs.State.DONE ? "/api/exports/" + j.id() + "/file" : null, j.created(), j.finished());
        }
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Starts exporting a time range of a camera as one MP4 (stream copy, across segments)",
            description = "202 with the job; 404 when no recording holds the range, 422 when it mixes formats, 503 with"
                    + " Retry-After when too many exports run.")
    public Response create(ExportRequest request) {
        if (request == null) {
            throw ApiError.of(Response.Status.BAD_REQUEST, "need a JSON body {\"cameraId\":…, \"from\":…, \"to\":…}");
        }
        Instant from = RecordingResource.instant("from", request.from());
        Instant to = RecordingResource.instant("to", request.to());
        try {
            ExportJobs.Job job = jobs.submit(request.cameraId(), from, to);
            return Response.accepted(ExportView.of(job)).location(URI.create("/api/exports/" + job.id())).build();
        } catch (IllegalArgumentException e) {
            throw ApiError.of(Response.Status.BAD_REQUEST, e.getMessage());
        } catch (ExportJobs.NothingToExportException e) {
            throw ApiError.of(Response.Status.NOT_FOUND, e.getMessage());
        } catch (ExportJobs.UnprocessableException e) {
            throw new jakarta.ws.rs.WebApplicationException(ApiError.response(422, e.getMessage()).build());
        } catch (ExportJobs.BusyException e) {
            throw new jakarta.ws.rs.WebApplicationException(ApiError.response(503, e.getMessage())
                    .header("Retry-After", limits.retryAfterSeconds()).build());
        }
    }

    @GET
    @Path("/{id}")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "An export job: its state and progress")
    public ExportView get(@PathParam("id") String id) {
        return jobs.get(id).map(ExportView::of)
                .orElseThrow(() -> ApiError.of(Response.Status.NOT_FOUND, "no export " + id));
    }

    @DELETE
    @Path("/{id}")
    @Operation(summary = "Cancels an export job, or deletes its finished file")
    public Response delete(@PathParam("id") String id) {
        if (!jobs.cancel(id)) {
            throw ApiError.of(Response.Status.NOT_FOUND, "no export " + id);
        }
        return Response.noContent().build();
    }
}
