package io.github.cctv.recorder.domain.store;

import io.github.cctv.protocol.CameraId;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * Where files live: {@code <root>/<cameraId>/<yyyy-MM-dd>/<cameraId>_<yyyy-MM-dd_HH-mm-ss>.mkv} (JPEG) or
 * {@code .mp4} (H.264), plus a {@code .json} sidecar per segment. The date and time are the server's (the first
 * frame's ingest time) in the configured zone. Every path is built from a checked id and a known extension and
 * checked again to stay under the root, symbolic links included. Folders whose name starts with a dot (the export
 * folder) are not recordings.
 */
public final class RecordingLayout {

    /** The video file name extensions (no dot): Matroska, MP4. */
    public static final List<String> VIDEO_EXTENSIONS = List.of("mkv", "mp4");
    public static final String SIDECAR_EXT = ".json";

    private final Path root;
    private final ZoneId zone;

    public RecordingLayout(Path root, ZoneId zone) {
        this.root = root.toAbsolutePath().normalize();
        this.zone = zone;
    }

    public Path root() {
        return root;
    }

    public ZoneId zone() {
        return zone;
    }

    /** The video file of a recording with extension {@code ext} ({@code mkv}, {@code mp4}), which may not exist. */
    public Path videoOf(RecordingId id, String ext) {
        if (!VIDEO_EXTENSIONS.contains(ext)) {
            throw new IllegalArgumentException("not a video extension: " + ext);
        }
        return inside(dayFolder(id).resolve(id.value() + "." + ext));
    }

    /** The video file of an indexed recording: its id and the extension of its path. */
    public Path videoOf(Recording r) {
        return videoOf(RecordingId.parse(r.id()), r.extension());
    }

    /** The extension of a video file name or path ({@code mp4}); {@code mkv} for anything else. */
    public static String extensionOf(String path) {
        return path != null && path.endsWith(".mp4") ? "mp4" : "mkv";
    }

    private Path dayFolder(RecordingId id) {
        return root.resolve(id.cameraId()).resolve(RecordingId.DATE.format(id.day()));
    }

    /**
     * Where a recording's thumbnail is cached: {@code <root>/.thumbnails/<cameraId>/<id>.jpg} (a dot folder, so never
     * taken for a recording).
     */
    public Path thumbnailOf(RecordingId id) {
        return root.resolve(".thumbnails").resolve(id.cameraId()).resolve(id.value() + ".jpg");
    }

    /**
     * Where the finished copy of a Matroska recording is cached for download and frame lookup:
     * {@code <root>/.cache/<cameraId>/<id>.mkv}, the same frames with their duration and an index (cues).
     */
    public Path finishedCopyOf(RecordingId id) {
        return root.resolve(".cache").resolve(id.cameraId()).resolve(id.value() + ".mkv");
    }

    public Path sidecarOf(RecordingId id) {
        return inside(dayFolder(id).resolve(id.value() + SIDECAR_EXT));
    }

    /** Path relative to the root, with '/' separators, as shown in the API and events. */
    public String relative(Path file) {
        return root.relativize(file).toString().replace('\\', '/');
    }

    /** Local time of an instant in the configured zone, to the second. */
    public LocalDateTime local(Instant instant) {
        return LocalDateTime.ofInstant(instant, zone).truncatedTo(ChronoUnit.SECONDS);
    }

    /**
     * A fresh id for a segment of {@code cameraId} that starts at {@code start} (server time): a {@code -n} suffix
     * when a file of that second exists already, in any format. Creates the day folder.
     */
    public RecordingId newSegment(String cameraId, Instant start) throws IOException {
        CameraId.requireValid(cameraId);
        LocalDateTime local = local(start);
        for (int suffix = 0; suffix < 10_000; suffix++) {
            RecordingId id = RecordingId.of(cameraId, local, suffix);
            Files.createDirectories(inside(dayFolder(id)));
            if (!taken(id)) {
                return id;
            }
        }
        throw new IOException("no free file name for " + cameraId + " at " + local);
    }

    private boolean taken(RecordingId id) {
        if (Files.exists(sidecarOf(id), LinkOption.NOFOLLOW_LINKS)) {
            return true;
        }
        for (String ext : VIDEO_EXTENSIONS) {
            if (Files.exists(videoOf(id, ext), LinkOption.NOFOLLOW_LINKS)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Checks that an existing file really lies under the root once links are followed; a symbolic link
     * pointing out of the root is refused.
     */
    public Path requireRealInside(Path file) throws IOException {
        Path real = file.toRealPath();
        Path realRoot = root.toRealPath();
        if (!real.startsWith(realRoot)) {
            throw new SecurityException("path leaves the recordings root");
        }
        return real;
    }

    private Path inside(Path p) {
        Path n = p.normalize();
        if (!n.startsWith(root)) {
            throw new SecurityException("path leaves the recordings root");
        }
        return n;
    }
}
