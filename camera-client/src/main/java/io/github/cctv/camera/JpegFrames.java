package io.github.cctv.camera;

import java.util.Arrays;

/** What the protocol takes as a JPEG frame: SOI ({@code FF D8}) first, EOI ({@code FF D9}) last. */
final class JpegFrames {

    /** Most bytes after the EOI accepted as padding (some cameras pad their parts with CR/LF or zeros). */
    static final int MAX_PADDING = 64;

    private JpegFrames() {
    }

    /**
     * {@code data} itself when it is a whole JPEG; a copy without trailing padding (zeros, CR, LF) after
     * the EOI; or null when it is no whole JPEG (no SOI, cut short before its EOI).
     */
    static byte[] whole(byte[] data) {
        int n = data.length;
        if (n < 4 || (data[0] & 0xFF) != 0xFF || (data[1] & 0xFF) != 0xD8) {
            return null;
        }
        if ((data[n - 2] & 0xFF) == 0xFF && (data[n - 1] & 0xFF) == 0xD9) {
            return data;
        }
        int end = n;
        while (end > 2 && n - end < MAX_PADDING && isPadding(data[end - 1])) {
            end--;
        }
        if (end < n && end >= 4 && (data[end - 2] & 0xFF) == 0xFF && (data[end - 1] & 0xFF) == 0xD9) {
            return Arrays.copyOf(data, end);
        }
        return null;
    }

    /**
     * True unless the JPEG's header, before its first scan, has no DHT segment: USB webcams' MJPEG leaves
     * out the standard Huffman tables, which strict decoders do not assume. A header that
     * cannot be walked counts as having them (the bytes are left alone).
     */
    static boolean hasHuffmanTables(byte[] jpeg) {
        int i = 2;
        while (i + 4 <= jpeg.length) {
            if ((jpeg[i] & 0xFF) != 0xFF) {
                return true;
            }
            int marker = jpeg[i + 1] & 0xFF;
            if (marker == 0xC4) {
                return true;
            }
            if (marker == 0xDA) {
                return false;
            }
            if (marker == 0xFF) {
                i++; // fill byte
                continue;
            }
            if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD8)) {
                i += 2;
                continue;
            }
            i += 2 + (((jpeg[i + 2] & 0xFF) << 8) | (jpeg[i + 3] & 0xFF));
        }
        return true;
    }

    private static boolean isPadding(byte b) {
        return b == 0 || b == '\r' || b == '\n';
    }
}
