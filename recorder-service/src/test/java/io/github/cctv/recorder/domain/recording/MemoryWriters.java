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
 * They also append a few bytes per frame to the real file, so that its size grows as a real segment's does. As the
 * real ones, an H.264 segment ({@code .mp4}) starts only on a keyframe (here: the frame's key flag) and notes where
 * its last keyframe begins; and writes can be made to fail as on a full disk.
 */
final class MemoryWriters implements SegmentWriterFactory {

    /** One written frame. */
    record Written(long cameraSeq, long ptsMs) {
    }

    /** One segment file. */
    final class Writer implements SegmentWriter {
        final Path file;
        final String codec;
        final int width;
        final int height;
        final List<Written> frames = new CopyOnWriteArrayList<>();
        volatile int flushedFrames;
        volatile boolean closed;
        volatile boolean aborted;
        private long keyOffset = -1;

        Writer(Path file, String codec, int width, int height) {
            this.file = file;
            this.codec = codec;
            this.width = width;
            this.height = height;
        }

        @Override
        public void write(Frame frame, long ptsMs) throws IOException {
            if (closed) {
                throw new IllegalStateException("write after close");
            }
            if (!codec.equals(frame.metadata().codec())) {
                throw new FrameRejectedException("a " + frame.metadata().codec() + " frame in a " + codec + " segment");
            }
            if (h264() && frames.isEmpty() && !frame.metadata().keyFrame()) {
                throw new FrameRejectedException("an H.264 segment starts on a keyframe");
            }
            failIfFull();
            if (h264() && frame.metadata().keyFrame()) {
                keyOffset = Files.size(file);
            }
            Files.write(file, frame.data(), StandardOpenOption.APPEND);
            frames.add(new Written(frame.metadata().seq(), ptsMs));
        }

        private boolean h264() {
            return "h264".equals(codec);
        }

        @Override
        public void flush() throws IOException {
            failIfFull();
            flushedFrames = frames.size();
        }

        @Override
        public void close() throws IOException {
            failIfFull();
            flushedFrames = frames.size();
            closed = true;
        }

        @Override
        public void abort() {
            aborted = true;
            closed = true;
        }

        @Override
        public long lastKeyframeOffset() {
            return h264() ? keyOffset : -1;
        }

        List<Long> seqs() {
            return frames.stream().map(Written::cameraSeq).toList();
        }
    }

    final List<Writer> opened = new CopyOnWriteArrayList<>();
    private volatile Predicate<Path> failOpen = p -> false;
    private volatile boolean full;

    /** Files for which {@link #open} fails, as an unwritable folder does. */
    void failOpening(Predicate<Path> which) {
        failOpen = which;
    }

    /** While true, every open, write, flush and close fails as on a full disk. */
    void diskFull(boolean value) {
        full = value;
    }

    private void failIfFull() throws IOException {
        if (full) {
            throw new IOException("No space left on device");
        }
    }

    @Override
    public SegmentWriter open(Path file, String codec, int width, int height) throws IOException {
        if (failOpen.test(file)) {
            throw new IOException("cannot open " + file + ": permission denied");
        }
        failIfFull();
        Files.createFile(file);
        Writer w = new Writer(file, codec, width, height);
        opened.add(w);
        return w;
    }

    @Override
    public String extension(String codec) {
        return "h264".equals(codec) ? "mp4" : "mkv";
    }

    @Override
    public boolean canStartSegment(Frame frame) {
        return !"h264".equals(frame.metadata().codec()) || frame.metadata().keyFrame();
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
