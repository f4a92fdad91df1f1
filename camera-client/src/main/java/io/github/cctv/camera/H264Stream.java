package io.github.cctv.camera;

import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avutil.AVRational;

import java.io.IOException;

/**
 * A demuxed H.264 stream's packets as the protocol's access units, never decoded: MP4 and Matroska keep
 * H.264 length-prefixed (AVCC), turned into Annex B by FFmpeg's {@code h264_mp4toannexb}, which also puts
 * SPS/PPS before each IDR; RTSP and raw streams are Annex B already, and {@code h264_mp4toannexb} passes
 * them untouched (FFmpeg 8 as before), so {@link ParameterSets} inserts SPS/PPS from the stream or the
 * SDP where an IDR lacks them ({@code dump_extra} would prepend the extradata to every key packet that
 * does not start with exactly those bytes, duplicating what is there). Not thread-safe.
 */
final class H264Stream implements AutoCloseable {

    private final BitstreamFilter toAnnexB;
    private final ParameterSets parameterSets;

    H264Stream(AVCodecParameters stream, AVRational timeBase) throws IOException {
        byte[] extradata = extradata(stream);
        if (extradata.length > 0 && extradata[0] == 1) { // avcC: configurationVersion 1
            toAnnexB = new BitstreamFilter("h264_mp4toannexb", stream, timeBase);
            parameterSets = new ParameterSets(extradata(toAnnexB.output()));
        } else {
            toAnnexB = null;
            parameterSets = new ParameterSets(extradata);
        }
    }

    /** True when packets are converted from MP4's length-prefixed form. */
    boolean convertsFromAvcc() {
        return toAnnexB != null;
    }

    /** IDR access units that got SPS/PPS inserted. */
    long parameterSetsInserted() {
        return parameterSets.inserted();
    }

    /**
     * The packet as one access unit in Annex B form with SPS/PPS before an IDR, or null when it is not
     * H.264 Annex B after all (such bytes would cost the camera its session). Takes the packet's data.
     */
    byte[] accessUnit(AVPacket packet) throws IOException {
        byte[] data;
        if (toAnnexB != null) {
            data = toAnnexB.filter(packet);
        } else {
            data = new byte[packet.size()];
            packet.data().get(data);
        }
        if (data == null || !AnnexB.startsWithStartCode(data)) {
            return null;
        }
        return parameterSets.complete(data);
    }

    static byte[] extradata(AVCodecParameters p) {
        if (p == null || p.extradata() == null || p.extradata().isNull() || p.extradata_size() <= 0) {
            return new byte[0];
        }
        byte[] b = new byte[p.extradata_size()];
        p.extradata().get(b);
        return b;
    }

    @Override
    public void close() {
        if (toAnnexB != null) {
            toAnnexB.close();
        }
    }
}
