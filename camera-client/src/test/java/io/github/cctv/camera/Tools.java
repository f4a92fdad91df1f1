package io.github.cctv.camera;

import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** External programs the integration tests use, and how they skip when a machine lacks them. */
final class Tools {

    private Tools() {
    }

    /** Skips the test, loudly, when ffmpeg is missing; fails instead when CCTV_REQUIRE_TOOLS=1 (CI). */
    static void requireFfmpeg() {
        io.github.cctv.testing.VideoTools.requireFfmpeg();
    }

    /** {@code java -cp <test classpath> io.github.cctv.camera.CameraClient args…}, output to {@code log}. */
    static Process startClient(File log, String... args) throws Exception {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp", classpath,
                CameraClient.class.getName()));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log).start();
    }

    /** Runs a command to completion, failing with its output when it fails. */
    static void run(File log, String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("timed out: " + String.join(" ", cmd));
        }
        if (p.exitValue() != 0) {
            throw new AssertionError(String.join(" ", cmd) + " failed: " + java.nio.file.Files.readString(log.toPath()));
        }
    }
}
