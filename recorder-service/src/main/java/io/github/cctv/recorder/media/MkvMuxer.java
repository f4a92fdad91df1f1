package io.github.cctv.recorder.media;

import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVIOContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVDictionary;

import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Consumer;

import static org.bytedeco.ffmpeg.global.avformat.AVIO_FLAG_WRITE;
import static org.bytedeco.ffmpeg.global.avformat.av_write_frame;
import static org.bytedeco.ffmpeg.global.avformat.av_write_trailer;
import static org.bytedeco.ffmpeg.global.avformat.avformat_alloc_output_context2;
import static org.bytedeco.ffmpeg.global.avformat.avformat_free_context;
import static org.bytedeco.ffmpeg.global.avformat.avformat_new_stream;
import static org.bytedeco.ffmpeg.global.avformat.avformat_write_header;
import static org.bytedeco.ffmpeg.global.avformat.avio_closep;
import static org.bytedeco.ffmpeg.global.avformat.avio_flush;
import static org.bytedeco.ffmpeg.global.avformat.avio_open;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_free;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_set;
import static org.bytedeco.ffmpeg.global.avutil.av_make_q;

/**
 * One video stream into a Matroska file with a millisecond time base, in "live" mode: the muxer never seeks back,
 * and {@link #flush()} ends the current cluster, hands it to the operating system and forces it to the disk, so a
 * file cut at any flush (a crash, a power cut) plays to its end.
 */
final class MkvMuxer implements AutoCloseable {

    static {
        Av.quiet();
    }

    private final Path file;
    private AVFormatContext oc;
    private final AVStream stream;
    private DurableFile durable;

    MkvMuxer(Path file, Consumer<AVCodecParameters> params) throws IOException {
        this.file = file;
        oc = new AVFormatContext(null);
        int rc = avformat_alloc_output_context2(oc, null, "matroska", file.toString());
        if (rc < 0) {
            throw new IOException("cannot create a Matroska muxer: " + Av.error(rc));
        }
        stream = avformat_new_stream(oc, null);
        params.accept(stream.codecpar());
        stream.time_base(av_make_q(1, 1000));
        AVIOContext pb = new AVIOContext(null);
        rc = avio_open(pb, file.toString(), AVIO_FLAG_WRITE);
        if (rc < 0) {
            avformat_free_context(oc);
            oc = null;
            throw new IOException("cannot open " + file + " for writing: " + Av.error(rc));
        }
        oc.pb(pb);
        try {
            durable = new DurableFile(file);
        } catch (IOException e) {
            release();
            throw e;
        }
        AVDictionary opts = new AVDictionary(null);
        av_dict_set(opts, "live", "1", 0);
        // clusters end when we flush (or after 2 s at most), so every flush lands on a cluster boundary
        av_dict_set(opts, "cluster_time_limit", "2000", 0);
        av_dict_set(opts, "cluster_size_limit", String.valueOf(64 << 20), 0);
        rc = avformat_write_header(oc, opts);
        av_dict_free(opts);
        if (rc < 0) {
            release();
            throw new IOException("cannot write the header of " + file + ": " + Av.error(rc));
        }
        flush();
    }

    /** Writes one packet whose timestamps are in milliseconds. */
    void write(AVPacket pkt) throws IOException {
        pkt.stream_index(0);
        int rc = av_write_frame(oc, pkt);
        if (rc < 0) {
            throw new IOException("cannot write to " + file + ": " + Av.error(rc));
        }
        checkIo();
    }

    void flush() throws IOException {
        // a null packet makes the Matroska muxer close its cluster; avio_flush then writes it out
        int rc = av_write_frame(oc, (AVPacket) null);
        if (rc < 0) {
            throw new IOException("cannot flush " + file + ": " + Av.error(rc));
        }
        avio_flush(oc.pb());
        checkIo();
        durable.force();
    }

    @Override
    public void close() throws IOException {
        if (oc == null) {
            return;
        }
        try {
            int rc = av_write_trailer(oc);
            avio_flush(oc.pb());
            checkIo();
            if (rc < 0) {
                throw new IOException("cannot finish " + file + ": " + Av.error(rc));
            }
            durable.force();
        } finally {
            release();
        }
    }

    /** Frees everything without finishing the file (after an error). */
    void release() {
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

    private void checkIo() throws IOException {
        int err = oc.pb().error();
        if (err < 0) {
            throw new IOException("cannot write to " + file + ": " + Av.error(err));
        }
    }
}
