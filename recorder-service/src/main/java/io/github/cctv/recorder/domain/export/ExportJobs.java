package io.github.cctv.recorder.domain.export;

import io.github.cctv.protocol.CameraId;
import io.github.cctv.recorder.domain.store.Recording;
import io.github.cctv.recorder.domain.store.RecordingIndex;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Export jobs: a time range of one camera, across its segments, made into one MP4 file in the export folder on a
 * bounded executor (beyond its size a new job is refused, {@link BusyException}), followed by its progress,
 * downloaded, cancelled. A cancelled or failed export leaves no file; a finished one is kept for {@code keep}, then
 * deleted. Files left in the folder by a previous run are deleted at start.
 */
public final class ExportJobs implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ExportJobs.class);
    private static final Pattern ID = Pattern.compile("[0-9a-f]{24}");
    /** Finished jobs kept at most; the oldest goes first. */
    private static final int MAX_FINISHED = 64;
    private static final DateTimeFormatter NAME_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd_HH-mm-ss");

    /** Where a job is. */
    public enum State { RUNNING, DONE, FAILED, CANCELLED }

    /** The limits: the longest range, and how long a finished export's file is kept. */
    public record Limits(Duration maxRange, Duration keep) {
    }

    /** A job beyond the number of exports that may run at once. */
    public static final class BusyException extends Exception {
        BusyException() {
            super("too many exports are running; try again shortly");
        }
    }

    /** No recording of the camera holds a frame in the range. */
    public static final class NothingToExportException extends Exception {
        NothingToExportException(String message) {
            super(message);
        }
    }

    /** The range cannot be made into one file (segments of two formats). */
    public static final class UnprocessableException extends Exception {
        UnprocessableException(String message) {
            super(message);
        }
    }

    /** One export. Its fields change while it runs; read them as a snapshot. */
    public static final class Job {
        private final String id;
        private final String cameraId;
        private final Instant from;
        private final Instant to;
        private final Instant created;
        private final Path file;
        private final String fileName;
        private volatile State state = State.RUNNING;
        private volatile double progress;
        private volatile long frames;
        private volatile long bytes;
        private volatile String error;
        private volatile Instant finished;
        private volatile boolean cancelled;

        Job(String id, String cameraId, Instant from, Instant to, Instant created, Path file, String fileName) {
            this.id = id;
            this.cameraId = cameraId;
            this.from = from;
            this.to = to;
            this.created = created;
            this.file = file;
            this.fileName = fileName;
        }

        public String id() {
            return id;
        }

        public String cameraId() {
            return cameraId;
        }

        public Instant from() {
            return from;
        }

        public Instant to() {
            return to;
        }

        public Instant created() {
            return created;
        }

        public State state() {
            return state;
        }

        /** The fraction written, 0 to 1. */
        public double progress() {
            return progress;
        }

        public long frames() {
            return frames;
        }

        public long bytes() {
            return bytes;
        }

        /** Why it failed, or null. */
        public String error() {
            return error;
        }

        public Instant finished() {
            return finished;
        }

        /** The finished file (exists only while the state is {@link State#DONE}). */
        public Path file() {
            return file;
        }

        /** The download's name: {@code <camera>_<from>_<to>.mp4}, local times of the configured zone. */
        public String fileName() {
            return fileName;
        }
    }

    private final RecordingIndex index;
    private final SegmentExporter exporter;
    private final Path dir;
    private final Limits limits;
    private final Executor executor;
    private final Clock clock;
    private final ZoneId zone;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Job> jobs = new LinkedHashMap<>();
    private volatile boolean closed;

    public ExportJobs(RecordingIndex index, SegmentExporter exporter, Path dir, Limits limits, Executor executor,
                      Clock clock) throws IOException {
        this.index = index;
        this.exporter = exporter;
        this.dir = dir.toAbsolutePath().normalize();
        this.limits = limits;
        this.executor = executor;
        this.clock = clock;
        this.zone = index.layout().zone();
        Files.createDirectories(this.dir);
        deleteLeftovers();
    }

    /** The folder of the export files. */
    public Path dir() {
        return dir;
    }

    /** Starts exporting [{@code from}, {@code to}) of {@code cameraId}. */
    public Job submit(String cameraId, Instant from, Instant to)
            throws BusyException, NothingToExportException, UnprocessableException {
        CameraId.requireValid(cameraId);
        if (from == null || to == null || !to.isAfter(from)) {
            throw new IllegalArgumentException("need from < to (ISO-8601 instants)");
        }
        if (Duration.between(from, to).compareTo(limits.maxRange()) > 0) {
            throw new IllegalArgumentException("a range of at most " + limits.maxRange() + " can be exported at once");
        }
        List<Recording> segments = index.inRange(cameraId, from, to);
        if (segments.isEmpty()) {
            throw new NothingToExportException("no recording of " + cameraId + " between " + from + " and " + to);
        }
        if (segments.stream().map(Recording::extension).distinct().count() > 1) {
            throw new UnprocessableException("the range holds segments in two formats (H.264 in MP4 and JPEG in"
                    + " Matroska), which one file cannot hold: export the parts apart");
        }
        expire();
        String id = HexFormat.of().formatHex(bytes(12));
        Job job = new Job(id, cameraId, from, to, clock.instant(), dir.resolve(id + ".mp4"), fileName(cameraId, from, to));
        synchronized (jobs) {
            jobs.put(id, job);
        }
        try {
            executor.execute(() -> run(job, segments));
        } catch (RejectedExecutionException e) {
            synchronized (jobs) {
                jobs.remove(id);
            }
            throw new BusyException();
        }
        return job;
    }

    private byte[] bytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    private String fileName(String cameraId, Instant from, Instant to) {
        return cameraId + "_" + NAME_TIME.format(from.atZone(zone)) + "_" + NAME_TIME.format(to.atZone(zone)) + ".mp4";
    }

    private void run(Job job, List<Recording> segments) {
        try {
            long frames = exporter.export(segments, job.from, job.to, job.file, p -> job.progress = p,
                    () -> job.cancelled || closed);
            if (job.cancelled || closed) {
                Files.deleteIfExists(job.file);
                job.state = State.CANCELLED;
            } else {
                job.frames = frames;
                job.bytes = Files.size(job.file);
                job.progress = 1;
                job.state = State.DONE;
                LOG.infof("export %s of %s done: %d frames, %d bytes", job.id, job.cameraId, frames, job.bytes);
            }
        } catch (IOException | RuntimeException e) {
            deleteQuietly(job.file);
            if (job.cancelled || closed) {
                job.state = State.CANCELLED;
            } else {
                job.error = e.getMessage();
                job.state = State.FAILED;
                LOG.infof("export %s of %s failed: %s", job.id, job.cameraId, e.getMessage());
            }
        } finally {
            job.finished = clock.instant();
            if (job.cancelled) {
                deleteQuietly(job.file); // a cancel that came while the file was being finished
            }
        }
    }

    /** The job, if {@code id} names one. */
    public Optional<Job> get(String id) {
        if (id == null || !ID.matcher(id).matches()) {
            return Optional.empty();
        }
        synchronized (jobs) {
            return Optional.ofNullable(jobs.get(id));
        }
    }

    /** Cancels a running job or deletes a finished one's file; the job is gone. False when there is no such job. */
    public boolean cancel(String id) {
        Job job;
        synchronized (jobs) {
            job = get(id).map(j -> jobs.remove(j.id)).orElse(null);
        }
        if (job == null) {
            return false;
        }
        job.cancelled = true;
        if (job.state != State.RUNNING) {
            deleteQuietly(job.file);
        }
        return true;
    }

    /** Deletes finished jobs older than the keep time, and the oldest beyond the number kept. */
    public void expire() {
        Instant limit = clock.instant().minus(limits.keep());
        List<Job> gone;
        synchronized (jobs) {
            List<Job> finished = jobs.values().stream().filter(j -> j.state != State.RUNNING && j.finished != null)
                    .sorted(Comparator.comparing(Job::finished)).toList();
            int over = Math.max(0, finished.size() - MAX_FINISHED);
            gone = Stream.concat(finished.stream().limit(over), finished.stream().filter(j -> j.finished.isBefore(limit)))
                    .distinct().toList();
            gone.forEach(j -> jobs.remove(j.id));
        }
        for (Job j : gone) {
            deleteQuietly(j.file);
        }
    }

    /** A fresh file name in the export folder for a one-off export. */
    public Path scratchFile() {
        return dir.resolve("once-" + HexFormat.of().formatHex(bytes(12)) + ".mp4");
    }

    /** Cancels every job and deletes every file. */
    @Override
    public void close() {
        closed = true;
        synchronized (jobs) {
            jobs.values().forEach(j -> j.cancelled = true);
            jobs.clear();
        }
        try {
            deleteLeftovers();
        } catch (IOException e) {
            LOG.warnf("could not empty the export folder %s: %s", dir, e.getMessage());
        }
    }

    private void deleteLeftovers() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                deleteQuietly(p);
            }
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.warnf("could not delete %s: %s", file, e.getMessage());
        }
    }
}
