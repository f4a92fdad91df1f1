package io.github.cctv.recorder.media;

import org.bytedeco.ffmpeg.global.avutil;

/** Small FFmpeg calls the media classes share. */
final class Av {

    private Av() {
    }

    /** FFmpeg's text for an error code. */
    static String error(int code) {
        byte[] buf = new byte[256];
        avutil.av_strerror(code, buf, buf.length);
        int n = 0;
        while (n < buf.length && buf[n] != 0) {
            n++;
        }
        return new String(buf, 0, n) + " (" + code + ")";
    }

    /** Quiets FFmpeg's own log unless asked otherwise. */
    static void quiet() {
        avutil.av_log_set_level(avutil.AV_LOG_ERROR);
    }
}
