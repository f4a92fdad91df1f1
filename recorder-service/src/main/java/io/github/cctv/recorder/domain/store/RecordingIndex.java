package io.github.cctv.recorder.domain.store;

import io.github.cctv.protocol.event.Events;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The index of recordings: in memory for the API, persisted as one JSON sidecar next to each segment so that it
 * survives restarts, and rebuilt by probing the video files when a sidecar is missing. A sidecar is replaced
 * atomically and forced to the disk before the frames it counts are acknowledged, and it never counts more than the
 * file holds on the disk.
 */
public final class RecordingIndex {

    private static final Logger LOG = Logger.getLogger(RecordingIndex.class);

    private final RecordingLayout layout;
    private final SegmentProbe probe;
    private final ConcurrentHashMap<String, Recording> byId = new ConcurrentHashMap<>();

    public RecordingIndex(RecordingLayout layout, SegmentProbe probe) {
        this.layout = layout;
        this.probe = probe;
    }

    public RecordingLayout layout() {
        return layout;
    }

    /**
     * Reads the folder. A segment that was open when the process died is cut back to what its sidecar says was
     * flushed (for H.264, to right before its last keyframe), so that it holds exactly the frames up to the stream
     * sequence the sidecar names, and is marked closed. Temporary sidecars left by a crash are removed.
     */
    public void load() throws IOException {
        load(cameraId -> Optional.empty());
    }

    /**
     * As {@link #load()}, where {@code marked} gives a camera's segment entry as its shared progress mark last named
     * it: a segment open in a crash whose mark is newer than its sidecar (the crash came between the two writes, the
     * file was forced before both) is finished as the mark says, so that this disk holds what the mark claims.
     */
    public void load(Function<String, Optional<Recording>> marked) throws IOException {
        byId.clear();
        if (!Files.isDirectory(layout.root())) {
            return;
        }
        List<Path> files;
        try (Stream<Path> s = Files.walk(layout.root(), 3)) {
            files = s.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS))
                    .filter(p -> !hidden(p))
                    .toList();
        }
        for (Path file : files) {
            String name = file.getFileName().toString();
            if (name.endsWith(RecordingLayout.SIDECAR_EXT + Durable.TMP_SUFFIX)) {
                Files.deleteIfExists(file);
                LOG.infof("removed %s, a sidecar never completed", file);
                continue;
            }
            int dot = name.lastIndexOf('.');
            String ext = dot < 0 ? "" : name.substring(dot + 1);
            if (!RecordingLayout.VIDEO_EXTENSIONS.contains(ext)) {
                continue;
            }
            String base = name.substring(0, dot);
            if (!RecordingId.isValid(base)) {
                LOG.warnf("ignoring %s: not a recording name", file);
                continue;
            }
            RecordingId id = RecordingId.parse(base);
            if (!layout.videoOf(id, ext).equals(file.toAbsolutePath().normalize())) {
                LOG.warnf("ignoring %s: not in its camera/day folder", file);
                continue;
            }
            try {
                recover(id, file, marked).ifPresent(r -> byId.put(r.id(), r));
            } catch (IOException | RuntimeException e) {
                LOG.warnf("cannot index %s: %s", file, e.getMessage());
            }
        }
        LOG.infof("indexed %d recordings under %s", byId.size(), layout.root());
    }

    /** A file under a folder of the root whose name starts with a dot (the export folder): not a recording. */
    private boolean hidden(Path file) {
        Path rel = layout.root().relativize(file.toAbsolutePath().normalize());
        for (Path part : rel) {
            if (part.toString().startsWith(".")) {
                return true;
            }
        }
        return false;
    }

    private Optional<Recording> recover(RecordingId id, Path video, Function<String, Optional<Recording>> marked)
            throws IOException {
        Path sidecar = layout.sidecarOf(id);
        Recording r = null;
        if (Files.isRegularFile(sidecar)) {
            try {
                r = Events.read(Files.readAllBytes(sidecar), Recording.class);
            } catch (IllegalArgumentException e) {
                LOG.warnf("sidecar %s is damaged, probing the video: %s", sidecar, e.getMessage());
            }
        }
        if (r != null && !r.path().equals(layout.relative(video))) {
            LOG.warnf("sidecar %s names another file (%s), probing the video", sidecar, r.path());
            r = null;
        }
        if (r != null && r.open()) {
            Recording newer = newerMark(r, video, marked);
            if (newer != null) {
                LOG.infof("%s: its progress mark (stream sequence %d) is newer than its sidecar (%d); kept as marked",
                        video, newer.closedAtCut().lastStreamSeq(), r.closedAtCut().lastStreamSeq());
                if (!newer.open()) {
                    save(newer);
                }
                r = newer;
            }
        }
        if (r != null && !r.open()) {
            // a segment closed at its cut point has its sidecar written before the file was cut: finish the cut
            truncate(video, r.bytes());
            return Optional.of(r);
        }
        if (r != null) {
            return cutBack(r, "the process ended while it was being written");
        }
        SegmentProbe.Result p = probe.probe(video);
        if (p.frames() == 0) {
            LOG.warnf("%s holds no frame; left alone and not indexed", video);
            return Optional.empty();
        }
        Instant start = ZonedDateTime.of(id.start(), layout.zone()).toInstant();
        Recording probed = new Recording(id.value(), id.cameraId(), start, start.plusMillis(p.lastPtsMs()),
                p.frames(), Files.size(video), layout.relative(video), false, 0);
        save(probed);
        LOG.infof("rebuilt index entry of %s from the file (%d frames)", video, p.frames());
        return Optional.of(probed);
    }

    /** The marked entry of the same segment when it says more was forced than the sidecar {@code r}; else null. */
    private static Recording newerMark(Recording r, Path video, Function<String, Optional<Recording>> marked)
            throws IOException {
        Optional<Recording> m;
        try {
            m = marked.apply(r.cameraId());
        } catch (RuntimeException e) {
            LOG.warnf("cannot read the progress mark of %s, recovering %s by its sidecar: %s", r.cameraId(), video,
                    e.getMessage());
            return null;
        }
        if (m.isEmpty()) {
            return null;
        }
        Recording k = m.get();
        boolean same = r.id().equals(k.id()) && r.path().equals(k.path()) && r.start().equals(k.start())
                && r.firstCaptureUs() == k.firstCaptureUs();
        boolean further = k.lastStreamSeq() > r.lastStreamSeq() || (!k.open() && k.lastStreamSeq() >= r.lastStreamSeq());
        if (!same || !further || k.bytes() > Files.size(video) || k.bytes() < r.bytes()) {
            return null;
        }
        return k.withKept(r.kept());
    }

    /**
     * Closes a segment whose writing ended abnormally (a crash, a write error) at what is safe to keep: the last
     * flush, or for H.264 right before the last keyframe, so that the next segment can start on that keyframe and
     * the stream gives every later frame again. The sidecar is written first, then the file cut to it, so that the
     * sidecar never counts more than the file keeps. A segment left with no frame is deleted. When even the sidecar
     * cannot be written (a disk too full), the file is cut to the last flush, which the sidecar on the disk (still
     * open) describes, so that the two agree; the caller tries again later.
     *
     * @param r the entry its sidecar on the disk holds
     * @return the closed entry, or empty when the segment was deleted
     */
    public Optional<Recording> cutBack(Recording r, String why) throws IOException {
        Recording closed = r.closedAtCut();
        Path video = layout.videoOf(r);
        if (closed.frames() == 0) {
            Files.deleteIfExists(video);
            Files.deleteIfExists(layout.sidecarOf(RecordingId.parse(r.id())));
            byId.remove(r.id());
            LOG.infof("removed %s: %s before a frame of it could be kept", video, why);
            return Optional.empty();
        }
        long size = Files.size(video);
        try {
            save(closed);
        } catch (IOException e) {
            truncate(video, r.bytes()); // frees space too; needs none
            throw e;
        }
        truncate(video, closed.bytes());
        if (size != closed.bytes()) {
            LOG.infof("cut %s back to %d of %d bytes, %d frames (%s)", video, closed.bytes(), size, closed.frames(), why);
        }
        return Optional.of(closed);
    }

    /** Cuts {@code video} to {@code bytes} if it is longer, and forces that to the disk. */
    private static void truncate(Path video, long bytes) throws IOException {
        if (Files.size(video) <= bytes) {
            return;
        }
        try (FileChannel ch = FileChannel.open(video, StandardOpenOption.WRITE)) {
            ch.truncate(bytes);
            ch.force(false);
        }
    }

    /** Stores a recording's state in its sidecar (atomically replaced, forced to the disk), then in memory. */
    public void save(Recording r) throws IOException {
        Durable.replace(layout.sidecarOf(RecordingId.parse(r.id())), Events.write(r));
        byId.put(r.id(), r);
    }

    /** Deletes a closed recording's files and entry. */
    public void delete(Recording r) throws IOException {
        RecordingId id = RecordingId.parse(r.id());
        Path video = layout.videoOf(r);
        Files.deleteIfExists(video);
        Files.deleteIfExists(layout.sidecarOf(id));
        byId.remove(r.id());
        Files.deleteIfExists(layout.thumbnailOf(id));
        Files.deleteIfExists(layout.finishedCopyOf(id));
        Path day = video.getParent();
        try (Stream<Path> s = Files.list(day)) {
            if (s.findAny().isEmpty()) {
                Files.deleteIfExists(day);
            }
        } catch (IOException ignored) {
            // an empty day folder left behind is harmless
        }
    }

    /**
     * Marks a finished recording kept (retention never deletes it) or not; the sidecar is replaced first.
     *
     * @throws IllegalStateException while it is being written (its writer owns its sidecar until it is closed)
     */
    public synchronized Recording setKept(String id, boolean keep) throws IOException {
        Recording r = byId.get(id);
        if (r == null) {
            throw new java.util.NoSuchElementException("no recording " + id);
        }
        if (r.open()) {
            throw new IllegalStateException(id + " is still being written; keep it once it is finished");
        }
        if (r.kept() == keep) {
            return r;
        }
        Recording changed = r.withKept(keep);
        save(changed);
        return changed;
    }

    public Optional<Recording> get(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    /** Recordings, newest first, optionally of one camera and overlapping [from, to]. */
    public List<Recording> list(String cameraId, Instant from, Instant to, int limit) {
        return byId.values().stream()
                .filter(r -> cameraId == null || r.cameraId().equals(cameraId))
                .filter(r -> from == null || r.open() || r.end() == null || !r.end().isBefore(from))
                .filter(r -> to == null || !r.start().isAfter(to))
                .sorted(Comparator.comparing(Recording::start).thenComparing(Recording::id).reversed())
                .limit(limit)
                .toList();
    }

    /** The recordings of {@code cameraId} that hold frames in [from, to), oldest first (for an export). */
    public List<Recording> inRange(String cameraId, Instant from, Instant to) {
        return byId.values().stream()
                .filter(r -> r.cameraId().equals(cameraId))
                .filter(r -> r.frames() > 0)
                .filter(r -> r.open() || !r.end().isBefore(from))
                .filter(r -> r.start().isBefore(to))
                .sorted(Comparator.comparing(Recording::start).thenComparing(Recording::id))
                .toList();
    }

    /** Every recording, oldest first. */
    public List<Recording> oldestFirst() {
        List<Recording> all = new ArrayList<>(byId.values());
        all.sort(Comparator.comparing(Recording::start).thenComparing(Recording::id));
        return all;
    }

    /** Stream sequence of the newest frame written for a camera, 0 when none. */
    public long lastStreamSeq(String cameraId) {
        return byId.values().stream().filter(r -> r.cameraId().equals(cameraId))
                .mapToLong(Recording::lastStreamSeq).max().orElse(0);
    }
}
