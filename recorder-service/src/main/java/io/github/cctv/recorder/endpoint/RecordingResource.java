package io.github.cctv.recorder.endpoint;

import io.github.cctv.protocol.CameraId;
import io.github.cctv.protocol.event.RecordingState;
import io.github.cctv.recorder.domain.recording.RecordingManager;
import io.github.cctv.recorder.domain.store.Recording;
import io.github.cctv.recorder.domain.store.RecordingId;
import io.github.cctv.recorder.domain.store.RecordingIndex;
import io.github.cctv.recorder.media.MjpegPlayer;
import io.github.cctv.recorder.media.Mp4Exporter;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;

/** The recordings API: list, metadata, download with ranges, MJPEG playback, MP4 export, recording state. */
@Path("/api")
public class RecordingResource {

    private static final Logger LOG = Logger.getLogger(RecordingResource.class);
    private static final String MKV = "video/x-matroska";

    private final RecordingIndex index;
    private final RecordingManager manager;
    private final MjpegPlayer player;
    private final Mp4Download mp4;

    public RecordingResource(RecordingIndex index, RecordingManager manager, MjpegPlayer player, Mp4Exporter exporter) {
        this.index = index;
        this.manager = manager;
        this.player = player;
        this.mp4 = new Mp4Download(exporter);
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
    @Path("/recordings/{id}/file")
    @Produces(MKV)
    @Operation(summary = "The recording's Matroska file", description = "Supports a single byte range (206 Partial Content).")
    public Response file(@PathParam("id") String id, @HeaderParam("Range") String range) {
        Recording r = recording(id);
        java.nio.file.Path file = video(r);
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            throw ApiError.of(Response.Status.NOT_FOUND, "recording file is gone");
        }
        String disposition = "attachment; filename=\"" + r.id() + ".mkv\"";
        Optional<ByteRange> wanted;
        try {
            wanted = ByteRange.parse(range, size);
        } catch (ByteRange.UnsatisfiableException e) {
            return ApiError.response(416, "range not satisfiable: file has " + size + " bytes")
                    .header("Content-Range", "bytes */" + size).build();
        }
        if (wanted.isEmpty()) {
            return Response.ok(copy(file, 0, size), MKV)
                    .header("Accept-Ranges", "bytes")
                    .header("Content-Length", size)
                    .header("Content-Disposition", disposition)
                    .build();
        }
        ByteRange part = wanted.get();
        return Response.status(Response.Status.PARTIAL_CONTENT)
                .entity(copy(file, part.start(), part.length()))
                .type(MKV)
                .header("Accept-Ranges", "bytes")
                .header("Content-Range", part.contentRange(size))
                .header("Content-Length", part.length())
                .header("Content-Disposition", disposition)
                .build();
    }

    @GET
    @Path("/recordings/{id}/play")
    @Produces("multipart/x-mixed-replace; boundary=" + MjpegPlayer.BOUNDARY)
    @Operation(summary = "Plays the recording as MJPEG at real-time pace", description = "For an <img> element; offset in seconds from the start.")
    public Response play(@PathParam("id") String id, @QueryParam("offset") Double offset) {
        Recording r = recording(id);
        java.nio.file.Path file = video(r);
        double from = offset == null ? 0 : offset;
        if (!(from >= 0) || Double.isInfinite(from)) {
            throw ApiError.of(Response.Status.BAD_REQUEST, "offset must be a number of seconds >= 0");
        }
        StreamingOutput body = out -> {
            try {
                player.play(file, from, out);
            } catch (IOException e) {
                LOG.debugf("playback of %s ended: %s", r.id(), e.getMessage());
            }
        };
        return Response.ok(body, "multipart/x-mixed-replace; boundary=" + MjpegPlayer.BOUNDARY)
                .header("Cache-Control", "no-store")
                .build();
    }

    @GET
    @Path("/recordings/{id}/export.mp4")
    @Produces("video/mp4")
    @Operation(summary = "The recording, or [from, to) seconds of it, re-encoded as an H.264 MP4")
    public Response export(@PathParam("id") String id, @QueryParam("from") Double from, @QueryParam("to") Double to) {
        Recording r = recording(id);
        return mp4.respond(r.id(), video(r), from, to);
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
        RecordingId rid;
        try {
            rid = RecordingId.parse(id);
        } catch (RecordingId.InvalidRecordingIdException e) {
            throw ApiError.of(Response.Status.BAD_REQUEST, e.getMessage());
        }
        return index.get(rid.value())
                .orElseThrow(() -> ApiError.of(Response.Status.NOT_FOUND, "no recording " + rid.value()));
    }

    private java.nio.file.Path video(Recording r) {
        java.nio.file.Path file = index.layout().videoOf(RecordingId.parse(r.id()));
        try {
            if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                throw ApiError.of(Response.Status.NOT_FOUND, "recording file is gone");
            }
            return index.layout().requireRealInside(file);
        } catch (IOException | SecurityException e) {
            throw ApiError.of(Response.Status.NOT_FOUND, "recording file is not available");
        }
    }

    private static StreamingOutput copy(java.nio.file.Path file, long start, long length) {
        return out -> {
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
                WritableByteChannel target = Channels.newChannel(out);
                ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
                long pos = start;
                long left = length;
                while (left > 0) {
                    buf.clear().limit((int) Math.min(buf.capacity(), left));
                    int n = ch.read(buf, pos);
                    if (n < 0) {
                        break;
                    }
                    buf.flip();
                    while (buf.hasRemaining()) {
                        target.write(buf);
                    }
                    pos += n;
                    left -= n;
                }
                flushQuietly(out);
            }
        };
    }

    private static void flushQuietly(OutputStream out) throws IOException {
        out.flush();
    }

    private static Instant instant(String name, String value) {
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
