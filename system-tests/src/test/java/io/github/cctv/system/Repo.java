package io.github.cctv.system;

import java.nio.file.Path;

/** Paths of the repository, seen from this module's directory (where Surefire runs). */
final class Repo {

    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    static final Path LOGS = Path.of("target", "system-logs").toAbsolutePath();

    private Repo() {
    }
}
