package io.github.cctv.recorder.media;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads an H.264 access unit in Annex B form (NAL units each behind a {@code 00 00 01} or {@code 00 00 00 01} start
 * code), as cameras send it: which NAL units it holds, whether a segment can start on it, its parameter sets.
 */
public final class AnnexB {

    /** NAL unit types of ITU-T H.264 table 7-1 that matter here. */
    public static final int NAL_SLICE = 1;
    public static final int NAL_IDR = 5;
    public static final int NAL_SPS = 7;
    public static final int NAL_PPS = 8;

    private static final byte[] START_CODE = {0, 0, 0, 1};

    private AnnexB() {
    }

    /** One NAL unit: where its bytes (header byte first, start code excluded) lie in the access unit. */
    public record Nal(int offset, int length, int type) {
    }

    /** The NAL units of {@code au} in order; empty when it holds no start code. */
    public static List<Nal> nalUnits(byte[] au) {
        List<Nal> out = new ArrayList<>();
        int start = nextPayload(au, 0);
        while (start >= 0 && start < au.length) {
            int next = nextPayload(au, start);
            int end = next < 0 ? au.length : next - 3;
            // the zero byte of a four-byte start code, and trailing zero bytes, are not part of the unit
            while (end > start && au[end - 1] == 0) {
                end--;
            }
            if (end > start) {
                out.add(new Nal(start, end - start, au[start] & 0x1f));
            }
            start = next;
        }
        return out;
    }

    /**
     * Whether a decoder can start on {@code au}: its first slice is an IDR slice and a sequence and a picture
     * parameter set come before it (the protocol puts them in-band before every IDR).
     */
    public static boolean isKeyframe(byte[] au) {
        boolean sps = false;
        boolean pps = false;
        for (int i = nextPayload(au, 0); i >= 0 && i < au.length; i = nextPayload(au, i)) {
            int type = au[i] & 0x1f;
            if (type == NAL_SPS) {
                sps = true;
            } else if (type == NAL_PPS) {
                pps = true;
            } else if (type >= NAL_SLICE && type <= NAL_IDR) {
                return type == NAL_IDR && sps && pps;
            }
        }
        return false;
    }

    /** Whether {@code au} begins with a start code, as every Annex B access unit does. */
    public static boolean startsWithStartCode(byte[] au) {
        return au.length >= 4 && au[0] == 0 && au[1] == 0
                && (au[2] == 1 || (au[2] == 0 && au[3] == 1));
    }

    /**
     * The NAL unit type of the first slice of {@code au} ({@link #NAL_IDR} for a sync sample, {@link #NAL_SLICE} for
     * others), or -1 when it holds no slice (not an access unit); only the NAL headers up to that slice are read.
     */
    public static int firstSliceType(byte[] au) {
        for (int i = nextPayload(au, 0); i >= 0 && i < au.length; i = nextPayload(au, i)) {
            int type = au[i] & 0x1f;
            if (type >= NAL_SLICE && type <= NAL_IDR) {
                return type;
            }
        }
        return -1;
    }

    /** The SPS and PPS units of {@code au}, each behind a four-byte start code (FFmpeg's Annex B extradata). */
    public static byte[] parameterSets(byte[] au) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Nal n : nalUnits(au)) {
            if (n.type() == NAL_SPS || n.type() == NAL_PPS) {
                out.writeBytes(START_CODE);
                out.write(au, n.offset(), n.length());
            }
        }
        return out.toByteArray();
    }

    /** Position just after the next start code at or after {@code from}, or -1. */
    private static int nextPayload(byte[] b, int from) {
        for (int i = from; i + 2 < b.length; i++) {
            if (b[i] == 0 && b[i + 1] == 0 && b[i + 2] == 1) {
                return i + 3;
            }
        }
        return -1;
    }
}
