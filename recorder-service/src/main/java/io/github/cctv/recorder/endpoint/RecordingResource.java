package io.github.cctv.recorder.endpoint;

import io.github.cctv.protocol.CameraId;
import io.github.cctv.protocol.event.RecordingState;
import io.github.cctv.recorder.domain.recording.RecordingManager;
import io.github.cctv.recorder.domain.store.Recording;
import io.github.cctv.recorder.domain.store.RecordingId;
import io.github.cctv.recorder.domain.store.RecordingIndex;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;

/**
 * The recordings API: list, metadata, recording state. The media (file download with ranges, MJPEG playback, MP4
 * export) are on {@link MediaRoutes}, off the worker pool these methods use.
 */
@Path("/api")
public class RecordingResource {

    private final RecordingIndex index;
    private final RecordingManager manager;

    public RecordingResource(RecordingIndex index, RecordingManager manager) {
        this.index = index;
        this.manager = manager;
    }

    @GET
    @Path("/recordings")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Recordings, newest first", description = "Optionally of one camera and overlapping [from, to] (ISO-8601 instants).")
    public List<RecordingView> list(@QueryParam("camera") String camera, @QueryParam("from") String from,
                                    @QueryParam("to") String to,
                                    @QueryParam("limit") @Parameter(description = "at most this many, default 100") Integer limit) {
        if (camera != null && !camera.isEmpty() && !CameraId.isValid(camera)) {
            throw ApiError.of(Response.Status.BAD_REQUEST, invalidCamera(camera));
        }
        int max = limit == null ? 100 : limit;
        if (max < 1 || max > 10_000) {
            throw ApiError.of(Response.Status.BAD_REQUEST, "limit must be between 1 and 10000");
        }
        return index.list(camera == null || camera.isEmpty() ? null : camera, instant("from", from),
                instant("to", to), max).stream().map(RecordingView::of).toList();
    }

    @GET
    @Path("/recordings/{id}")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "One recording's metadata")
    public RecordingView get(@PathParam("id") String id) {
        return RecordingView.of(recording(id));
    }

    @GET
    @Path("/recording-state")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Which cameras are being recorded, and since when")
    public List<StateView> states() {
        return manager.states().stream().map(StateView::of).toList();
    }

    /** {@code {cameraId, recording, since}}. */
    public record StateView(String cameraId, boolean recording, Instant since) {
        static StateView of(RecordingState s) {
            return new StateView(s.cameraId(), s.recording(), s.recording() ? s.since() : null);
        }
    }

    private Recording recording(String id) {
        return find(index, id);
    }

    /** The recording with this id: 400 for an id that is not one, 404 for one the index does not hold. */
    static Recording find(RecordingIndex index, String id) {
        RecordingId rid;
        try {
            rid = RecordingId.parse(id);
        } catch (RecordingId.InvalidRecordingIdException e) {
            throw ApiError.of(Response.Status.BAD_REQUEST, e.getMessage());
        }
        return index.get(rid.value())
                .orElseThrow(() -> ApiError.of(Response.Status.NOT_FOUND, "no recording " + rid.value()));
    }

    static Instant instant(String name, String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw ApiError.of(Response.Status.BAD_REQUEST, name + " must be an ISO-8601 instant like 2026-11-25T12:00:00Z");
        }
    }

    private static String invalidCamera(String camera) {
        try {
            CameraId.requireValid(camera);
            return "invalid camera id";
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }
}
