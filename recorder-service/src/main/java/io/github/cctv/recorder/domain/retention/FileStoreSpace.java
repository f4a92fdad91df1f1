package io.github.cctv.recorder.domain.retention;

import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The free space of the file system a folder is on, asked of the operating system each time. */
public final class FileStoreSpace implements DiskSpace {

    private static final Logger LOG = Logger.getLogger(FileStoreSpace.class);

    private final Path folder;

    public FileStoreSpace(Path folder) {
        this.folder = folder;
    }

    @Override
    public long usableBytes() {
        try {
            return Files.getFileStore(folder).getUsableSpace();
        } catch (IOException e) {
            LOG.debugf("free space of %s unknown: %s", folder, e.getMessage());
            return Long.MAX_VALUE; // unknown: no recording is deleted for it
        }
    }

    @Override
    public long totalBytes() {
        try {
            return Files.getFileStore(folder).getTotalSpace();
        } catch (IOException e) {
            return Long.MAX_VALUE;
        }
    }
}
