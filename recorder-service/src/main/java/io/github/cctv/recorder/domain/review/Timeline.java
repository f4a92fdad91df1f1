package io.github.cctv.recorder.domain.review;

import io.github.cctv.recorder.domain.store.Recording;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * One camera's recordings over a period, on the server's clock: its segments, the spans they cover (segments closer
 * than {@link #JOIN} are one span, since a player chains them without a visible seam) and the gaps between, up to
 * now. Built from index entries only: no file is read.
 */
public record Timeline(String cameraId, Instant from, Instant to, List<Segment> segments, List<Period> spans,
                       List<Period> gaps) {

    /** Segments this close to each other make one span: a roll-over leaves at most a frame interval between two. */
    public static final Duration JOIN = Duration.ofSeconds(2);

    /** A stretch of time, [start, end). */
    public record Period(Instant start, Instant end) {
        public double seconds() {
            return Duration.between(start, end).toNanos() / 1e9;
        }
    }

    /**
     * One segment: {@code format} {@code mp4} (H.264, plays in {@code <video>}) or {@code mkv} (JPEG); {@code end} is
     * the time of its last frame so far (for an open segment, at its last flush).
     */
    public record Segment(String id, Instant start, Instant end, boolean open, String format, long frames, long bytes,
                          boolean kept) {
        static Segment of(Recording r) {
            return new Segment(r.id(), r.start(), Timeline.end(r), r.open(), r.extension(), r.frames(), r.bytes(), r.kept());
        }

        boolean holds(Instant t) {
            return !t.isBefore(start) && !t.isAfter(end);
        }
    }

    /**
     * Where a moment is: the segment that holds {@code t} and the offset into it, or when {@code t} falls in a gap the
     * next segment after it (offset 0, {@code inGap} true); {@code next} is the segment that follows, so that a
     * player can load it before the end. Empty when nothing is recorded at or after {@code t}.
     */
    public record Position(Segment segment, double offsetSeconds, boolean inGap, Segment next) {
    }

    /** The timeline of {@code recordings} (of one camera, any order) between {@code from} and {@code to}. */
    public static Timeline of(String cameraId, List<Recording> recordings, Instant from, Instant to, Instant now) {
        List<Segment> segments = recordings.stream()
                .filter(r -> r.cameraId().equals(cameraId) && r.frames() > 0)
                .filter(r -> end(r).isAfter(from) && r.start().isBefore(to))
                .sorted(Comparator.comparing(Recording::start).thenComparing(Recording::id))
                .map(Segment::of)
                .toList();
        List<Period> spans = new ArrayList<>();
        for (Segment s : segments) {
            Instant a = max(s.start(), from);
            Instant b = min(s.end(), to);
            Period last = spans.isEmpty() ? null : spans.get(spans.size() - 1);
            if (last != null && !a.isAfter(last.end().plus(JOIN))) {
                spans.set(spans.size() - 1, new Period(last.start(), max(last.end(), b)));
            } else {
                spans.add(new Period(a, b));
            }
        }
        List<Period> gaps = new ArrayList<>();
        Instant until = min(to, max(now, from));
        Instant cursor = from;
        for (Period p : spans) {
            if (p.start().isAfter(cursor) && cursor.isBefore(until)) {
                gaps.add(new Period(cursor, min(p.start(), until)));
            }
            cursor = max(cursor, p.end());
        }
        if (cursor.isBefore(until)) {
            gaps.add(new Period(cursor, until));
        }
        return new Timeline(cameraId, from, to, segments, spans, gaps);
    }

    /** Where {@code t} is among {@code recordings} (of one camera). */
    public static Optional<Position> locate(String cameraId, List<Recording> recordings, Instant t) {
        List<Segment> all = recordings.stream()
                .filter(r -> r.cameraId().equals(cameraId) && r.frames() > 0)
                .sorted(Comparator.comparing(Recording::start).thenComparing(Recording::id))
                .map(Segment::of)
                .toList();
        for (int i = 0; i < all.size(); i++) {
            Segment s = all.get(i);
            Segment next = i + 1 < all.size() ? all.get(i + 1) : null;
            if (s.holds(t)) {
                // the later of two overlapping segments is the one that follows on
                if (next != null && next.holds(t)) {
                    continue;
                }
                return Optional.of(new Position(s, Duration.between(s.start(), t).toNanos() / 1e9, false, next));
            }
            if (s.start().isAfter(t)) {
                return Optional.of(new Position(s, 0, true, next));
            }
        }
        return Optional.empty();
    }

    private static Instant end(Recording r) {
        return r.end() == null ? r.start() : r.end();
    }

    private static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }
}
