package io.github.cctv.recorder.media;

import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVDictionary;

import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Consumer;

import static org.bytedeco.ffmpeg.global.avformat.av_write_frame;
import static org.bytedeco.ffmpeg.global.avformat.av_write_trailer;
import static org.bytedeco.ffmpeg.global.avformat.avformat_new_stream;
import static org.bytedeco.ffmpeg.global.avformat.avformat_write_header;
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
    private OutputFile out;
    private AVFormatContext oc;

    MkvMuxer(Path file, Consumer<AVCodecParameters> params) throws IOException {
        this.file = file;
        out = new OutputFile(file, "matroska");
        oc = out.context();
        AVStream stream = avformat_new_stream(oc, null);
        params.accept(stream.codecpar());
        stream.time_base(av_make_q(1, 1000));
        AVDictionary opts = new AVDictionary(null);
        av_dict_set(opts, "live", "1", 0);
        // clusters end when we flush (or after 2 s at most), so every flush lands on a cluster boundary
        av_dict_set(opts, "cluster_time_limit", "2000", 0);
        av_dict_set(opts, "cluster_size_limit", String.valueOf(64 << 20), 0);
        int rc = avformat_write_header(oc, opts);
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
        out.checkIo();
    }

    void flush() throws IOException {
        // a null packet makes the Matroska muxer close its cluster; avio_flush then writes it out
        int rc = av_write_frame(oc, (AVPacket) null);
        if (rc < 0) {
            throw new IOException("cannot flush " + file + ": " + Av.error(rc));
        }
        out.flushToDisk();
    }

    @Override
    public void close() throws IOException {
        if (oc == null) {
            return;
        }
        try {
            int rc = av_write_trailer(oc);
            out.flushToDisk();
            if (rc < 0) {
                throw new IOException("cannot finish " + file + ": " + Av.error(rc));
            }
        } finally {
            release();
        }
    }

    /** Frees everything without finishing the file (after an error). */
    void release() {
        if (out != null) {
            out.close();
            out = null;
            oc = null;
        }
    }
}
