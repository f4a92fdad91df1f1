package io.github.cctv.ingest.config;

import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Optional;
import java.util.Set;

/**
 * The camera secret, from {@code cctv.ingest.camera-secret-file} (a file of one line, as the launcher and the compose
 * file make it) or {@code cctv.ingest.camera-secret}. Surrounding white space is not part of it.
 */
final class CameraSecret {

    /** Shortest secret accepted, characters: the launcher makes 43. */
    static final int MIN_LENGTH = 16;

    private static final Logger LOG = Logger.getLogger(CameraSecret.class);

    private CameraSecret() {
    }

    /** The secret, or empty when neither property is set; throws with what to do when it cannot be used. */
    static Optional<String> read(Optional<String> file, Optional<String> value) {
        Optional<String> path = file.map(String::strip).filter(f -> !f.isEmpty());
        Optional<String> inline = value.filter(v -> !v.isBlank());
        if (path.isPresent() && inline.isPresent()) {
            throw new IllegalArgumentException("set cctv.ingest.camera-secret-file or cctv.ingest.camera-secret, not both");
        }
        if (path.isPresent()) {
            return Optional.of(check(fromFile(Path.of(path.get())), "the file " + path.get()));
        }
        return inline.map(v -> check(v, "cctv.ingest.camera-secret"));
    }

    private static String fromFile(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException("cctv.ingest.camera-secret-file: cannot read " + file + " (" + e + ")", e);
        }
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
            if (perms.contains(PosixFilePermission.OTHERS_READ)) {
                LOG.warnf("the camera secret file %s is readable by every user of this machine: chmod 600 it", file);
            }
        } catch (IOException | UnsupportedOperationException e) {
            // not a POSIX file system: nothing to say
        }
        return text;
    }

    private static String check(String secret, String from) {
        String s = secret.strip();
        if (s.length() < MIN_LENGTH) {
            // never echo any of it
            throw new IllegalArgumentException("the camera secret in " + from + " is " + s.length()
                    + " characters long, at least " + MIN_LENGTH + " are needed (make one: head -c 32 /dev/urandom | base64)");
        }
        return s;
    }
}
