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
        long first = picture(files.get(0), List.of(), scratch.resolve("first.png"));
        Path lastFile = files.get(files.size() - 1);
        double seconds = duration(lastFile);
        long last = picture(lastFile, List.of("-ss", String.format(java.util.Locale.ROOT, "%.3f", Math.max(0, seconds - 2))),
                scratch.resolve("last.png"));
        return new Span(first, last);
    }

    /** The duration ffprobe reports for {@code file}, seconds; 0 when it reports none. */
    private static double duration(Path file) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0",
                file.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes()).trim();
        p.waitFor();
        try {
            return Double.parseDouble(out);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** Decodes pictures of {@code file} (from {@code seek}) into one PNG, keeping the last one; its counter or -1. */
    private static long picture(Path file, List<String> seek, Path png) throws IOException, InterruptedException {
        Files.deleteIfExists(png);
        List<String> cmd = new java.util.ArrayList<>(List.of("ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "error"));
        cmd.addAll(seek);
        cmd.addAll(List.of("-i", file.toString()));
        cmd.addAll(seek.isEmpty() ? List.of("-frames:v", "1") : List.of("-update", "1"));
        cmd.addAll(List.of("-y", png.toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
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
