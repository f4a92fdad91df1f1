package io.github.cctv.bench;

import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a camera-client process said about itself in its log: its closing {@code done:} line, or, when it was
 * stopped before it could print one, its last stats line.
 */
final class CameraClientLog {

    private static final Pattern DONE = Pattern.compile("^done: (\\d+) frames sent, (\\d+) dropped, (\\d+) reconnects\\s*$");
    private static final Pattern STATS = Pattern.compile(
            "^stats: [\\d.]+ fps sent, \\d+ kbit/s, (\\d+) frames dropped, (\\d+) reconnects, (\\d+) frames total\\s*$");

    private CameraClientLog() {
    }

    /** Frames sent, frames dropped at the edge and reconnects, for every camera of the process together. */
    record Done(long sent, long dropped, long reconnects) {
    }

    /** The last {@code done:} line of {@code lines}, else the last stats line; empty when there is neither. */
    static Optional<Done> done(List<String> lines) {
        Optional<Done> stats = Optional.empty();
        for (int i = lines.size() - 1; i >= 0; i--) {
            Matcher m = DONE.matcher(lines.get(i));
            if (m.matches()) {
                return Optional.of(new Done(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)), Long.parseLong(m.group(3))));
            }
            Matcher s = STATS.matcher(lines.get(i));
            if (stats.isEmpty() && s.matches()) {
                stats = Optional.of(new Done(Long.parseLong(s.group(3)), Long.parseLong(s.group(1)), Long.parseLong(s.group(2))));
            }
        }
        return stats;
    }
}
