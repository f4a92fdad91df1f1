package io.github.cctv.bench;

import io.github.cctv.testing.ServiceProcess;

import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * The CPU that groups of processes, the load generator itself and the rest of the machine used over one
 * measured window, from {@code /proc}: start it, wait, {@link #end()} it. A process that has exited by the
 * end counts as NaN, so a window that outlived a process says so instead of undercounting.
 */
final class CpuWindow {

    private final Map<String, List<Long>> groups;
    private final Map<String, Double> start = new LinkedHashMap<>();
    private final double self0;
    private final double busy0;
    private final long t0;

    /** {@code groups}: a name (ingest, NATS, edge…) → the processes it adds up, in the order to report them. */
    CpuWindow(Map<String, List<Long>> groups) {
        this.groups = groups;
        groups.forEach((name, pids) -> start.put(name, cpu(pids)));
        this.self0 = Benchmark.selfCpu();
        this.busy0 = Benchmark.machineBusySeconds();
        this.t0 = System.nanoTime();
    }

    Used end() {
        double wall = (System.nanoTime() - t0) / 1e9;
        Map<String, Double> used = new LinkedHashMap<>();
        groups.forEach((name, pids) -> used.put(name, cpu(pids) - start.get(name)));
        double self = Benchmark.selfCpu() - self0;
        double others = Benchmark.machineBusySeconds() - busy0 - self - used.values().stream().mapToDouble(d -> d).sum();
        return new Used(used, self, Math.max(0, others), wall);
    }

    private static double cpu(List<Long> pids) {
        double sum = 0;
        for (long pid : pids) {
            try {
                sum += ServiceProcess.cpuSeconds(pid);
            } catch (UncheckedIOException gone) {
                return Double.NaN;
            }
        }
        return sum;
    }

    /** CPU seconds per group, of the load generator and of every other process, over {@code wall} seconds. */
    record Used(Map<String, Double> groups, double self, double others, double wall) {

        double seconds(String group) {
            return groups.getOrDefault(group, Double.NaN);
        }

        /** Share of one core: seconds ÷ wall. */
        double cores(String group) {
            return seconds(group) / wall;
        }

        /** {@code (18 s): recorder 21 %, ingest 29 %, …, load generator 8 %, other processes 4 % of one core}. */
        String breakdown(String... names) {
            StringJoiner j = new StringJoiner(", ", String.format("(%.0f s): ", wall), " of one core");
            for (String name : names) {
                j.add(String.format("%s %.0f %%", name, 100 * cores(name)));
            }
            j.add(String.format("load generator %.0f %%", 100 * self / wall));
            j.add(String.format("other processes %.0f %%", 100 * others / wall));
            return j.toString();
        }
    }
}
