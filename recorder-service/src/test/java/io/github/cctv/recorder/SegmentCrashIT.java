package io.github.cctv.recorder;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A segment writer in its own JVM killed with SIGKILL between flushes (no close, no shutdown hook, nothing): the
 * file it leaves plays up to its last flush, checked with ffprobe and FFmpeg's decoder.
 */
class SegmentCrashIT {

    @TempDir
    Path dir;

    Process child;
    final List<String> lines = new CopyOnWriteArrayList<>();

    @AfterEach
    void killChild() throws Exception {
        if (child != null && child.isAlive()) {
            child.destroyForcibly().waitFor();
        }
    }

    private void start(String... args) throws Exception {
        startTraced(List.of(), args);
    }

    /** Starts the child, behind {@code tracer} (a command line) when it is not empty. */
    private void startTraced(List<String> tracer, String... args) throws Exception {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new java.util.ArrayList<>(tracer);
        cmd.addAll(List.of(java, "-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp", classpath,
                SegmentWriterChild.class.getName()));
        cmd.addAll(List.of(args));
        child = new ProcessBuilder(cmd).redirectError(dir.resolve("child.err").toFile()).start();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    lines.add(line);
                }
            } catch (Exception ignored) {
                // the child is gone
            }
        }, "child-output");
        reader.setDaemon(true);
        reader.start();
    }

    /** SIGKILL: the JVM gets no chance to close, flush or finish anything. */
    private void kill() throws Exception {
        child.destroyForcibly();
        assertThat(child.waitFor()).as("exit status of a SIGKILLed process").isEqualTo(128 + 9);
    }

    /** Starts a child that stops writing with a fragment half done after {@code flushes} flushes; then kills it. */
    private void killWhenReady(String codec, Path file, int flushes) throws Exception {
        start(codec, file.toString(), "hold", String.valueOf(flushes));
        await().atMost(Duration.ofSeconds(60)).until(() -> lines.contains("READY") || !child.isAlive());
        assertThat(lines).as("child output; errors: %s", childErrors()).contains("READY");
        kill();
    }

    private int lastFlushedFrames() {
        return lines.stream().filter(l -> l.startsWith("FLUSHED ")).mapToInt(l -> Integer.parseInt(l.split(" ")[1]))
                .max().orElse(0);
    }

    private long sizeAtFlush(int frames) {
        return lines.stream().filter(l -> l.startsWith("FLUSHED " + frames + " "))
                .mapToLong(l -> Long.parseLong(l.split(" ")[2])).findFirst().orElseThrow();
    }

    private String childErrors() throws Exception {
        return Files.readString(dir.resolve("child.err"));
    }

    /**
     * A crash loses nothing flushed, but a power cut loses what is only in the page cache: the writer's system calls
     * show each flush writing its data, then forcing the file ({@code fdatasync}), and only then reporting the
     * frames flushed (the recorder acknowledges them there); the new file's folder is forced too.
     */
    @ParameterizedTest
    @ValueSource(strings = {"h264", "jpeg"})
    void aFlushForcesTheFileToTheDiskBeforeItReturns(String codec) throws Exception {
        MediaProbe.requireTool("strace is missing or may not trace here: SKIPPING the fsync check (apt-get install strace)",
                "strace", "-qq", "-e", "trace=none", "true");
        Path file = dir.resolve("forced." + (codec.equals("h264") ? "mp4" : "mkv"));
        Path trace = dir.resolve("syscalls.txt");
        startTraced(List.of("strace", "-f", "-qq", "-y", "--seccomp-bpf", "-e", "trace=write,fdatasync,fsync",
                "-e", "signal=none", "-s", "8", "-o", trace.toString()), codec, file.toString(), "hold", "3");
        await().atMost(Duration.ofSeconds(120)).until(() -> lines.contains("READY") || !child.isAlive());
        assertThat(lines).as("child output; errors: %s", childErrors()).contains("READY");
        child.destroyForcibly().waitFor();

        String name = "<" + file.toRealPath() + ">";
        List<String> events = Files.readAllLines(trace).stream()
                .filter(l -> l.contains(name) || l.contains(" write(1<") || l.contains("fsync("))
                .toList();
        int reports = 0;
        String lastOnFile = null;
        for (String e : events) {
            if (e.contains(" write(1<") && e.contains("\"FLUSHED")) {
                assertThat(lastOnFile).as("what happened to the file before report %d", reports + 1)
                        .contains("fdatasync(");
                reports++;
            } else if (e.contains(name)) {
                lastOnFile = e;
            }
        }
        assertThat(reports).isEqualTo(3);
        String folder = "<" + dir.toRealPath() + ">";
        assertThat(events).anyMatch(e -> e.contains("fsync(") && e.contains(folder));
    }

    @Test
    void anMp4KilledMidFragmentPlaysExactlyItsFlushedFrames() throws Exception {
        Path file = dir.resolve("crash.mp4");
        killWhenReady("h264", file, 3);

        // 90 frames were flushed, 15 more were written into a fragment that never ended: exactly 90 play
        assertThat(MediaProbe.decodeErrors(file)).isEmpty();
        assertThat(MediaProbe.ffprobe(file).decodedFrames()).isEqualTo(90);
        assertThat(TestFrames.counters(TestFrames.decode(file))).isEqualTo(IntStream.range(0, 90).boxed().toList());
        assertThat(Files.size(file)).isEqualTo(sizeAtFlush(90));
    }

    @Test
    void anMp4KilledWhileWritingPlaysEverythingUpToItsLastFlush() throws Exception {
        Path file = dir.resolve("running.mp4");
        start("h264", file.toString(), "run", "0");
        await().atMost(Duration.ofSeconds(60)).until(() -> lastFlushedFrames() >= 150 || !child.isAlive());
        int acknowledged = lastFlushedFrames();
        kill();
        assertThat(acknowledged).as("child errors: %s", childErrors()).isGreaterThanOrEqualTo(150);

        // whatever the moment of the kill: every frame reported flushed plays, in order, from the first
        List<Integer> counters = TestFrames.counters(TestFrames.decode(file));
        assertThat(counters.size()).isGreaterThanOrEqualTo(acknowledged);
        assertThat(counters).isEqualTo(IntStream.range(0, counters.size()).boxed().toList());
        assertThat(MediaProbe.ffprobe(file).decodedFrames()).isGreaterThanOrEqualTo(acknowledged);
    }

    @Test
    void aMatroskaSegmentKilledAfterAFlushPlaysItsFlushedFramesOnceCutToTheFlushedSize() throws Exception {
        Path file = dir.resolve("crash.mkv");
        killWhenReady("jpeg", file, 2);

        // the recorder's sidecar keeps the size at the last flush and a crashed segment is cut back to it
        try (RandomAccessFile raf = new RandomAccessFile(new File(file.toString()), "rw")) {
            assertThat(raf.length()).isGreaterThanOrEqualTo(sizeAtFlush(60));
            raf.setLength(sizeAtFlush(60));
        }
        assertThat(TestFrames.counters(TestFrames.decode(file))).isEqualTo(IntStream.range(0, 60).boxed().toList());
        assertThat(MediaProbe.ffprobe(file).decodedFrames()).isEqualTo(60);
    }
}
