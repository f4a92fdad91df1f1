package io.github.cctv.recorder.media;

import io.github.cctv.recorder.domain.store.Durable;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Forces a file that FFmpeg writes to the disk. FFmpeg has no fsync of its own, so the file is opened a second time
 * here: on Linux {@code fsync} works on the file (the inode), whichever descriptor asks, so forcing this channel
 * makes durable everything FFmpeg handed to the operating system before. The first force also forces the folder, so
 * that the new file's name survives a power cut too.
 */
final class DurableFile implements AutoCloseable {

    private final Path file;
    private final FileChannel channel;
    private boolean folderForced;

    /** Opens an existing file (FFmpeg has created it). */
    DurableFile(Path file) throws IOException {
        this.file = file;
        this.channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
    }

    /** Blocks until everything written to the file so far is on the disk. */
    void force() throws IOException {
        // data only (fdatasync): the size, which is needed to read the data back, is included on Linux
        channel.force(false);
        if (!folderForced) {
            Durable.forceFolder(file.toAbsolutePath().getParent());
            folderForced = true;
        }
    }

    /** The file, opened for writing (for small patches in place once FFmpeg is done with it). */
    FileChannel channel() {
        return channel;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
