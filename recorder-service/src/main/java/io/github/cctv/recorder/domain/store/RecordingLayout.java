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

/**
 * Where files live: {@code <root>/<cameraId>/<yyyy-MM-dd>/<cameraId>_<yyyy-MM-dd_HH-mm-ss>.mkv}, plus a
 * {@code .json} sidecar per segment. Every path is built from a checked id and checked again to stay under the
 * root, symbolic links included.
 */
public final class RecordingLayout {

    public static final String VIDEO_EXT = ".mkv";
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

    /** The video file of a recording (which may not exist). */
    public Path videoOf(RecordingId id) {
        return inside(root.resolve(id.cameraId()).resolve(RecordingId.DATE.format(id.day()))
                .resolve(id.value() + VIDEO_EXT));
    }

    public Path sidecarOf(RecordingId id) {
        return inside(root.resolve(id.cameraId()).resolve(RecordingId.DATE.format(id.day()))
                .resolve(id.value() + SIDECAR_EXT));
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
     * A fresh id for a segment of {@code cameraId} that starts at {@code start}: a {@code -n} suffix when a file of
     * that second exists already. Creates the day folder.
     */
    public RecordingId newSegment(String cameraId, Instant start) throws IOException {
        CameraId.requireValid(cameraId);
        LocalDateTime local = local(start);
        for (int suffix = 0; suffix < 10_000; suffix++) {
            RecordingId id = RecordingId.of(cameraId, local, suffix);
            Path video = videoOf(id);
            Files.createDirectories(video.getParent());
            if (!Files.exists(video, LinkOption.NOFOLLOW_LINKS) && !Files.exists(sidecarOf(id), LinkOption.NOFOLLOW_LINKS)) {
                return id;
            }
        }
        throw new IOException("no free file name for " + cameraId + " at " + local);
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
