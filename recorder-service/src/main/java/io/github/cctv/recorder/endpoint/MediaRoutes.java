package io.github.cctv.recorder.endpoint;

import io.github.cctv.protocol.ErrorBody;
import io.github.cctv.protocol.event.Events;
import io.github.cctv.recorder.domain.export.ExportJobs;
import io.github.cctv.recorder.domain.export.SegmentExporter;
import io.github.cctv.recorder.domain.store.Recording;
import io.github.cctv.recorder.domain.store.RecordingId;
import io.github.cctv.recorder.domain.store.RecordingIndex;
import io.github.cctv.recorder.health.RecorderMetrics;
import io.github.cctv.recorder.media.MjpegPlayer;
import io.github.cctv.recorder.media.Mp4Exporter;
import io.github.cctv.recorder.media.RangeExporter;
import io.github.cctv.recorder.media.ReviewMedia;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

/**
 * The media of the API, on Vert.x routes rather than resource methods, so that none of it holds a thread of the
 * HTTP worker pool (which the JSON API and the health checks use) and all of it ends as soon as the client goes:
 * <ul>
 *   <li>{@code GET /api/recordings/{id}/file}: the segment file, whole or one byte range, sent by the event loop
 *       (no thread held; a closed connection ends it);</li>
 *   <li>{@code GET /api/recordings/{id}/play}: MJPEG at real-time pace on the playback pool;</li>
 *   <li>{@code GET /api/recordings/{id}/export.mp4}: the recording or part of it as an MP4, made on the export
 *       pool into a temporary file in the export folder, sent, then deleted (also when the client goes away);</li>
 *   <li>{@code GET /api/exports/{id}/file}: the file of a finished export job.</li>
 * </ul>
 * Each kind is bounded ({@link MediaLimits}); beyond, 503 with {@code Retry-After}. Errors carry the system's
 * {@link ErrorBody}.
 */
@ApplicationScoped
public class MediaRoutes {

    private static final Logger LOG = Logger.getLogger(MediaRoutes.class);
    /** Before the REST resources' routes, which would otherwise answer these paths 404. */
    private static final int ORDER = RouteConstants.ROUTE_ORDER_DEFAULT;
    private static final String MULTIPART = "multipart/x-mixed-replace; boundary=" + MjpegPlayer.BOUNDARY;

    private final RecordingIndex index;
    private final MjpegPlayer player;
    private final Mp4Exporter reencoder;
    private final SegmentExporter copier;
    private final ExportJobs jobs;
    private final MediaLimits limits;
    private final RecorderMetrics metrics;
    private final ReviewMedia review;

    public MediaRoutes(RecordingIndex index, MjpegPlayer player, Mp4Exporter reencoder, SegmentExporter copier,
                       ExportJobs jobs, MediaLimits limits, RecorderMetrics metrics, ReviewMedia review) {
        this.review = review;
        this.index = index;
        this.player = player;
        this.reencoder = reencoder;
        this.copier = copier;
        this.jobs = jobs;
        this.limits = limits;
        this.metrics = metrics;
    }

    void routes(@Observes Router router) {
        // blocking handlers: a few file system calls on a worker thread, which is then free again at once
        router.get("/api/recordings/:id/file").order(ORDER).blockingHandler(this::file, false);
        router.get("/api/recordings/:id/play").order(ORDER).blockingHandler(this::play, false);
        router.get("/api/recordings/:id/export.mp4").order(ORDER).blockingHandler(this::exportOne, false);
        router.get("/api/exports/:id/file").order(ORDER).blockingHandler(this::exportFile, false);
        router.get("/api/recordings/:id/thumbnail.jpg").order(ORDER).blockingHandler(this::thumbnail, false);
        router.get("/api/recordings/:id/frame.jpg").order(ORDER).blockingHandler(this::frame, false);
    }

    /** An answer other than the media: an error status and its message. */
    static final class Answer extends Exception {
        final int status;

        Answer(int status, String message) {
            super(message, null, false, false);
            this.status = status;
        }
    }

    void file(RoutingContext ctx) {
        try {
            Recording r = recording(ctx.pathParam("id"));
            Path video = video(r);
            if ("mkv".equals(r.extension()) && !r.open()) {
                // a finished Matroska segment goes out as its finished copy: the same frames, with a duration
                onPool(ctx, "download", () -> {
                    Path out = video;
                    try {
                        out = review.finishedMatroska(video, finishedCopy(r));
                    } catch (IOException e) {
                        // a file FFmpeg cannot read through is sent as it is stored
                        LOG.warnf("%s goes out as stored, without its duration: %s", r.id(), e.getMessage());
                    }
                    send(ctx, out, RecordingView.contentType(r), r.id() + "." + r.extension(), () -> { });
                });
                return;
            }
            send(ctx, video, RecordingView.contentType(r), r.id() + "." + r.extension(), () -> { });
        } catch (Answer a) {
            error(ctx, a.status, a.getMessage());
        }
    }

    /** One keyframe of the recording, small, made once and cached. */
    void thumbnail(RoutingContext ctx) {
        try {
            Recording r = recording(ctx.pathParam("id"));
            Path video = video(r);
            Path cached = index.layout().thumbnailOf(RecordingId.parse(r.id()));
            onPool(ctx, "thumbnail", () -> send(ctx, review.thumbnail(video, cached), "image/jpeg",
                    r.id() + ".jpg", () -> { }));
        } catch (Answer a) {
            error(ctx, a.status, a.getMessage());
        }
    }

    /**
     * The stored JPEG of a Matroska recording shown at {@code offset} seconds, with its own time
     * ({@code X-Frame-Offset}) and the next frame's ({@code X-Next-Offset}, absent at the end): the JPEG player steps,
     * seeks and plays at any speed with it.
     */
    void frame(RoutingContext ctx) {
        try {
            Recording r = recording(ctx.pathParam("id"));
            Path video = video(r);
            double offset = seconds(ctx, "offset", 0);
            if ("mp4".equals(r.extension())) {
                throw new Answer(409, r.id() + " is H.264: play /api/recordings/" + r.id() + "/file in a <video> element");
            }
            onPool(ctx, "frame", () -> {
                Path file = r.open() ? video : review.finishedMatroska(video, finishedCopy(r));
                ReviewMedia.JpegFrame f = review.jpegAt(file, offset);
                HttpServerResponse res = ctx.response().putHeader("Content-Type", "image/jpeg")
                        .putHeader("Cache-Control", "no-store")
                        .putHeader("X-Frame-Offset", String.valueOf(f.seconds()));
                if (f.nextSeconds() != null) {
                    res.putHeader("X-Next-Offset", String.valueOf(f.nextSeconds()));
                }
                res.end(Buffer.buffer(f.jpeg()));
            });
        } catch (Answer a) {
            error(ctx, a.status, a.getMessage());
        }
    }

    private interface PoolWork {
        void run() throws IOException, Answer;
    }

    /** Work that decodes or copies a file, on the playback pool (bounded, off the worker pool). */
    private void onPool(RoutingContext ctx, String what, PoolWork work) {
        try {
            limits.playbacks().execute(() -> {
                try {
                    work.run();
                } catch (Answer a) {
                    error(ctx, a.status, a.getMessage());
                } catch (MjpegPlayer.NotMjpegException e) {
                    error(ctx, 409, e.getMessage());
                } catch (IOException | RuntimeException e) {
                    LOG.debugf("%s failed: %s", what, e.getMessage());
                    error(ctx, 500, what + " failed: " + e.getMessage());
                }
            });
        } catch (RejectedExecutionException e) {
            busy(ctx, "playback", "too many playbacks at once");
        }
    }

    private Path finishedCopy(Recording r) {
        return index.layout().finishedCopyOf(RecordingId.parse(r.id()));
    }

    void play(RoutingContext ctx) {
        Recording r;
        Path video;
        double from;
        try {
            r = recording(ctx.pathParam("id"));
            video = video(r);
            from = seconds(ctx, "offset", 0);
            if ("mp4".equals(r.extension())) {
                throw new Answer(409, r.id() + " is H.264: play /api/recordings/" + r.id() + "/file in a <video> element");
            }
        } catch (Answer a) {
            error(ctx, a.status, a.getMessage());
            return;
        }
        HttpServerResponse res = ctx.response();
        ResponseStream out = new ResponseStream(res, h -> h.setStatusCode(200).putHeader("Content-Type", MULTIPART)
                .putHeader("Cache-Control", "no-store"));
        try {
            limits.playbacks().execute(() -> {
                try {
                    player.play(video, from, out, out::gone);
                    out.finish();
                } catch (MjpegPlayer.NotMjpegException e) {
                    error(ctx, 409, e.getMessage());
                } catch (IOException | RuntimeException e) {
                    LOG.debugf("playback of %s ended: %s", r.id(), e.getMessage());
                    if (!out.started()) {
                        error(ctx, 500, "cannot play " + r.id() + ": " + e.getMessage());
                    } else if (!res.closed()) {
                        res.reset();
                    }
                }
            });
        } catch (RejectedExecutionException e) {
            busy(ctx, "playback", "too many playbacks at once");
        }
    }

    void exportOne(RoutingContext ctx) {
        Recording r;
        Path video;
        double from;
        Double to;
        try {
            r = recording(ctx.pathParam("id"));
            video = video(r);
            from = seconds(ctx, "from", 0);
            to = ctx.queryParams().contains("to") ? seconds(ctx, "to", 0) : null;
            if (to != null && !(to > from)) {
                throw new Answer(400, "need 0 <= from < to (seconds from the start)");
            }
        } catch (Answer a) {
            error(ctx, a.status, a.getMessage());
            return;
        }
        HttpServerResponse res = ctx.response();
        BooleanSupplier cancelled = () -> res.closed() || Thread.currentThread().isInterrupted();
        Path tmp = jobs.scratchFile();
        try {
            limits.exports().execute(() -> {
                try {
                    long frames;
                    if ("mp4".equals(r.extension())) {
                        Instant a = r.start().plusNanos((long) (from * 1e9));
                        Instant b = to == null ? r.end().plusSeconds(60) : r.start().plusNanos((long) (to * 1e9));
                        frames = copier.export(List.of(r), a, b, tmp, p -> { }, cancelled);
                    } else {
                        frames = reencoder.export(video, tmp, from, to == null ? 0 : to, cancelled);
                    }
                    if (frames == 0) {
                        Files.deleteIfExists(tmp);
                        error(ctx, 400, "no frame in the requested range");
                        return;
                    }
                    send(ctx, tmp, RecordingView.MP4, fileName(r.id(), ctx.queryParams().contains("from") ? from : null, to),
                            () -> deleteQuietly(tmp));
                } catch (RangeExporter.NoFramesException e) {
                    error(ctx, 400, "no frame in the requested range");
                } catch (RangeExporter.CancelledException e) {
                    LOG.debugf("export of %s cancelled: the client went away", r.id());
                } catch (IOException | RuntimeException e) {
                    error(ctx, 500, "export failed: " + e.getMessage());
                } catch (Answer a) {
                    error(ctx, a.status, a.getMessage());
                } finally {
                    if (res.closed()) {
                        deleteQuietly(tmp); // sent or not, a client that left needs no file
                    }
                }
            });
        } catch (RejectedExecutionException e) {
            busy(ctx, "export", "too many exports at once");
        }
    }

    void exportFile(RoutingContext ctx) {
        Optional<ExportJobs.Job> job = jobs.get(ctx.pathParam("id"));
        if (job.isEmpty()) {
            error(ctx, 404, "no export " + ctx.pathParam("id"));
            return;
        }
        ExportJobs.Job j = job.get();
        switch (j.state()) {
            case DONE -> {
                try {
                    send(ctx, j.file(), RecordingView.MP4, j.fileName(), () -> { });
                } catch (Answer a) {
                    error(ctx, a.status, a.getMessage());
                }
            }
            case RUNNING -> error(ctx, 409, "export " + j.id() + " is still running (" + Math.round(j.progress() * 100) + " %)");
            case FAILED -> error(ctx, 409, "export " + j.id() + " failed: " + j.error());
            case CANCELLED -> error(ctx, 409, "export " + j.id() + " was cancelled");
        }
    }

    /**
     * Sends a file, whole or the one byte range asked for, from the event loop; {@code after} runs once it is sent
     * or the client has gone.
     */
    private void send(RoutingContext ctx, Path file, String contentType, String name, Runnable after) throws Answer {
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            after.run();
            throw new Answer(404, "the file is gone");
        }
        Optional<ByteRange> range;
        try {
            range = ByteRange.parse(ctx.request().getHeader("Range"), size);
        } catch (ByteRange.UnsatisfiableException e) {
            after.run();
            ctx.response().putHeader("Content-Range", "bytes */" + size);
            throw new Answer(416, "range not satisfiable: file has " + size + " bytes");
        }
        if (!limits.tryDownload()) {
            after.run();
            busy(ctx, "download", "too many downloads at once");
            return;
        }
        AtomicBoolean done = new AtomicBoolean();
        Runnable finished = () -> {
            if (done.compareAndSet(false, true)) {
                limits.downloadDone();
                after.run();
            }
        };
        ctx.addEndHandler(v -> finished.run());
        HttpServerResponse res = ctx.response()
                .putHeader("Content-Type", contentType)
                .putHeader("Accept-Ranges", "bytes")
                .putHeader("Content-Disposition", "attachment; filename=\"" + name + "\"");
        long offset = 0;
        long length = size;
        if (range.isPresent()) {
            ByteRange part = range.get();
            res.setStatusCode(206).putHeader("Content-Range", part.contentRange(size));
            offset = part.start();
            length = part.length();
        }
        res.sendFile(file.toString(), offset, length).onComplete(ar -> finished.run());
    }

    private Recording recording(String id) throws Answer {
        RecordingId rid;
        try {
            rid = RecordingId.parse(id);
        } catch (RecordingId.InvalidRecordingIdException e) {
            throw new Answer(400, e.getMessage());
        }
        return index.get(rid.value()).orElseThrow(() -> new Answer(404, "no recording " + rid.value()));
    }

    /** The recording's file, once checked to be a regular file really under the root. */
    private Path video(Recording r) throws Answer {
        Path file = index.layout().videoOf(r);
        try {
            if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                throw new Answer(404, "recording file is gone");
            }
            return index.layout().requireRealInside(file);
        } catch (IOException | SecurityException e) {
            throw new Answer(404, "recording file is not available");
        }
    }

    private static double seconds(RoutingContext ctx, String name, double otherwise) throws Answer {
        String v = ctx.request().getParam(name);
        if (v == null || v.isEmpty()) {
            return otherwise;
        }
        double d;
        try {
            d = Double.parseDouble(v);
        } catch (NumberFormatException e) {
            d = Double.NaN;
        }
        if (!(d >= 0) || Double.isInfinite(d)) {
            throw new Answer(400, name + " must be a number of seconds >= 0");
        }
        return d;
    }

    /** {@code <id>.mp4} for the whole recording, {@code <id>_<from>-<to|end>.mp4} for a part, whole seconds. */
    static String fileName(String recordingId, Double from, Double to) {
        if (from == null && to == null) {
            return recordingId + ".mp4";
        }
        long f = from == null ? 0 : (long) (double) from;
        return recordingId + "_" + f + "-" + (to == null ? "end" : Long.toString((long) (double) to)) + ".mp4";
    }

    private void busy(RoutingContext ctx, String kind, String message) {
        metrics.busy(kind);
        ctx.response().putHeader("Retry-After", String.valueOf(limits.retryAfterSeconds()));
        error(ctx, 503, message + "; try again in " + limits.retryAfterSeconds() + " s");
    }

    /** Answers {@code status} with the error body, unless the response is gone or already under way. */
    static void error(RoutingContext ctx, int status, String message) {
        HttpServerResponse res = ctx.response();
        if (res.closed() || res.ended() || res.headWritten()) {
            return;
        }
        res.setStatusCode(status).putHeader("Content-Type", "application/json")
                .end(Buffer.buffer(Events.write(ErrorBody.of(status, message))));
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.warnf("could not delete %s: %s", file, e.getMessage());
        }
    }
}
