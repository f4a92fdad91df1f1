package io.github.cctv.system;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** deploy/cluster-demo.sh as a person starts it: its help, and refusing what it cannot run (the run itself: ClusterIT). */
class ClusterDemoScriptIT {

    private record Result(int exit, String output) {
    }

    private static Result run(String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of("bash", Repo.ROOT.resolve("deploy/cluster-demo.sh").toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return new Result(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    @Test
    void helpSaysWhatItRunsAndWrongOptionsAreRefusedBeforeAnythingStarts() throws Exception {
        Result help = run("--help");
        assertThat(help.exit()).isZero();
        assertThat(help.output()).contains("three-node NATS cluster", "two ingests", "two dashboards", "--recorders N");
        Result three = run("--recorders", "3");
        assertThat(three.exit()).isEqualTo(2);
        assertThat(three.output()).contains("--recorders must be 1 or 2");
        Result unknown = run("--nodes", "5");
        assertThat(unknown.exit()).isEqualTo(2);
        assertThat(unknown.output()).contains("unknown option: --nodes");
    }
}
