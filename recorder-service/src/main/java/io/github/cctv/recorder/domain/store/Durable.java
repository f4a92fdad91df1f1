package io.github.cctv.recorder.domain.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/** Small files written so that a crash or a power cut leaves either the old content or the new, never a mix. */
public final class Durable {

    /** The name of the temporary file {@link #replace} writes first: {@code <name>.tmp}. */
    public static final String TMP_SUFFIX = ".tmp";

    private Durable() {
    }

    /**
     * Replaces {@code file} with {@code data}: written to a temporary file beside it, forced to the disk, renamed over
     * it in one step, and the folder forced, so that the new name survives a power cut. On any error the temporary
     * file is removed (a full disk leaves no {@code .tmp} behind) and {@code file} keeps its old content.
     */
    public static void replace(Path file, byte[] data) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + TMP_SUFFIX);
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buf = ByteBuffer.wrap(data);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(false);
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        forceFolder(file.toAbsolutePath().getParent());
    }

    /** Forces a folder's entries (new or renamed files) to the disk; a no-op where folders cannot be opened. */
    public static void forceFolder(Path folder) throws IOException {
        try (FileChannel dir = FileChannel.open(folder, StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException e) {
            if (!System.getProperty("os.name", "").toLowerCase().contains("win")) {
                throw e;
            }
        }
    }
}
