package io.github.cctv.camera;

import org.bytedeco.ffmpeg.avcodec.AVBSFContext;
import org.bytedeco.ffmpeg.avcodec.AVBitStreamFilter;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avutil.AVRational;

import java.io.IOException;

import static org.bytedeco.ffmpeg.global.avcodec.*;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EAGAIN;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EOF;

/**
 * One of FFmpeg's bitstream filters on one stream, packet in, packet out: {@code h264_mp4toannexb}
 * (MP4's length-prefixed H.264 to Annex B, SPS/PPS before every IDR) or {@code mjpeg2jpeg} (webcam
 * MJPEG without Huffman tables to whole JPEG files). Not thread-safe.
 */
final class BitstreamFilter implements AutoCloseable {

    private final String name;
    private final AVBSFContext bsf;
    private final AVPacket in = av_packet_alloc();
    private final AVPacket out = av_packet_alloc();

    BitstreamFilter(String name, AVCodecParameters stream, AVRational timeBase) throws IOException {
        this.name = name;
        AVBitStreamFilter filter = av_bsf_get_by_name(name);
        if (filter == null || filter.isNull()) {
            throw new IOException("FFmpeg has no bitstream filter " + name);
        }
        AVBSFContext ctx = new AVBSFContext(null);
        int err = av_bsf_alloc(filter, ctx);
        if (err < 0) {
            throw new IOException("cannot allocate " + name + ": " + VideoEncoder.error(err));
        }
        this.bsf = ctx;
        if (stream != null) {
            avcodec_parameters_copy(bsf.par_in(), stream);
        }
        if (timeBase != null) {
            bsf.time_base_in(timeBase);
        }
        err = av_bsf_init(bsf);
        if (err < 0) {
            close();
            throw new IOException("cannot start " + name + ": " + VideoEncoder.error(err));
        }
    }

    /** The stream's parameters after the filter (e.g. Annex B extradata). */
    AVCodecParameters output() {
        return bsf.par_out();
    }

    /**
     * Filters one packet; the packet's data is taken over by the filter (it comes back empty). Returns
     * the filtered bytes, or null when the filter swallowed or refused the packet.
     */
    byte[] filter(AVPacket packet) throws IOException {
        int err = av_bsf_send_packet(bsf, packet);
        if (err < 0) {
            av_packet_unref(packet);
            throw new IOException(name + " refused a packet: " + VideoEncoder.error(err));
        }
        byte[] result = null;
        while (true) {
            err = av_bsf_receive_packet(bsf, out);
            if (err == AVERROR_EAGAIN() || err == AVERROR_EOF) {
                return result;
            }
            if (err < 0) {
                throw new IOException(name + " failed: " + VideoEncoder.error(err));
            }
            // one packet in gives one packet out for these filters; were there more, the last would win
            result = new byte[out.size()];
            out.data().get(result);
            av_packet_unref(out);
        }
    }

    /** Filters {@code data} as one packet. */
    byte[] filter(byte[] data) throws IOException {
        if (av_new_packet(in, data.length) < 0) {
            throw new IOException("out of memory for a " + data.length + " byte packet");
        }
        in.data().put(data);
        return filter(in);
    }

    @Override
    public void close() {
        av_packet_free(in);
        av_packet_free(out);
        av_bsf_free(bsf);
    }
}
