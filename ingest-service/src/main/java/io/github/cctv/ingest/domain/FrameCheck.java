package io.github.cctv.ingest.domain;

import io.github.cctv.protocol.wire.Codec;

/**
 * Whether a frame's bytes are what its session's codec says, checked before it is published (docs/protocol.md,
 * "The server checks"). It reads the structure only, never decodes a picture:
 * <ul>
 *   <li>{@code jpeg}: starts with SOI {@code FF D8} and ends with EOI {@code FF D9};</li>
 *   <li>{@code h264}: an Annex B access unit, starting with a start code; the key flag is set exactly when it holds
 *   an IDR slice (NAL type 5), and then an SPS (7) and a PPS (8) come before its first IDR slice.</li>
 * </ul>
 */
public final class FrameCheck {

    static final int NAL_IDR = 5;
    static final int NAL_SPS = 7;
    static final int NAL_PPS = 8;

    private FrameCheck() {
    }

    /** What is wrong with {@code data} as a frame of {@code codec} flagged {@code keyFrame}, or null when nothing is. */
    public static String problem(Codec codec, byte[] data, boolean keyFrame) {
        return switch (codec) {
            case JPEG -> jpeg(data);
            case H264 -> h264(data, keyFrame);
        };
    }

    private static String jpeg(byte[] d) {
        int n = d.length;
        if (n < 4 || (d[0] & 0xFF) != 0xFF || (d[1] & 0xFF) != 0xD8) {
            return "JPEG frame does not start with SOI (FF D8): it starts " + hex(d, 0, Math.min(n, 4));
        }
        if ((d[n - 2] & 0xFF) != 0xFF || (d[n - 1] & 0xFF) != 0xD9) {
            return "JPEG frame of " + n + " bytes does not end with EOI (FF D9): it ends " + hex(d, Math.max(0, n - 4), n);
        }
        return null;
    }

    private static String h264(byte[] d, boolean keyFrame) {
        int first = startCodeLength(d, 0);
        if (first == 0) {
            return "H.264 frame is not in Annex B form: it must start with a start code 00 00 01 or 00 00 00 01, "
                    + "it starts " + hex(d, 0, Math.min(d.length, 4)) + " (length-prefixed avcC data must be converted)";
        }
        boolean sps = false;
        boolean pps = false;
        boolean idr = false;
        boolean setsBeforeIdr = false;
        int nals = 0;
        int i = first;
        while (i < d.length) {
            int type = d[i] & 0x1F;
            if ((d[i] & 0x80) != 0) {
                return "H.264 NAL unit " + (nals + 1) + " has its forbidden_zero_bit set: not H.264";
            }
            nals++;
            if (type == NAL_SPS) {
                sps = true;
            } else if (type == NAL_PPS) {
                pps = true;
            } else if (type == NAL_IDR && !idr) {
                idr = true;
                setsBeforeIdr = sps && pps;
            }
            i = nextNal(d, i + 1);
        }
        if (keyFrame && !idr) {
            return "H.264 frame flagged key frame holds no IDR slice (NAL type 5)";
        }
        if (!keyFrame && idr) {
            return "H.264 frame holds an IDR slice (NAL type 5) but is not flagged key frame";
        }
        if (keyFrame && !(sps && pps)) {
            return "H.264 key frame lacks " + (!sps && !pps ? "an SPS (NAL type 7) and a PPS (NAL type 8)"
                    : !sps ? "an SPS (NAL type 7)" : "a PPS (NAL type 8)") + ": every key frame must carry its parameter sets";
        }
        if (keyFrame && !setsBeforeIdr) {
            return "H.264 key frame carries its SPS and PPS after its first IDR slice: they must come before it";
        }
        return null;
    }

    /** Length of the start code at {@code at} (3 or 4), or 0 when there is none. */
    private static int startCodeLength(byte[] d, int at) {
        if (at + 3 <= d.length && d[at] == 0 && d[at + 1] == 0 && d[at + 2] == 1) {
            return 3;
        }
        if (at + 4 <= d.length && d[at] == 0 && d[at + 1] == 0 && d[at + 2] == 0 && d[at + 3] == 1) {
            return 4;
        }
        return 0;
    }

    /**
     * Index of the first byte of the NAL unit after the one that began before {@code from}, or {@code d.length}.
     * Emulation prevention guarantees {@code 00 00 01} occurs only in start codes; the scan steps over bytes that
     * cannot end one.
     */
    private static int nextNal(byte[] d, int from) {
        int i = from + 2;
        while (i < d.length) {
            int b = d[i];
            if (b > 1 || b < 0) {
                i += 3;
            } else if (b == 1 && d[i - 1] == 0 && d[i - 2] == 0) {
                return i + 1;
            } else {
                i++;
            }
        }
        return d.length;
    }

    private static String hex(byte[] d, int from, int to) {
        StringBuilder sb = new StringBuilder();
        for (int i = from; i < to; i++) {
            if (sb.length() > 0) {
                sb.append(' ');
            }
            sb.append(String.format("%02X", d[i] & 0xFF));
        }
        return sb.length() == 0 ? "(nothing)" : sb.toString();
    }
}
