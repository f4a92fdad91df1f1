package io.github.cctv.recorder.domain.recording;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * Segment writers that keep what they are given: each frame's camera sequence and timestamp, flushes and closes.
 * They also append a few bytes per frame to the real file, so that its size grows as a real segment's does.
 */
final class MemoryWriters implements SegmentWriterFactory {

    /** One written frame. */
    record Written(long cameraSeq, long ptsMs) {
    }

    /** One segment file. */
    static final class Writer implements SegmentWriter {
        final Path file;
        final int width;
        final int height;
        final List<Written> frames = new CopyOnWriteArrayList<>();
        volatile int flushedFrames;
        volatile boolean closed;

        Writer(Path file, int width, int height) {
            this.file = file;
            this.width = width;
            this.height = height;
        }

        @Override
        public void write(Frame frame, long ptsMs) throws IOException {
            if (closed) {
                throw new IllegalStateException("write after close");
            }
            Files.write(file, frame.data(), StandardOpenOption.APPEND);
            frames.add(new Written(frame.metadata().seq(), ptsMs));
        }

        @Override
        public void flush() {
            flushedFrames = frames.size();
        }

        @Override
        public void close() {
            flushedFrames = frames.size();
            closed = true;
        }

        List<Long> seqs() {
            return frames.stream().map(Written::cameraSeq).toList();
        }
    }

    final List<Writer> opened = new CopyOnWriteArrayList<>();
    private volatile Predicate<Path> failOpen = p -> false;

    /** Files for which {@link #open} fails, as an unwritable folder does. */
    void failOpening(Predicate<Path> which) {
        failOpen = which;
    }

    @Override
    public SegmentWriter open(Path file, int width, int height) throws IOException {
        if (failOpen.test(file)) {
            throw new IOException("cannot open " + file + ": permission denied");
        }
        Files.createFile(file);
        Writer w = new Writer(file, width, height);
        opened.add(w);
        return w;
    }

    /** Every frame written for a camera, in order, across its segments. */
    List<Long> seqs(String cameraId) {
        return opened.stream().filter(w -> w.file.getFileName().toString().startsWith(cameraId + "_"))
                .flatMap(w -> w.seqs().stream()).toList();
    }

    List<Writer> of(String cameraId) {
        return opened.stream().filter(w -> w.file.getFileName().toString().startsWith(cameraId + "_")).toList();
    }
}
