package io.github.cctv.recorder.domain.review;

import io.github.cctv.recorder.domain.retention.DiskSpace;
import io.github.cctv.recorder.domain.retention.RetentionPolicy;
import io.github.cctv.recorder.domain.store.Recording;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * How the recordings use their disk, and how long it lasts: bytes per camera, free space, the retention in force,
 * the rate of the last day of recordings and, at that rate, how many days of footage the disk holds and how long
 * until retention has to delete recordings for space. {@code warning} is a sentence for a person, or null.
 *
 * @param bytesPerDay     the rate at which recordings grow: the bytes of the segments that started in the last
 *                        {@link #RATE_WINDOW} (or since the oldest recording, when younger), per day
 * @param daysHeld        days of footage the disk holds at that rate (recordings plus the free space above the
 *                        minimum); null when nothing is being recorded
 * @param daysUntilFull   days until the free space reaches the minimum kept free, after which the oldest recordings
 *                        are deleted for room; null when nothing is being recorded
 */
public record StorageReport(Instant at, long totalBytes, long usableBytes, long recordingsBytes, long keptBytes,
                            int recordings, List<CameraUsage> cameras, Retention retention, long bytesPerDay,
                            Double daysHeld, Double daysUntilFull, String warning) {

    /** The rate is measured over the last day of recordings. */
    public static final Duration RATE_WINDOW = Duration.ofDays(1);

    /** One camera's share. */
    public record CameraUsage(String cameraId, long bytes, int recordings, long keptBytes, Instant oldest,
                              Instant newest, long bytesPerDay) {
    }

    /** The retention in force: max age (seconds, 0 = none), max total bytes and min free bytes (0 = off). */
    public record Retention(long maxAgeSeconds, long maxBytes, long minFreeBytes) {
        static Retention of(RetentionPolicy.Limits l) {
            return new Retention(l.maxAge().toSeconds(), l.maxBytes(), l.minFreeBytes());
        }
    }

    /**
     * The report of {@code all} recordings on {@code disk}; warns when the disk is within {@code warnDays} of
     * running out at the current rate, when it holds less than the max age keeps, or when it is below the minimum.
     */
    public static StorageReport of(List<Recording> all, DiskSpace disk, RetentionPolicy.Limits limits, Instant now,
                                   Duration warnAhead) {
        Map<String, List<Recording>> byCamera = new TreeMap<>();
        for (Recording r : all) {
            byCamera.computeIfAbsent(r.cameraId(), k -> new ArrayList<>()).add(r);
        }
        Instant windowStart = now.minus(RATE_WINDOW);
        Instant oldest = all.stream().map(Recording::start).min(Instant::compareTo).orElse(now);
        double windowDays = Math.max(Duration.between(max(windowStart, oldest), now).toSeconds(), 60) / 86400.0;
        List<CameraUsage> cameras = new ArrayList<>();
        long total = 0;
        long kept = 0;
        long recent = 0;
        for (var e : byCamera.entrySet()) {
            long bytes = 0;
            long keptBytes = 0;
            long camRecent = 0;
            Instant first = null;
            Instant last = null;
            for (Recording r : e.getValue()) {
                bytes += r.bytes();
                if (r.kept()) {
                    keptBytes += r.bytes();
                }
                if (!r.start().isBefore(windowStart)) {
                    camRecent += r.bytes();
                }
                Instant end = r.end() == null ? r.start() : r.end();
                first = first == null || r.start().isBefore(first) ? r.start() : first;
                last = last == null || end.isAfter(last) ? end : last;
            }
            cameras.add(new CameraUsage(e.getKey(), bytes, e.getValue().size(), keptBytes, first, last,
                    Math.round(camRecent / windowDays)));
            total += bytes;
            kept += keptBytes;
            recent += camRecent;
        }
        long usable = disk.usableBytes();
        long perDay = Math.round(recent / windowDays);
        long spare = Math.max(0, usable - limits.minFreeBytes());
        Double untilFull = perDay > 0 ? spare / (double) perDay : null;
        Double held = perDay > 0 ? (total - kept + spare) / (double) perDay : null;
        String warning = null;
        if (limits.minFreeBytes() > 0 && usable < limits.minFreeBytes()) {
            warning = "The recordings disk is full: less than the minimum free space is left, so the oldest recordings"
                    + " are being deleted to make room.";
        } else if (untilFull != null && untilFull < warnAhead.toSeconds() / 86400.0) {
            warning = String.format("The recordings disk fills in %s at the current rate; after that the oldest"
                    + " recordings are deleted to make room.", days(untilFull));
        } else if (held != null && !limits.maxAge().isZero() && held < limits.maxAge().toSeconds() / 86400.0) {
            warning = String.format("At the current rate the disk holds %s of recordings, less than the %s retention"
                    + " keeps: older recordings will be deleted for space first.", days(held),
                    days(limits.maxAge().toSeconds() / 86400.0));
        }
        return new StorageReport(now, disk.totalBytes(), usable, total, kept, all.size(), cameras,
                Retention.of(limits), perDay, held, untilFull, warning);
    }

    static String days(double d) {
        if (d < 1) {
            long hours = Math.max(1, Math.round(d * 24));
            return hours + (hours == 1 ? " hour" : " hours");
        }
        long n = Math.round(d);
        return n + (n == 1 ? " day" : " days");
    }

    private static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }
}
