package io.github.cctv.testing;

import java.util.StringJoiner;

/**
 * The machine-readable frame counter that camera-client's {@code TestPatternSource} burns into its
 * pictures and reads back, drawn by third-party cameras in tests: along the bottom edge, a strip
 * {@code max(8, height / 24)} pixels high of 35 cells {@code width / 35} pixels wide (the last one runs to
 * the edge): white, black, the 32 bits of the frame number from the most significant (white = 1), and a
 * parity cell (white when the number of one bits is odd). It survives lossy compression, so a test can
 * read the frame number back from any decoded picture and prove that no frame went missing.
 */
public final class CounterStrip {

    public static final int CELLS = 35;
    public static final int BITS = 32;

    private CounterStrip() {
    }

    public static int height(int pictureHeight) {
        return Math.max(8, pictureHeight / 24);
    }

    /**
     * An ffmpeg {@code -filter_complex} graph from input {@code [0:v]} to output {@code [camera]}: the input
     * picture with the strip of frame number {@code N + 1} (1 for the first frame) over its bottom rows,
     * computed by the {@code geq} filter on the strip alone.
     */
    public static String ffmpegFilter(int width, int height) {
        int strip = height(height);
        int cell = width / CELLS;
        String n = "(N+1)";
        String c = "min(trunc(X/" + cell + ")," + (CELLS - 1) + ")";
        StringJoiner parity = new StringJoiner("+");
        for (int k = 0; k < BITS; k++) {
            parity.add("bitand(" + n + "," + (1L << k) + ")/" + (1L << k));
        }
        String bit = "bitand(" + n + ",pow(2," + (BITS + 1) + "-" + c + "))";
        String lum = "if(eq(" + c + ",0),235,if(eq(" + c + ",1),16,if(lt(" + c + "," + (CELLS - 1) + "),if(" + bit
                + ",235,16),if(mod(" + parity + ",2),235,16))))";
        return "[0:v]format=yuv420p,split[picture][bottom];"
                + "[bottom]crop=iw:" + strip + ":0:ih-" + strip + ",geq=lum='" + lum + "':cb=128:cr=128[strip];"
                + "[picture][strip]overlay=0:H-" + strip + ",format=yuv420p[camera]";
    }
}
