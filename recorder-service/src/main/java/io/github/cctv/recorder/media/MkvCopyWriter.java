package io.github.cctv.recorder.media;

import io.github.cctv.recorder.domain.recording.Frame;
import io.github.cctv.recorder.domain.recording.SegmentWriter;
import org.bytedeco.ffmpeg.avcodec.AVPacket;

import java.io.IOException;
import java.nio.file.Path;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_MJPEG;
import static org.bytedeco.ffmpeg.global.avcodec.AV_PKT_FLAG_KEY;
import static org.bytedeco.ffmpeg.global.avcodec.av_new_packet;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_VIDEO;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUVJ420P;

/** Copies JPEG frames as they are into Matroska (codec MJPEG): no decoding, almost no CPU. */
public final class MkvCopyWriter implements SegmentWriter {

    private final MkvMuxer muxer;
    private final AVPacket pkt;
    private boolean freed;

    public MkvCopyWriter(Path file, int width, int height) throws IOException {
        muxer = new MkvMuxer(file, par -> {
            par.codec_type(AVMEDIA_TYPE_VIDEO);
            par.codec_id(AV_CODEC_ID_MJPEG);
            par.width(width);
            par.height(height);
            par.format(AV_PIX_FMT_YUVJ420P);
        });
        pkt = av_packet_alloc();
    }

    @Override
    public void write(Frame frame, long ptsMs) throws IOException {
        byte[] data = frame.data();
        int rc = av_new_packet(pkt, data.length);
        if (rc < 0) {
            throw new IOException("cannot allocate a packet: " + Av.error(rc));
        }
        try {
            pkt.data().position(0).put(data, 0, data.length);
            pkt.pts(ptsMs);
            pkt.dts(ptsMs);
            pkt.flags(AV_PKT_FLAG_KEY);
            muxer.write(pkt);
        } finally {
            av_packet_unref(pkt);
        }
    }

    @Override
    public void flush() throws IOException {
        muxer.flush();
    }

    @Override
    public void close() throws IOException {
        try {
            muxer.close();
        } finally {
            free();
        }
    }

    @Override
    public void abort() {
        muxer.release();
        free();
    }

    private void free() {
        if (!freed) {
            freed = true;
            av_packet_free(pkt);
        }
    }
}
