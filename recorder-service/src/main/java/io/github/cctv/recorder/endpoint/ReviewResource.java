package io.github.cctv.recorder.endpoint;

import io.github.cctv.protocol.CameraId;
import io.github.cctv.protocol.event.CameraEvent;
import io.github.cctv.recorder.config.RecorderConfig;
import io.github.cctv.recorder.domain.recording.RecordingEvents;
import io.github.cctv.recorder.domain.recording.RecordingManager;
import io.github.cctv.recorder.domain.review.Storage;
import io.github.cctv.recorder.domain.review.StorageReport;
import io.github.cctv.recorder.domain.review.Timeline;
import io.github.cctv.recorder.domain.store.Recording;
import io.github.cctv.recorder.domain.store.RecordingIndex;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * What review needs beyond the list: a camera's (or every camera's) time line of a day or any range, where a moment
 * is (which segment, which offset, and the next segment), the storage report, keeping a recording as evidence, and
 * deleting a recording or a range of them.
 */
@Path("/api")
public class ReviewResource {

    private static final Logger LOG = Logger.getLogger(ReviewResource.class);
    /** The longest range one timeline request covers. */
    static final Duration MAX_RANGE = Duration.ofDays(31);

    private final RecordingIndex index;
    private final RecordingManager manager;
    private final RecordingEvents events;
    private final Storage storage;
    private final Clock clock;
    private final ZoneId zone;

    public ReviewResource(RecordingIndex index, RecordingManager manager, RecordingEvents events, Storage storage,
                          Clock clock, RecorderConfig config) {
        this.index = index;
        this.manager = manager;
        this.events = events;
        this.storage = storage;
        this.clock = clock;
        this.zone = config.zone();
    }

    /** The answer of {@code /api/timeline}: the range and one timeline per camera. */
    public record TimelineView(Instant from, Instant to, Instant now, List<Timeline> cameras) {
    }

    @GET
    @Path("/timeline")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Recorded spans, gaps and segments of one camera or of all, over a day or [from, to)",
            description = "Either day=yyyy-MM-dd (with zone=, an IANA zone, default the recorder's) or from/to ISO-8601 instants.")
    public TimelineView timeline(@QueryParam("camera") String camera, @QueryParam("day") String day,
                                 @QueryParam("zone") String zoneName, @QueryParam("from") String from,
                                 @QueryParam("to") String to) {
        String cam = camera(camera, false);
        Instant a;
        Instant b;
        if (day != null && !day.isEmpty()) {
            ZoneId z = zone(zoneName);
            LocalDate d;
            try {
                d = LocalDate.parse(day);
            } catch (DateTimeException e) {
                throw ApiError.of(Response.Status.BAD_REQUEST, "day must be a date like 2026-11-25");
            }
            a = d.atStartOfDay(z).toInstant();
            b = d.plusDays(1).atStartOfDay(z).toInstant();
        } else {
            a = RecordingResource.instant("from", from);
            b = RecordingResource.instant("to", to);
            if (a == null || b == null) {
                throw ApiError.of(Response.Status.BAD_REQUEST, "give day=yyyy-MM-dd, or both from and to");
            }
        }
        if (!b.isAfter(a) || Duration.between(a, b).compareTo(MAX_RANGE) > 0) {
            throw ApiError.of(Response.Status.BAD_REQUEST, "need from < to, at most 31 days apart");
        }
        List<Recording> all = index.list(cam, a, b, Integer.MAX_VALUE);
        Set<String> cameras = new TreeSet<>();
        if (cam != null) {
            cameras.add(cam);
        } else {
            all.forEach(r -> cameras.add(r.cameraId()));
        }
        Instant now = clock.instant();
        List<Timeline> lines = new ArrayList<>();
        for (String c : cameras) {
            lines.add(Timeline.of(c, all, a, b, now));
        }
        return new TimelineView(a, b, now, lines);
    }

    /** The answer of {@code /api/timeline/at}. */
    public record PositionView(String cameraId, Instant t, RecordingView recording, double offsetSeconds,
                               boolean inGap, RecordingView next) {
    }

    @GET
    @Path("/timeline/at")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Which segment holds the moment t of a camera, the offset into it, and the segment after it",
            description = "In a gap: the next segment, offset 0, inGap true. 404 when nothing is recorded at or after t.")
    public PositionView at(@QueryParam("camera") String camera, @QueryParam("t") String t) {
        String cam = camera(camera, true);
        Instant at = RecordingResource.instant("t", t);
        if (at == null) {
            throw ApiError.of(Response.Status.BAD_REQUEST, "t (an ISO-8601 instant) is required");
        }
        List<Recording> all = index.list(cam, at.minus(Duration.ofDays(1)), null, Integer.MAX_VALUE);
        Timeline.Position p = Timeline.locate(cam, all, at).orElseThrow(() -> ApiError.of(Response.Status.NOT_FOUND,
                "nothing of " + cam + " is recorded at or after " + at));
        return new PositionView(cam, at, view(p.segment().id()), p.offsetSeconds(), p.inGap(),
                p.next() == null ? null : view(p.next().id()));
    }

    @GET
    @Path("/storage")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Space used and free, per camera, retention in force, days the disk holds at the current rate")
    public StorageReport storage() {
        return storage.report();
    }

    /** Body of {@code PUT /api/recordings/{id}/keep}. */
    public record KeepRequest(Boolean keep) {
    }

    @PUT
    @Path("/recordings/{id}/keep")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Keep a finished recording as evidence (retention never deletes it), or release it")
    public RecordingView keep(@PathParam("id") String id, KeepRequest body) {
        if (body == null || body.keep() == null) {
            throw ApiError.of(Response.Status.BAD_REQUEST, "body must be {\"keep\":true} or {\"keep\":false}");
        }
        Recording r = recording(id);
        try {
            Recording changed = index.setKept(r.id(), body.keep());
            storage.fresh();
            LOG.infof("%s %s", r.id(), body.keep() ? "kept as evidence" : "no longer kept");
            return RecordingView.of(changed);
        } catch (IllegalStateException e) {
            throw ApiError.of(Response.Status.CONFLICT, e.getMessage());
        } catch (java.util.NoSuchElementException e) {
            throw ApiError.of(Response.Status.NOT_FOUND, e.getMessage());
        } catch (IOException e) {
            throw ApiError.of(Response.Status.INTERNAL_SERVER_ERROR, "cannot change " + r.id() + ": " + e.getMessage());
        }
    }

    @DELETE
    @Path("/recordings/{id}")
    @Operation(summary = "Delete a finished recording: its file, its index entry, its cached pictures",
            description = "409 while it is being written or while it is kept.")
    public Response delete(@PathParam("id") String id) {
        Recording r = recording(id);
        String refused = refusal(r);
        if (refused != null) {
            throw ApiError.of(Response.Status.CONFLICT, refused);
        }
        deleteOne(r);
        storage.fresh();
        return Response.noContent().build();
    }

    /** The answer of a range deletion. */
    public record DeletedView(List<String> deleted, List<Skipped> skipped) {
        public record Skipped(String id, String reason) {
        }
    }

    @DELETE
    @Path("/recordings")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Delete the recordings of a camera that lie wholly within [from, to]",
            description = "Segments only partly inside the range, being written, or kept are left and listed as skipped.")
    public DeletedView deleteRange(@QueryParam("camera") String camera, @QueryParam("from") String from,
                                   @QueryParam("to") String to) {
        String cam = camera(camera, true);
        Instant a = RecordingResource.instant("from", from);
        Instant b = RecordingResource.instant("to", to);
        if (a == null || b == null || !b.isAfter(a)) {
            throw ApiError.of(Response.Status.BAD_REQUEST, "need camera, from and to with from < to");
        }
        List<String> deleted = new ArrayList<>();
        List<DeletedView.Skipped> skipped = new ArrayList<>();
        for (Recording r : index.list(cam, a, b, Integer.MAX_VALUE)) {
            Instant end = r.end() == null ? r.start() : r.end();
            String refused = refusal(r);
            if (refused == null && (r.start().isBefore(a) || end.isAfter(b))) {
                refused = "only partly inside the range";
            }
            if (refused != null) {
                skipped.add(new DeletedView.Skipped(r.id(), refused));
                continue;
            }
            deleteOne(r);
            deleted.add(r.id());
        }
        storage.fresh();
        return new DeletedView(deleted, skipped);
    }

    private String refusal(Recording r) {
        if (r.open() || manager.openRecordings().contains(r.id())) {
            return r.id() + " is still being written";
        }
        if (r.kept()) {
            return r.id() + " is kept as evidence: release it first";
        }
        return null;
    }

    private void deleteOne(Recording r) {
        try {
            index.delete(r);
        } catch (IOException e) {
            throw ApiError.of(Response.Status.INTERNAL_SERVER_ERROR, "cannot delete " + r.id() + ": " + e.getMessage());
        }
        LOG.infof("deleted %s (operator)", r.path());
        events.publish(new CameraEvent.RecordingDeleted(r.cameraId(), clock.instant(), r.id(), r.path(), "operator"));
    }

    private RecordingView view(String id) {
        return RecordingView.of(index.get(id).orElseThrow(() -> ApiError.of(Response.Status.NOT_FOUND, "no recording " + id)));
    }

    private Recording recording(String id) {
        return RecordingResource.find(index, id);
    }

    private static String camera(String camera, boolean required) {
        if (camera == null || camera.isEmpty()) {
            if (required) {
                throw ApiError.of(Response.Status.BAD_REQUEST, "camera is required");
            }
            return null;
        }
        if (!CameraId.isValid(camera)) {
            throw ApiError.of(Response.Status.BAD_REQUEST, "invalid camera id: " + camera);
        }
        return camera;
    }

    private ZoneId zone(String name) {
        if (name == null || name.isEmpty()) {
            return zone;
        }
        try {
            return ZoneId.of(name);
        } catch (DateTimeException e) {
            throw ApiError.of(Response.Status.BAD_REQUEST, "unknown time zone " + name);
        }
    }
}
