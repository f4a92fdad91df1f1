package io.github.cctv.camera;

import io.github.cctv.protocol.wire.Codec;

/**
 * Whether a grabbed source is passed through or decoded and encoded again, and what goes on the wire.
 * Pass-through whenever the camera's codec is one the protocol carries and nothing asked differs from
 * what it sends; the reason for encoding otherwise, said in the log.
 *
 * @param reason   why it is encoded again; null for pass-through
 * @param fps      nominal rate on the wire, NaN while unknown (then measured from arrivals)
 * @param thinTo   keep at most this many frames per second (NaN: keep all); for pass-through only JPEG,
 *                 each of which stands alone, can be thinned without encoding
 */
record SourcePlan(String reason, Codec codec, int width, int height, double fps, double thinTo) {

    /** What a probe of the source found. {@code codec} is null when the protocol does not carry it. */
    record Probe(String codecName, Codec codec, int width, int height, double fps, boolean bFrames) {
    }

    boolean passThrough() {
        return reason == null;
    }

    SourcePlan withFps(double f) {
        return new SourcePlan(reason, codec, width, height, f, thinTo);
    }

    static SourcePlan decide(SourceRequest req, Probe src) {
        String reason = reencodeReason(req, src);
        boolean rateKnown = !Double.isNaN(src.fps());
        if (reason == null) {
            boolean thin = src.codec() == Codec.JPEG && req.fps() != null
                    && (!rateKnown || differs(req.fps(), src.fps()));
            double fps = thin ? (rateKnown ? Math.min(req.fps(), src.fps()) : req.fps())
                    : rateKnown ? src.fps() : req.fps() != null ? req.fps() : Double.NaN;
            return new SourcePlan(null, src.codec(), src.width(), src.height(), fps, thin ? req.fps() : Double.NaN);
        }
        Codec codec = req.codec() != null ? req.codec() : req.rawCodec();
        int w = req.width() != null ? req.width() : src.width();
        int h = req.height() != null ? req.height() : src.height();
        double fps = req.fps() != null ? req.fps() : src.fps();
        return new SourcePlan(reason, codec, w & ~1, h & ~1, fps, req.fps() != null ? req.fps() : Double.NaN);
    }

    private static String reencodeReason(SourceRequest req, Probe src) {
        if (req.transcode()) {
            return "--transcode asked for it";
        }
        if (src.codec() == null) {
            return "the source delivers " + src.codecName() + ", which the protocol does not carry";
        }
        if (req.codec() != null && req.codec() != src.codec()) {
            return "--codec " + req.codec().wireName() + " asked, the source delivers " + src.codec().wireName();
        }
        if (req.width() != null && (req.width() != src.width() || req.height() != src.height())) {
            return "--size " + req.width() + "x" + req.height() + " asked, the source delivers "
                    + src.width() + "x" + src.height();
        }
        if (src.codec() == Codec.H264 && src.bFrames()) {
            return "the source's H.264 has B-frames (sent out of display order), which the protocol does not carry";
        }
        if (src.codec() == Codec.H264 && req.fps() != null && !Double.isNaN(src.fps()) && differs(req.fps(), src.fps())) {
            return "--fps " + req.fps() + " asked, the source sends " + src.fps();
        }
        return null;
    }

    private static boolean differs(double a, double b) {
        return Math.abs(a - b) > 0.01 * Math.max(a, b);
    }
}
