package io.github.cctv.camera;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * H.264 in Annex B form (ITU-T H.264 annex B): NAL units each behind a start code {@code 00 00 01} or
 * {@code 00 00 00 01}. What the protocol carries per FRAME is one access unit in this form.
 */
final class AnnexB {

    static final int NAL_SLICE = 1;
    static final int NAL_IDR = 5;
    static final int NAL_SEI = 6;
    static final int NAL_SPS = 7;
    static final int NAL_PPS = 8;
    static final int NAL_AUD = 9;

    private static final byte[] START_CODE = {0, 0, 0, 1};

    /** One NAL unit inside a buffer: {@code [start, end)} excludes its start code. */
    record Nal(int start, int end, int type) {
    }

    private AnnexB() {
    }

    /** True when {@code data} begins with a start code. */
    static boolean startsWithStartCode(byte[] data) {
        return startCodeLength(data, 0) > 0;
    }

    /** The NAL units of {@code data} in order; empty when it does not start with a start code. */
    static List<Nal> units(byte[] data) {
        List<Nal> units = new ArrayList<>();
        int first = startCodeLength(data, 0);
        if (first == 0) {
            return units;
        }
        int start = first;
        int i = start;
        while (i + 2 < data.length) {
            if (data[i] == 0 && data[i + 1] == 0 && data[i + 2] == 1) {
                int end = i;
                // the zero_byte of a 4-byte start code and trailing_zero_8bits belong to no NAL unit
                while (end > start && data[end - 1] == 0) {
                    end--;
                }
                add(units, data, start, end);
                start = i + 3;
                i = start;
            } else {
                i++;
            }
        }
        add(units, data, start, data.length);
        return units;
    }

    private static void add(List<Nal> units, byte[] data, int start, int end) {
        if (end > start) {
            units.add(new Nal(start, end, data[start] & 0x1F));
        }
    }

    /** True when the access unit holds a slice of an IDR picture. */
    static boolean isIdr(byte[] accessUnit) {
        for (Nal n : units(accessUnit)) {
            if (n.type() == NAL_IDR) {
                return true;
            }
        }
        return false;
    }

    /** The NAL units of {@code data} of one {@code type}, each copied without its start code. */
    static List<byte[]> copies(byte[] data, int type) {
        List<byte[]> out = new ArrayList<>();
        for (Nal n : units(data)) {
            if (n.type() == type) {
                out.add(java.util.Arrays.copyOfRange(data, n.start(), n.end()));
            }
        }
        return out;
    }

    /** {@code units} as an Annex B byte string, each behind a 4-byte start code. */
    static byte[] join(List<byte[]> units) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] u : units) {
            out.writeBytes(START_CODE);
            out.writeBytes(u);
        }
        return out.toByteArray();
    }

    private static int startCodeLength(byte[] d, int at) {
        if (d.length >= at + 4 && d[at] == 0 && d[at + 1] == 0 && d[at + 2] == 0 && d[at + 3] == 1) {
            return 4;
        }
        if (d.length >= at + 3 && d[at] == 0 && d[at + 1] == 0 && d[at + 2] == 1) {
            return 3;
        }
        return 0;
    }
}
