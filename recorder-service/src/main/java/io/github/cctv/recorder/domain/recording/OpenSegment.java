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

/**
 * The segment file one camera's recorder is writing: its writer, when it starts, what it holds, and its index
 * entry, which says what was flushed (so that a crash cuts the file back to exactly that). Timestamps inside the
 * file are the frames' capture times from the segment's first frame, in milliseconds, strictly increasing.
 * Used by one thread, its {@link CameraRecorder}'s.
 */
final class OpenSegment {

    private final RecordingIndex index;
    private final SegmentWriter writer;
    private final Path file;
    private final long startUs;
    private final int width;
    private final int height;
    private Recording entry;
    private long lastPtsMs = -1;
    private long frames;
    private long lastFrameUs;
    private long lastSeq;

    private OpenSegment(RecordingIndex index, SegmentWriter writer, Path file, Frame first, Recording entry, long lastSeq) {
        this.index = index;
        this.writer = writer;
        this.file = file;
        this.startUs = first.metadata().captureUs();
        this.width = first.metadata().width();
        this.height = first.metadata().height();
        this.entry = entry;
        this.lastSeq = lastSeq;
    }

    /**
     * Opens a new file for {@code cameraId}, named after the capture time of {@code first} (which it does not write
     * yet), and indexes it as open. {@code lastSeq}: the stream sequence of the last frame written before it.
     */
    static OpenSegment open(String cameraId, Frame first, long lastSeq, RecordingIndex index,
                            SegmentWriterFactory writers) throws IOException {
        Instant start = EpochMicros.toInstant(first.metadata().captureUs());
        RecordingId id = index.layout().newSegment(cameraId, start);
        Path file = index.layout().videoOf(id);
        SegmentWriter writer = writers.open(file, first.metadata().width(), first.metadata().height());
        Recording entry = new Recording(id.value(), cameraId, start, start, 0, 0, index.layout().relative(file), true,
                lastSeq);
        index.save(entry);
        return new OpenSegment(index, writer, file, first, entry, lastSeq);
    }

    /** True when {@code next} must start a new segment: this one is {@code length} long, or the picture size changed. */
    boolean endsBefore(Frame next, Duration length) {
        FrameMetadata m = next.metadata();
        return m.captureUs() - startUs >= length.toNanos() / 1000 || m.width() != width || m.height() != height;
    }

    void write(Frame f) throws IOException {
        long captureUs = f.metadata().captureUs();
        long pts = Math.max((captureUs - startUs) / 1000, lastPtsMs + 1);
        writer.write(f, pts);
        lastPtsMs = pts;
        frames++;
        lastFrameUs = captureUs;
        lastSeq = f.streamSeq();
    }

    /** Pushes what was written to the file and records in the index how much that is. */
    void flush() throws IOException {
        writer.flush();
        entry = entry.progressed(frames, Files.size(file), EpochMicros.toInstant(lastFrameUs), lastSeq);
        index.save(entry);
    }

    /** Finishes the file; returns its complete index entry. */
    Recording close() throws IOException {
        writer.close();
        entry = new Recording(entry.id(), entry.cameraId(), entry.start(), EpochMicros.toInstant(lastFrameUs), frames,
                Files.size(file), entry.path(), false, lastSeq);
        index.save(entry);
        return entry;
    }

    /** After an error: closes what can be closed and leaves the index as the last flush left it. */
    void abandon() throws IOException {
        try {
            writer.close();
        } catch (IOException | RuntimeException ignored) {
            // the file keeps what was flushed; its sidecar says how much
        }
        if (entry.frames() == 0) {
            index.delete(entry);
        } else {
            index.save(entry.closed(entry.frames(), entry.bytes(), entry.end()));
        }
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
