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

    private TestFrames() {
    }

    public static byte[] jpeg(int counter) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(picture(counter, WIDTH, HEIGHT), "jpg", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** The test picture of {@code counter} at any size: the blocks span the width, a sixth of the height high. */
    public static BufferedImage picture(int counter, int width, int height) {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.GRAY);
        g.fillRect(0, 0, width, height);
        int block = width / BITS;
        for (int bit = 0; bit < BITS; bit++) {
            g.setColor(((counter >> bit) & 1) == 1 ? Color.WHITE : Color.BLACK);
            g.fillRect(bit * block, 0, block, height / 6);
        }
        g.setColor(Color.YELLOW);
        g.setFont(new Font(Font.MONOSPACED, Font.BOLD, height / 5));
        g.drawString("#" + counter, width / 16, height * 5 / 8);
        g.dispose();
        return img;
    }

    /** The counter drawn into a decoded picture. */
    public static int counterOf(BufferedImage img) {
        int value = 0;
        int block = img.getWidth() / BITS;
        for (int bit = 0; bit < BITS; bit++) {
            int rgb = img.getRGB(bit * block + block / 2, img.getHeight() / 12);
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
