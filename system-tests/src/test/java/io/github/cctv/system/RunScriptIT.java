package io.github.cctv.system;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code run.sh} and {@code bench.sh} as a person types them: help, and bad options refused before anything starts. */
class RunScriptIT {

    record Result(int exit, String out, String err) {
    }

    static Result run(String script, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("bash", Repo.ROOT.resolve(script).toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(Repo.ROOT.toFile()).start();
        p.getOutputStream().close();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).as(String.join(" ", cmd) + " ends").isTrue();
        return new Result(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
                new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    @Test
    void helpPrintsTheUsageAndNothingElse() throws Exception {
        Result r = run("run.sh", "--help");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).startsWith("Usage: ./run.sh [options]").contains("--cameras N", "--fps N", "--size WxH",
                "--no-build", "CCTV_DASHBOARD_PORT").doesNotContain("set -euo", "#!");
        assertThat(r.err()).isEmpty();
        assertThat(run("run.sh", "-h").out()).isEqualTo(r.out());
    }

    @Test
    void refusesMissingAndMalformedValuesWithAClearMessage() throws Exception {
        assertRefused(run("run.sh", "--cameras"), "--cameras needs a value");
        assertRefused(run("run.sh", "--cameras", "--no-build"), "--cameras needs a value");
        assertRefused(run("run.sh", "--cameras", "three"), "--cameras must be a whole number", "'three'");
        assertRefused(run("run.sh", "--cameras", "-1"), "--cameras must be a whole number");
        assertRefused(run("run.sh", "--fps", "0"), "--fps must be a whole number from 1");
        assertRefused(run("run.sh", "--fps", "fast"), "--fps must be a whole number");
        assertRefused(run("run.sh", "--size", "720p"), "--size must be WIDTHxHEIGHT", "'720p'");
        assertRefused(run("run.sh", "--frobnicate"), "unknown option: --frobnicate");
    }

    private static void assertRefused(Result r, String... says) {
        assertThat(r.exit()).isEqualTo(64);
        assertThat(r.err()).contains(says).contains("--help");
        assertThat(r.out()).as("nothing started").isEmpty();
    }
}
