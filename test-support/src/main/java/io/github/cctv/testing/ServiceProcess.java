package io.github.cctv.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One of the system's programs run as a real process ({@code java -jar …}), for end-to-end tests and
 * benchmarks: started with environment variables, its output in a log file, waited on until healthy,
 * stopped with SIGTERM or killed with SIGKILL, its CPU time read from {@code /proc}.
 */
public final class ServiceProcess implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String name;
    private final Path log;
    private final Process process;

    private ServiceProcess(String name, Path log, Process process) {
        this.name = name;
        this.log = log;
        this.process = process;
    }

    /** Starts {@code java [jvmArgs] -jar jar [args]} with {@code env} added to this process's environment. */
    public static ServiceProcess start(String name, Path jar, List<String> jvmArgs, List<String> args,
                                       Map<String, String> env, Path logDir) {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " does not exist: build it first (./mvnw package -DskipTests)");
        }
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmArgs);
        cmd.add("-jar");
        cmd.add(jar.toString());
        cmd.addAll(args);
        try {
            Files.createDirectories(logDir);
            Path log = logDir.resolve(name + ".log");
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            pb.environment().putAll(env);
            return new ServiceProcess(name, log, pb.start());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name, e);
        }
    }

    /** Convenience for a Quarkus service: {@code <module>/target/quarkus-app/quarkus-run.jar}. */
    public static ServiceProcess startQuarkus(Path repoRoot, String module, int httpPort, Map<String, String> env, Path logDir) {
        return startQuarkus(repoRoot, module, httpPort, List.of("-Xmx512m"), env, logDir);
    }

    /**
     * A Quarkus service logging to {@code <name>.log}: for several instances of one service (a cluster), each its
     * own log.
     */
    public static ServiceProcess startQuarkus(Path repoRoot, String module, String name, int httpPort,
                                              Map<String, String> env, Path logDir) {
        Map<String, String> all = new LinkedHashMap<>(env);
        all.put("QUARKUS_HTTP_PORT", String.valueOf(httpPort));
        return start(name, repoRoot.resolve(module).resolve("target/quarkus-app/quarkus-run.jar"),
                List.of("-Xmx512m"), List.of(), all, logDir);
    }

    /** A Quarkus service with its JVM options, e.g. a small heap for a test about memory. */
    public static ServiceProcess startQuarkus(Path repoRoot, String module, int httpPort, List<String> jvmArgs,
                                              Map<String, String> env, Path logDir) {
        Map<String, String> all = new LinkedHashMap<>(env);
        all.put("QUARKUS_HTTP_PORT", String.valueOf(httpPort));
        return start(module, repoRoot.resolve(module).resolve("target/quarkus-app/quarkus-run.jar"),
                jvmArgs, List.of(), all, logDir);
    }

    /** Waits up to {@code timeout} for the process to end; its exit code, or empty if it still runs. */
    public java.util.OptionalInt awaitExit(Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)
                    ? java.util.OptionalInt.of(process.exitValue()) : java.util.OptionalInt.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return java.util.OptionalInt.empty();
        }
    }

    /** Waits until {@code url} answers 200, failing early if the process dies. */
    public ServiceProcess awaitHealthy(String url, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + "\n" + tail(40));
            }
            try {
                HttpResponse<Void> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    return this;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
            pause(200);
        }
        throw new IllegalStateException(name + " not healthy at " + url + " after " + timeout + "\n" + tail(40));
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public Path log() {
        return log;
    }

    /** CPU time (user + system) this process has used so far, in seconds; Linux only. */
    public double cpuSeconds() {
        return cpuSeconds(process.pid());
    }

    /** CPU time (user + system) of any process, from {@code /proc/<pid>/stat}. */
    public static double cpuSeconds(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
            // fields after the command name, which is in parentheses and may contain spaces
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime
            return ticks / 100.0; // USER_HZ is 100 on Linux
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** SIGTERM, then wait for a clean exit (SIGKILL after 20 s). */
    public void stop() {
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** SIGKILL: the process gets no chance to clean up. */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The last {@code lines} lines of the log. */
    public String tail(int lines) {
        try {
            List<String> all = Files.readAllLines(log);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            stop();
        }
    }

    private static void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
