package io.github.cctv.camera;

import java.io.ByteArrayOutputStream;
import java.util.List;

/**
 * Makes every IDR access unit of an H.264 stream carry its SPS and PPS in-band, as the protocol requires
 * (so that any key frame is a starting point). Many cameras send them only once, in the RTSP SDP
 * ({@code sprop-parameter-sets}, FFmpeg's extradata) or in the first frame: the latest ones seen, in the
 * stream or in the extradata, are inserted where an IDR lacks them, right after its access unit
 * delimiter. Everything else passes byte for byte. Not thread-safe: one per stream.
 */
final class ParameterSets {

    private List<byte[]> sps = List.of();
    private List<byte[]> pps = List.of();
    private long inserted;

    /** @param extradata Annex B SPS/PPS to start from (FFmpeg's extradata of an Annex B stream), or null */
    ParameterSets(byte[] extradata) {
        if (extradata != null && AnnexB.startsWithStartCode(extradata)) {
            remember(extradata);
        }
    }

    /** IDR access units that had parameter sets inserted. */
    long inserted() {
        return inserted;
    }

    /** {@code accessUnit} itself, or a copy with the missing SPS/PPS inserted when it is an IDR without them. */
    byte[] complete(byte[] accessUnit) {
        List<AnnexB.Nal> units = AnnexB.units(accessUnit);
        boolean idr = false;
        boolean hasSps = false;
        boolean hasPps = false;
        int insertAt = 0;
        int afterLastSps = -1;
        for (AnnexB.Nal n : units) {
            switch (n.type()) {
                case AnnexB.NAL_IDR -> idr = true;
                case AnnexB.NAL_SPS -> {
                    hasSps = true;
                    afterLastSps = n.end();
                }
                case AnnexB.NAL_PPS -> hasPps = true;
                case AnnexB.NAL_AUD -> insertAt = n.end();
                default -> {
                }
            }
        }
        if (hasSps || hasPps) {
            remember(accessUnit);
        }
        if (!idr || (hasSps && hasPps) || (!hasSps && sps.isEmpty()) || (!hasPps && pps.isEmpty())) {
            return accessUnit; // nothing to add, or nothing known to add
        }
        byte[] missing;
        if (hasSps) {
            missing = AnnexB.join(pps);
            insertAt = afterLastSps;
        } else if (hasPps) {
            missing = AnnexB.join(sps);
        } else {
            missing = AnnexB.join(concat(sps, pps));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(accessUnit.length + missing.length);
        out.write(accessUnit, 0, insertAt);
        out.writeBytes(missing);
        out.write(accessUnit, insertAt, accessUnit.length - insertAt); // from the next unit's own start code on
        inserted++;
        return out.toByteArray();
    }

    private void remember(byte[] data) {
        List<byte[]> s = AnnexB.copies(data, AnnexB.NAL_SPS);
        List<byte[]> p = AnnexB.copies(data, AnnexB.NAL_PPS);
        if (!s.isEmpty()) {
            sps = s;
        }
        if (!p.isEmpty()) {
            pps = p;
        }
    }

    private static List<byte[]> concat(List<byte[]> a, List<byte[]> b) {
        java.util.ArrayList<byte[]> all = new java.util.ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
