package io.github.cctv.recorder;

import io.github.cctv.recorder.config.RecorderConfig;
import io.github.cctv.recorder.domain.recording.Frame;
import io.github.cctv.recorder.domain.recording.SegmentWriter;
import io.github.cctv.recorder.media.SegmentWriters;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.locks.LockSupport;

/**
 * A process that records test frames into one segment and never closes it, for crash tests: it prints
 * {@code FLUSHED <frames> <bytes>} after every flush (30 frames) returns, as the recorder acknowledges frames.
 * <ul>
 *   <li>{@code hold}: after {@code flushes} flushes it writes 15 more frames without flushing, prints
 *       {@code READY}, then waits to be killed;</li>
 *   <li>{@code run}: it writes and flushes until killed, a frame every 2 ms.</li>
 * </ul>
 * Arguments: {@code h264|jpeg file hold|run flushes}.
 */
public final class SegmentWriterChild {

    private SegmentWriterChild() {
    }

    public static void main(String[] args) throws Exception {
        String codec = args[0];
        Path file = Path.of(args[1]);
        boolean hold = args[2].equals("hold");
        int flushes = Integer.parseInt(args[3]);
        int width = TestFrames.WIDTH;
        int height = TestFrames.HEIGHT;
        H264TestStream camera = codec.equals("h264") ? new H264TestStream(width, height, 30) : null;
        SegmentWriter w = SegmentWriters.forFormat(RecorderConfig.Format.COPY, 0).open(file, codec, width, height);
        long t = 1_764_000_000_000_000L;
        for (int i = 0; ; i++) {
            byte[] data = camera != null ? camera.encode(i).data() : TestFrames.jpeg(i);
            w.write(new Frame("crash", i + 1, i, t, t + 10_000, width, height, codec, data, 0, () -> { }), i * 33L);
            t += 33_333;
            if (i % 30 == 29) {
                w.flush();
                System.out.println("FLUSHED " + (i + 1) + " " + Files.size(file));
                if (hold && (i + 1) / 30 == flushes) {
                    for (int j = i + 1; j < i + 16; j++) {
                        byte[] more = camera != null ? camera.encode(j).data() : TestFrames.jpeg(j);
                        w.write(new Frame("crash", j + 1, j, t, t + 10_000, width, height, codec, more, 0, () -> { }), j * 33L);
                        t += 33_333;
                    }
                    System.out.println("READY");
                    System.in.read(); // killed while waiting here
                    return;
                }
            }
            if (!hold) {
                LockSupport.parkNanos(2_000_000);
            }
        }
    }
}
