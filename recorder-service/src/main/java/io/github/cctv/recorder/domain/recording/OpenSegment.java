package io.github.cctv.recorder.domain.recording;

import io.github.cctv.protocol.EpochMicros;
import io.github.cctv.protocol.FrameMetadata;
import io.github.cctv.recorder.domain.store.Recording;
import io.github.cctv.recorder.domain.store.RecordingId;
import io.github.cctv.recorder.domain.store.RecordingIndex;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The segment file one camera's recorder is writing: its writer, when it starts, what it holds, and its index
 * entry, which says what was flushed (so that a crash cuts the file back to exactly that). The server's clock rules:
 * the segment is named after its first frame's ingest time and ends by ingest time; timestamps inside the file come
 * from a {@link FrameTimeline} (spaced by capture times, held within a few seconds of the ingest times), from 0 at
 * the first frame. The camera's own capture times are kept in the entry as metadata only. Used by one thread, its
 * {@link CameraRecorder}'s.
 */
final class OpenSegment {

    private final RecordingIndex index;
    private final SegmentWriterFactory writers;
    private final SegmentWriter writer;
    private final Path file;
    private final String codec;
    private final long startIngestUs;
    private final int width;
    private final int height;
    private final FrameTimeline timeline = new FrameTimeline();
    private Recording entry;
    private Recording.Cut cut;
    private long lastPtsMs = -1;
    private long lastUs;
    private long frames;
    private long lastSeq;
    private long lastCaptureUs;

    private OpenSegment(RecordingIndex index, SegmentWriterFactory writers, SegmentWriter writer, Path file,
                        Frame first, Recording entry) {
        this.index = index;
        this.writers = writers;
        this.writer = writer;
        this.file = file;
        FrameMetadata m = first.metadata();
        this.codec = m.codec();
        this.startIngestUs = m.ingestUs();
        this.width = m.width();
        this.height = m.height();
        this.entry = entry;
        this.lastSeq = entry.lastStreamSeq();
        this.lastCaptureUs = m.captureUs();
    }

    /**
     * Opens a new file for {@code cameraId}, named after the ingest time of {@code first} (which it does not write
     * yet; it must be a frame a segment can start on), in the format of its codec, and indexes it as open.
     * {@code lastSeq}: the stream sequence of the last frame written before it. On an error nothing is left behind.
     */
    static OpenSegment open(String cameraId, Frame first, long lastSeq, RecordingIndex index,
                            SegmentWriterFactory writers) throws IOException {
        FrameMetadata m = first.metadata();
        Instant start = EpochMicros.toInstant(m.ingestUs());
        RecordingId id = index.layout().newSegment(cameraId, start);
        Path file = index.layout().videoOf(id, writers.extension(m.codec()));
        SegmentWriter writer;
        try {
            writer = writers.open(file, m.codec(), m.width(), m.height());
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(file); // a header half written to a full disk
            throw e;
        }
        Recording entry = new Recording(id.value(), cameraId, start, start, 0, 0, index.layout().relative(file), true,
                lastSeq, null, m.captureUs(), m.captureUs());
        try {
            index.save(entry);
        } catch (IOException | RuntimeException e) {
            writer.abort();
            Files.deleteIfExists(file);
            throw e;
        }
        return new OpenSegment(index, writers, writer, file, first, entry);
    }

    /** True when {@code next} cannot go into this file: its picture size or its codec differs. */
    boolean formatChanges(Frame next) {
        FrameMetadata m = next.metadata();
        return m.width() != width || m.height() != height || !Objects.equals(m.codec(), codec);
    }

    /** True when the segment is {@code length} long by the server's clock at {@code next}. */
    boolean lengthReached(Frame next, Duration length) {
        return next.metadata().ingestUs() - startIngestUs >= length.toNanos() / 1000;
    }

    /**
     * Writes one frame.
     *
     * @throws FrameRejectedException when the writer refuses this frame; the segment is unchanged
     */
    void write(Frame f) throws IOException {
        FrameMetadata m = f.metadata();
        long t = timeline.peek(m.captureUs(), m.ingestUs());
        long pts = Math.max(t / 1000, lastPtsMs + 1);
        writer.write(f, pts);
        timeline.next(m.captureUs(), m.ingestUs());
        if (writers.canStartSegment(f)) {
            // the file up to this keyframe, and what it holds: the fields still describe the frames before it
            long offset = writer.lastKeyframeOffset();
            cut = offset < 0 ? null : new Recording.Cut(offset, frames, wall(lastUs), lastSeq, lastCaptureUs);
        }
        lastPtsMs = pts;
        lastUs = t;
        frames++;
        lastSeq = f.streamSeq();
        lastCaptureUs = m.captureUs();
    }

    private Instant wall(long timelineUs) {
        return EpochMicros.toInstant(startIngestUs + timelineUs);
    }

    /**
     * Forces what was written to the disk, tells {@code durable} what the file holds now, then records that in the
     * index (forced too).
     */
    void flush(Consumer<Recording> durable) throws IOException {
        writer.flush();
        Recording next = entry.progressed(frames, Files.size(file), wall(lastUs), lastSeq, cut, lastCaptureUs);
        durable.accept(next);
        index.save(next);
        entry = next; // only once saved: the entry is always what the sidecar on the disk says
    }

    /** Finishes the file (forced to the disk), tells {@code durable}, then indexes it; returns its complete entry. */
    Recording close(Consumer<Recording> durable) throws IOException {
        writer.close();
        Recording done = new Recording(entry.id(), entry.cameraId(), entry.start(), wall(lastUs), frames,
                Files.size(file), entry.path(), false, lastSeq, null, entry.firstCaptureUs(), lastCaptureUs);
        durable.accept(done);
        index.save(done);
        entry = done;
        return done;
    }

    /**
     * After an error: frees the writer without finishing the file; returns the entry its sidecar holds (the last
     * flush), which the caller cuts the file back to ({@link RecordingIndex#cutBack}).
     */
    Recording abandon() {
        writer.abort();
        return entry;
    }

    /** The segment's recording id. */
    String id() {
        return entry.id();
    }

    /** Its path relative to the recordings root. */
    String path() {
        return entry.path();
    }
}
