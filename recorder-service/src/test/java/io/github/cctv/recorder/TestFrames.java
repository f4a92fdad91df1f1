package io.github.cctv.recorder;

import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.Java2DFrameConverter;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Test frames whose picture proves their number: a row of 16 black/white blocks holds the counter's bits (white =
 * 1), and the number is drawn as text for a human. {@link #decode} reads the bits back from a real decoder.
 */
public final class TestFrames {

    public static final int WIDTH = 320;
    public static final int HEIGHT = 240;
    private static final int BITS = 16;
    private static final int BLOCK = WIDTH / BITS;

    private TestFrames() {
    }

    public static byte[] jpeg(int counter) {
        BufferedImage img = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.GRAY);
        g.fillRect(0, 0, WIDTH, HEIGHT);
        for (int bit = 0; bit < BITS; bit++) {
            g.setColor(((counter >> bit) & 1) == 1 ? Color.WHITE : Color.BLACK);
            g.fillRect(bit * BLOCK, 0, BLOCK, 40);
        }
        g.setColor(Color.YELLOW);
        g.setFont(new Font(Font.MONOSPACED, Font.BOLD, 48));
        g.drawString("#" + counter, 20, 150);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(img, "jpg", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** The counter drawn into a decoded picture. */
    public static int counterOf(BufferedImage img) {
        int value = 0;
        for (int bit = 0; bit < BITS; bit++) {
            int rgb = img.getRGB(bit * BLOCK + BLOCK / 2, 20);
            int luma = ((rgb >> 16 & 0xff) + (rgb >> 8 & 0xff) + (rgb & 0xff)) / 3;
            if (luma > 128) {
                value |= 1 << bit;
            }
        }
        return value;
    }

    /** A decoded frame: its timestamp in the file (µs) and the counter read from its picture. */
    public record Decoded(long timestampUs, int counter) {
    }

    /** Decodes every frame of a video file with FFmpeg. */
    public static List<Decoded> decode(Path file) throws IOException {
        List<Decoded> out = new ArrayList<>();
        try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(file.toFile());
             Java2DFrameConverter conv = new Java2DFrameConverter()) {
            g.start();
            Frame f;
            while ((f = g.grabImage()) != null) {
                out.add(new Decoded(f.timestamp, counterOf(conv.convert(f))));
            }
            g.stop();
        }
        return out;
    }

    public static List<Integer> counters(List<Decoded> frames) {
        return frames.stream().map(Decoded::counter).toList();
    }
}
