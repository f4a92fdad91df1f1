package io.github.cctv.recorder.domain.store;

import io.github.cctv.protocol.event.Events;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The index of recordings: in memory for the API, persisted as one JSON sidecar next to each segment so that it
 * survives restarts, and rebuilt by probing the video files when a sidecar is missing.
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
     * Reads the folder. A segment that was open when the process died is cut back to its last flushed size (what
     * its sidecar says), so that it holds exactly the frames that were acknowledged, and is marked closed.
     */
    public void load() throws IOException {
        byId.clear();
        if (!Files.isDirectory(layout.root())) {
            return;
        }
        List<Path> videos;
        try (Stream<Path> s = Files.walk(layout.root(), 3)) {
            videos = s.filter(p -> p.getFileName().toString().endsWith(RecordingLayout.VIDEO_EXT))
                    .filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS))
                    .toList();
        }
        for (Path video : videos) {
            String name = video.getFileName().toString();
            String base = name.substring(0, name.length() - RecordingLayout.VIDEO_EXT.length());
            if (!RecordingId.isValid(base)) {
                LOG.warnf("ignoring %s: not a recording name", video);
                continue;
            }
            RecordingId id = RecordingId.parse(base);
            if (!layout.videoOf(id).equals(video.toAbsolutePath().normalize())) {
                LOG.warnf("ignoring %s: not in its camera/day folder", video);
                continue;
            }
            try {
                Recording r = recover(id, video);
                if (r != null) {
                    byId.put(r.id(), r);
                }
            } catch (IOException | RuntimeException e) {
                LOG.warnf("cannot index %s: %s", video, e.getMessage());
            }
        }
        LOG.infof("indexed %d recordings under %s", byId.size(), layout.root());
    }

    private Recording recover(RecordingId id, Path video) throws IOException {
        Path sidecar = layout.sidecarOf(id);
        Recording r = null;
        if (Files.isRegularFile(sidecar)) {
            try {
                r = Events.read(Files.readAllBytes(sidecar), Recording.class);
            } catch (IllegalArgumentException e) {
                LOG.warnf("sidecar %s is damaged, probing the video: %s", sidecar, e.getMessage());
            }
        }
        if (r != null && !r.open()) {
            return r;
        }
        if (r != null) {
            if (r.frames() == 0) {
                LOG.infof("removing %s: the process ended before its first frame was flushed", video);
                Files.deleteIfExists(video);
                Files.deleteIfExists(sidecar);
                return null;
            }
            long size = Files.size(video);
            if (size > r.bytes()) {
                // bytes after the last flush belong to frames that were never acknowledged: they come again
                try (RandomAccessFile f = new RandomAccessFile(video.toFile(), "rw")) {
                    f.setLength(r.bytes());
                }
                LOG.infof("cut %s back to its last flush (%d of %d bytes)", video, r.bytes(), size);
            }
            Recording closed = r.closed(r.frames(), Files.size(video), r.end());
            writeSidecar(id, closed);
            return closed;
        }
        SegmentProbe.Result p = probe.probe(video);
        if (p.frames() == 0) {
            LOG.warnf("%s holds no frame; left alone and not indexed", video);
            return null;
        }
        Instant start = ZonedDateTime.of(id.start(), layout.zone()).toInstant();
        Recording probed = new Recording(id.value(), id.cameraId(), start, start.plusMillis(p.lastPtsMs()),
                p.frames(), Files.size(video), layout.relative(video), false, 0);
        writeSidecar(id, probed);
        LOG.infof("rebuilt index entry of %s from the file (%d frames)", video, p.frames());
        return probed;
    }

    /** Stores a recording's state in memory and in its sidecar (atomically replaced). */
    public void save(Recording r) throws IOException {
        writeSidecar(RecordingId.parse(r.id()), r);
        byId.put(r.id(), r);
    }

    private void writeSidecar(RecordingId id, Recording r) throws IOException {
        Path sidecar = layout.sidecarOf(id);
        Path tmp = sidecar.resolveSibling(sidecar.getFileName() + ".tmp");
        Files.write(tmp, Events.write(r));
        Files.move(tmp, sidecar, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Deletes a closed recording's files and entry. */
    public void delete(Recording r) throws IOException {
        RecordingId id = RecordingId.parse(r.id());
        Files.deleteIfExists(layout.videoOf(id));
        Files.deleteIfExists(layout.sidecarOf(id));
        byId.remove(r.id());
        Path day = layout.videoOf(id).getParent();
        try (Stream<Path> s = Files.list(day)) {
            if (s.findAny().isEmpty()) {
                Files.deleteIfExists(day);
            }
        } catch (IOException ignored) {
            // an empty day folder left behind is harmless
        }
    }

    public Optional<Recording> get(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    /** Recordings, newest first, optionally of one camera and overlapping [from, to]. */
    public List<Recording> list(String cameraId, Instant from, Instant to, int limit) {
        return byId.values().stream()
                .filter(r -> cameraId == null || r.cameraId().equals(cameraId))
                .filter(r -> from == null || r.end() == null || !r.end().isBefore(from))
                .filter(r -> to == null || !r.start().isAfter(to))
                .sorted(Comparator.comparing(Recording::start).thenComparing(Recording::id).reversed())
                .limit(limit)
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
