package io.github.cctv.recorder.domain.retention;

/** The free space of the file system that holds the recordings. */
public interface DiskSpace {

    /** Bytes this process can still write there. */
    long usableBytes();

    /** The file system's size in bytes. */
    long totalBytes();
}
