package io.github.cctv.bench;

import io.github.cctv.camera.TestPatternSource;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;

/**
 * The burned-in frame counters of a camera's first and last recorded pictures, decoded by ffmpeg and read
 * with {@link TestPatternSource#readCounter}: with the frame count they tell where frames went missing.
 */
final class Counters {

    private Counters() {
    }

    /** Counters of the first and last recorded picture; -1 where one could not be read. */
    record Span(long first, long last) {

        /** Frames missing before the first recorded one, after the last one (of {@code sent}), and in between. */
        Missing missing(long sent, long recorded) {
            if (first < 1 || last < 1) {
                return null;
            }
            long before = first - 1;
            long after = sent - last;
            return new Missing(before, after, (last - first + 1) - recorded);
        }
    }

    /** Frames missing at the start, at the end and in the middle (negative in the middle: duplicates). */
    record Missing(long start, long end, long middle) {
    }

    /** The span of one camera whose recording is {@code files}, in order. */
    static Span of(List<Path> files, Path scratch) throws IOException, InterruptedException {
        if (files.isEmpty()) {
            return new Span(-1, -1);
        }
        Files.createDirectories(scratch);
        long first = picture(files.get(0), List.of("-frames:v", "1"), scratch.resolve("first.png"));
        Path lastFile = files.get(files.size() - 1);
        String packets = RecorderService.ffprobeFrames(lastFile);
        long last = packets.startsWith("?") ? -1 : picture(lastFile,
                List.of("-vf", "select=eq(n\\," + (Long.parseLong(packets) - 1) + ")", "-frames:v", "1"),
                scratch.resolve("last.png"));
        return new Span(first, last);
    }

    /**
     * Decodes one picture of {@code file}, chosen by {@code output} options (the first; or by its number, which
     * decodes up to it but writes one: seeking needs a duration a recording being written may not state), into a
     * PNG; its counter or -1.
     */
    private static long picture(Path file, List<String> output, Path png) throws IOException, InterruptedException {
        Files.deleteIfExists(png);
        List<String> cmd = new java.util.ArrayList<>(List.of("ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "error"));
        cmd.addAll(List.of("-i", file.toString()));
        cmd.addAll(output);
        cmd.addAll(List.of("-y", png.toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return -1;
        }
        if (p.exitValue() != 0 || !Files.exists(png)) {
            return -1;
        }
        BufferedImage image = ImageIO.read(png.toFile());
        OptionalLong n = image == null ? OptionalLong.empty() : TestPatternSource.readCounter(image);
        return n.orElse(-1);
    }
}
