package io.github.cctv.camera;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayDeque;

/**
 * The test pattern ({@link TestPatternSource}: name, counter strip, clock) encoded by FFmpeg, H.264 by
 * default: one picture per frame slot, frame {@code n} carrying counter {@code n}. A new connection gets
 * an IDR at once instead of waiting for the next scheduled one.
 */
final class EncodedPatternSource implements FrameSource {

    private final TestPatternSource pattern;
    private final VideoEncoder encoder;
    private final StreamFormat format;
    private final ArrayDeque<SourceFrame> ready = new ArrayDeque<>();
    private long counter;

    EncodedPatternSource(TestPatternSource pattern, VideoEncoder encoder, double fps) {
        this.pattern = pattern;
        this.encoder = encoder;
        this.format = new StreamFormat(encoder.codec(), pattern.width(), pattern.height(), fps);
    }

    /** The FFmpeg encoder in use. */
    String encoderName() {
        return encoder.name();
    }

    @Override
    public StreamFormat format() {
        return format;
    }

    @Override
    public SourceFrame poll(long frameNumber, long nowMicros) {
        if (ready.isEmpty()) {
            counter++;
            Instant t = Instant.ofEpochSecond(nowMicros / 1_000_000, (nowMicros % 1_000_000) * 1_000);
            try {
                ready.addAll(encoder.encode(pattern.render(counter, t), nowMicros));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return ready.poll();
    }

    @Override
    public void startAtKeyFrame() {
        ready.clear(); // whatever waits depends on pictures the new receiver never got
        encoder.forceKeyFrame();
    }

    @Override
    public void close() {
        encoder.close();
        pattern.close();
    }
}
