package io.github.cctv.recorder.media;

import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVIOContext;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

import static org.bytedeco.ffmpeg.global.avformat.AVIO_FLAG_WRITE;
import static org.bytedeco.ffmpeg.global.avformat.avformat_alloc_output_context2;
import static org.bytedeco.ffmpeg.global.avformat.avformat_free_context;
import static org.bytedeco.ffmpeg.global.avformat.avio_closep;
import static org.bytedeco.ffmpeg.global.avformat.avio_flush;
import static org.bytedeco.ffmpeg.global.avformat.avio_open;

/** An FFmpeg muxer writing one file (created or truncated), which it can force to the disk. */
final class OutputFile implements AutoCloseable {

    static {
        Av.quiet();
    }

    private final Path file;
    private AVFormatContext oc;
    private DurableFile durable;

    /** Opens {@code file} for the muxer {@code format} ({@code matroska}, {@code mp4}). */
    OutputFile(Path file, String format) throws IOException {
        this.file = file;
        AVFormatContext ctx = new AVFormatContext(null);
        int rc = avformat_alloc_output_context2(ctx, null, format, file.toString());
        if (rc < 0) {
            throw new IOException("cannot create a " + format + " muxer: " + Av.error(rc));
        }
        oc = ctx;
        AVIOContext pb = new AVIOContext(null);
        rc = avio_open(pb, file.toString(), AVIO_FLAG_WRITE);
        if (rc < 0) {
            close();
            throw new IOException("cannot open " + file + " for writing: " + Av.error(rc));
        }
        oc.pb(pb);
        try {
            durable = new DurableFile(file);
        } catch (IOException e) {
            close();
            throw e;
        }
    }

    AVFormatContext context() {
        return oc;
    }

    Path file() {
        return file;
    }

    /** Fails if FFmpeg could not write to the file (a full disk, an I/O error). */
    void checkIo() throws IOException {
        int err = oc.pb().error();
        if (err < 0) {
            throw new IOException("cannot write to " + file + ": " + Av.error(err));
        }
    }

    /** Hands FFmpeg's buffer to the operating system and forces the file to the disk. */
    void flushToDisk() throws IOException {
        avio_flush(oc.pb());
        checkIo();
        durable.force();
    }

    /** The file, for small patches in place once the muxer has written everything. */
    FileChannel channel() {
        return durable.channel();
    }

    /** Frees the muxer and closes the file as it stands, finished or not. */
    @Override
    public void close() {
        if (oc != null) {
            if (oc.pb() != null) {
                avio_closep(oc.pb());
            }
            avformat_free_context(oc);
            oc = null;
        }
        if (durable != null) {
            try {
                durable.close();
            } catch (IOException ignored) {
                // nothing more is written through it
            }
            durable = null;
        }
    }
}
