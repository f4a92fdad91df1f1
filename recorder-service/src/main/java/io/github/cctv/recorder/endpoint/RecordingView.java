package io.github.cctv.recorder.endpoint;

import io.github.cctv.protocol.EpochMicros;
import io.github.cctv.recorder.domain.store.Recording;

import java.time.Instant;

/**
 * A recording as the API shows it: {@code end} is null and {@code open} true while it is being written. Times are the
 * server's. {@code contentType} says how to play it: {@code video/mp4} (H.264) in a {@code <video>} from its
 * {@code /file}, {@code video/x-matroska} (JPEG) as MJPEG from its {@code /play}. {@code cameraClockOffsetMs} is how
 * far the camera's own clock was ahead of the server's (negative: behind) at the first frame, as metadata. {@code kept}:
 * kept as evidence, never deleted by retention.
 */
public record RecordingView(String id, String cameraId, Instant start, Instant end, long frames, long bytes,
                            String path, boolean open, String contentType, Long cameraClockOffsetMs,
                            boolean kept) {

    static final String MP4 = "video/mp4";
    static final String MKV = "video/x-matroska";

    static RecordingView of(Recording r) {
        return new RecordingView(r.id(), r.cameraId(), r.start(), r.open() ? null : r.end(), r.frames(), r.bytes(),
                r.path(), r.open(), contentType(r), clockOffsetMs(r), r.kept());
    }

    static String contentType(Recording r) {
        return "mp4".equals(r.extension()) ? MP4 : MKV;
    }

    /** Capture minus ingest time of the first frame, ms; null when unknown (an entry rebuilt from its file). */
    private static Long clockOffsetMs(Recording r) {
        if (r.firstCaptureUs() == 0) {
            return null;
        }
        long startUs = EpochMicros.of(r.start());
        long diff;
        try {
            diff = Math.subtractExact(r.firstCaptureUs(), startUs);
        } catch (ArithmeticException e) {
            // a camera clock near the ends of the long range: the difference saturates instead of wrapping
            diff = r.firstCaptureUs() < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
        return diff / 1000;
    }
}
