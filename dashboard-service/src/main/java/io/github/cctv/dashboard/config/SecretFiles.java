package io.github.cctv.dashboard.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Secrets kept in files (the launcher's {@code .run/secrets/<name>}, compose's {@code secrets} volume, or any file
 * an operator names): read with surrounding white space removed; a file that does not exist yet is created with a
 * new random value, readable by this user only, so that the next start reads the same value.
 */
public final class SecretFiles {

    private static final SecureRandom RANDOM = new SecureRandom();

    private SecretFiles() {
    }

    /** The secret in {@code file}, written first with {@code randomBytes} random bytes (base64url) if it is missing. */
    public static String readOrCreate(Path file, int randomBytes) {
        try {
            if (!Files.exists(file)) {
                create(file, random(randomBytes));
            }
            String value = Files.readString(file, StandardCharsets.UTF_8).strip();
            if (value.isEmpty()) {
                throw new IllegalStateException("secret file " + file + " is empty: put a value in it, or delete it "
                        + "to have a random one made");
            }
            return value;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create secret file " + file + ": " + e.getMessage(), e);
        }
    }

    private static void create(Path file, String value) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Path tmp = Files.createTempFile(parent, ".secret-", ".tmp");
        try {
            if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
            }
            Files.writeString(tmp, value + "\n", StandardCharsets.UTF_8);
            // a link, not a move: if another dashboard made the file meanwhile, its value wins and this one is dropped
            Files.createLink(file, tmp);
        } catch (FileAlreadyExistsException e) {
            // made by someone else first: read theirs
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static String random(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
