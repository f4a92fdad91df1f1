package io.github.cctv.camera;

import java.util.List;
import java.util.Locale;

/**
 * How frames are encoded when the camera-client has to encode them (test pattern, raw sources, or a
 * transcode that was asked for).
 *
 * @param encoder           FFmpeg H.264 encoder: {@code auto} (the Raspberry Pi's {@code h264_v4l2m2m} where
 *                          it works, else {@code libopenh264}) or one of those names
 * @param bitrateKbps       H.264 target bitrate, kbit/s; 0 = {@link #autoBitrateKbps} for the size and rate
 * @param keyframeInterval  seconds between H.264 key frames (IDR), so a viewer or recording can start
 * @param jpegQuality       JPEG quality, 0..1
 */
public record EncoderSettings(String encoder, int bitrateKbps, double keyframeInterval, float jpegQuality) {

    /** Hardware first: the Raspberry Pi's V4L2 memory-to-memory encoder, then Cisco's software encoder. */
    static final List<String> H264_ENCODERS = List.of("h264_v4l2m2m", "libopenh264");

    /** Bits per pixel per frame of {@link #autoBitrateKbps}: 1280x720 at 30 fps gets about 1.9 Mbit/s. */
    static final double AUTO_BITS_PER_PIXEL = 0.07;

    public static final EncoderSettings DEFAULTS = new EncoderSettings("auto", 0, 1.0, 0.8f);

    public EncoderSettings {
        encoder = encoder == null ? "auto" : encoder.toLowerCase(Locale.ROOT);
        if (!encoder.equals("auto") && !H264_ENCODERS.contains(encoder)) {
            throw new IllegalArgumentException("H.264 encoder '" + encoder + "' is not one of auto, "
                    + String.join(", ", H264_ENCODERS));
        }
        if (bitrateKbps < 0 || bitrateKbps > 200_000) {
            throw new IllegalArgumentException("bitrate " + bitrateKbps + " kbit/s outside 0..200000 (0 = automatic)");
        }
        if (!(keyframeInterval > 0 && keyframeInterval <= 60)) {
            throw new IllegalArgumentException("keyframe interval " + keyframeInterval + " s outside 0..60");
        }
        if (!(jpegQuality >= 0 && jpegQuality <= 1)) {
            throw new IllegalArgumentException("JPEG quality " + jpegQuality + " must be in 0..1");
        }
    }

    /** The same settings at the automatic bitrate (a substream's: 0.07 bit per pixel of its own size). */
    static EncoderSettings autoBitrate(EncoderSettings s) {
        return new EncoderSettings(s.encoder(), 0, s.keyframeInterval(), s.jpegQuality());
    }

    /** The same settings with another JPEG quality. */
    EncoderSettings withJpegQuality(float quality) {
        return new EncoderSettings(encoder, bitrateKbps, keyframeInterval, quality);
    }

    /** The encoders to try, in order. */
    List<String> h264Candidates() {
        return encoder.equals("auto") ? H264_ENCODERS : List.of(encoder);
    }

    /** The bitrate for a picture of this size and rate. */
    int bitrateKbps(int width, int height, double fps) {
        return bitrateKbps > 0 ? bitrateKbps : autoBitrateKbps(width, height, fps);
    }

    static int autoBitrateKbps(int width, int height, double fps) {
        return (int) Math.max(100, Math.round(width * (double) height * fps * AUTO_BITS_PER_PIXEL / 1000));
    }

    /** Frames from one key frame to the next at {@code fps}. */
    int gopFrames(double fps) {
        return (int) Math.max(1, Math.round(keyframeInterval * fps));
    }
}
