package io.github.cctv.recorder.endpoint;

import io.github.cctv.recorder.media.Mp4Exporter;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * An MP4 export of a recording, or of {@code [from, to)} seconds of it, for download: made into a temporary file
 * (its length is known before the first byte goes out) that is deleted once sent, or at once when the export fails.
 */
final class Mp4Download {

    private final Mp4Exporter exporter;

    Mp4Download(Mp4Exporter exporter) {
        this.exporter = exporter;
    }

    /** The answer to an export request; {@code from} and {@code to} in seconds from the start, null when not given. */
    Response respond(String recordingId, Path video, Double from, Double to) {
        double f = from == null ? 0 : from;
        double t = to == null ? 0 : to;
        if (!(f >= 0) || (to != null && !(t > f))) {
            throw ApiError.of(Response.Status.BAD_REQUEST, "need 0 <= from < to (seconds from the start)");
        }
        Path tmp;
        try {
            tmp = Files.createTempFile("cctv-export-", ".mp4");
        } catch (IOException e) {
            throw ApiError.of(Response.Status.INTERNAL_SERVER_ERROR, "export failed: no temporary file: " + e.getMessage());
        }
        try {
            long frames = exporter.export(video, tmp, f, t);
            if (frames == 0) {
                Files.deleteIfExists(tmp);
                throw ApiError.of(Response.Status.BAD_REQUEST, "no frame in the requested range");
            }
            long size = Files.size(tmp);
            StreamingOutput body = out -> {
                try {
                    Files.copy(tmp, out);
                } finally {
                    Files.deleteIfExists(tmp);
                }
            };
            return Response.ok(body, "video/mp4")
                    .header("Content-Length", size)
                    .header("Content-Disposition", "attachment; filename=\"" + fileName(recordingId, from, to) + "\"")
                    .build();
        } catch (IOException e) {
            deleteQuietly(tmp);
            throw ApiError.of(Response.Status.INTERNAL_SERVER_ERROR, "export failed: " + e.getMessage());
        }
    }

    /** {@code <id>.mp4} for the whole recording, {@code <id>_<from>-<to|end>.mp4} for a part, whole seconds. */
    static String fileName(String recordingId, Double from, Double to) {
        if (from == null && to == null) {
            return recordingId + ".mp4";
        }
        long f = from == null ? 0 : (long) (double) from;
        return recordingId + "_" + f + "-" + (to == null ? "end" : Long.toString((long) (double) to)) + ".mp4";
    }

    private static void deleteQuietly(Path tmp) {
        try {
            Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
            // a temporary file
        }
    }
}
