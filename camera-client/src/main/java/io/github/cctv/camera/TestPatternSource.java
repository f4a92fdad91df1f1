package io.github.cctv.camera;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.OptionalLong;
import java.util.SplittableRandom;

/**
 * A synthetic camera: colour bars with a fixed grain, a square that moves with every frame, the camera
 * name, a large frame counter and the wall-clock time, encoded as JPEG. Frame {@code n} also carries
 * {@code n} as a strip of black and white cells along the bottom edge, which {@link #readCounter} reads
 * back from a decoded image, so a test can check frame order and identity at the far end of the system.
 *
 * <p>Not thread-safe (it reuses its canvas and encoder): one instance per thread.
 */
public final class TestPatternSource implements FrameSource {

    /** Cells in the counter strip: white and black references, 32 counter bits, one parity cell. */
    private static final int STRIP_CELLS = 35;
    private static final int COUNTER_BITS = 32;
    /** Narrowest image whose counter strip survives JPEG (3 px per cell). */
    public static final int MIN_READABLE_WIDTH = STRIP_CELLS * 3;

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS");

    private final String label;
    private final int width;
    private final int height;
    private final Clock clock;
    private final ZoneId zone;
    private final JpegEncoder encoder;
    private final BufferedImage background;
    private final BufferedImage canvas;
    private final Font counterFont;
    private final Font textFont;

    /**
     * @param label   camera name burned into every frame
     * @param quality JPEG quality, 0..1
     */
    public TestPatternSource(String label, int width, int height, float quality) {
        this(label, width, height, quality, Clock.systemUTC());
    }

    public TestPatternSource(String label, int width, int height, float quality, Clock clock) {
        if (width < 16 || height < 16) {
            throw new IllegalArgumentException("test pattern needs at least 16x16, got " + width + "x" + height);
        }
        this.label = label == null ? "" : label;
        this.width = width;
        this.height = height;
        this.clock = clock;
        this.zone = ZoneId.systemDefault();
        this.encoder = new JpegEncoder(quality);
        this.background = paintBackground(width, height);
        this.canvas = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
        this.counterFont = new Font(Font.SANS_SERIF, Font.BOLD, Math.max(10, height / 5));
        this.textFont = new Font(Font.MONOSPACED, Font.BOLD, Math.max(8, height / 22));
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    /** Frame {@code frameNumber} stamped with the current time. */
    @Override
    public SourceFrame poll(long frameNumber, long nowMicros) {
        Instant t = Instant.ofEpochSecond(nowMicros / 1_000_000, (nowMicros % 1_000_000) * 1_000);
        return new SourceFrame(jpeg(frameNumber, t), nowMicros);
    }

    /** Frame {@code n} drawn at the clock's current time, as JPEG bytes. */
    public byte[] jpeg(long n) {
        return jpeg(n, clock.instant());
    }

    /** Frame {@code n} with {@code time} burned in, as JPEG bytes. */
    public byte[] jpeg(long n, Instant time) {
        return encoder.encode(render(n, time));
    }

    /** Frame {@code n} with {@code time} burned in. The image is reused by the next call: copy it to keep it. */
    public BufferedImage render(long n, Instant time) {
        byte[] bg = ((DataBufferByte) background.getRaster().getDataBuffer()).getData();
        System.arraycopy(bg, 0, ((DataBufferByte) canvas.getRaster().getDataBuffer()).getData(), 0, bg.length);
        Graphics2D g = canvas.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            int stripHeight = stripHeight();
            int usable = height - stripHeight;

            // a square that crosses the picture every 4 seconds at 30 fps, so motion is visible at a glance
            int box = Math.max(8, usable / 6);
            int travel = Math.max(1, width - box);
            int x = (int) ((n * travel / 120) % (2L * travel));
            if (x > travel) {
                x = 2 * travel - x;
            }
            g.setColor(Color.WHITE);
            g.fillRect(x, usable - box - usable / 12, box, box);
            g.setColor(Color.BLACK);
            g.setStroke(new BasicStroke(Math.max(1, box / 16f)));
            g.drawRect(x, usable - box - usable / 12, box, box);

            String counter = String.format("%06d", n);
            g.setFont(counterFont);
            FontMetrics fm = g.getFontMetrics();
            int cx = (width - fm.stringWidth(counter)) / 2;
            int cy = usable / 2 + fm.getAscent() / 2 - fm.getDescent() / 2;
            outlined(g, counter, cx, cy, Math.max(2, height / 180));

            g.setFont(textFont);
            FontMetrics tm = g.getFontMetrics();
            int margin = Math.max(4, height / 60);
            outlined(g, label, margin, margin + tm.getAscent(), 2);
            outlined(g, TIME.format(time.atZone(zone)), margin, usable - margin - tm.getDescent(), 2);
        } finally {
            g.dispose();
        }
        drawStrip(n);
        return canvas;
    }

    private static void outlined(Graphics2D g, String text, int x, int y, int outline) {
        // a dark outline keeps white text legible on every bar colour
        g.setColor(Color.BLACK);
        g.drawString(text, x - outline, y - outline);
        g.drawString(text, x + outline, y - outline);
        g.drawString(text, x - outline, y + outline);
        g.drawString(text, x + outline, y + outline);
        g.setColor(Color.WHITE);
        g.drawString(text, x, y);
    }

    private int stripHeight() {
        return Math.max(8, height / 24);
    }

    private void drawStrip(long n) {
        int cell = width / STRIP_CELLS;
        int top = height - stripHeight();
        byte[] px = ((DataBufferByte) canvas.getRaster().getDataBuffer()).getData();
        int parity = Long.bitCount(n & 0xFFFF_FFFFL) & 1;
        for (int c = 0; c < STRIP_CELLS; c++) {
            boolean white;
            if (c == 0) {
                white = true;
            } else if (c == 1) {
                white = false;
            } else if (c < 2 + COUNTER_BITS) {
                white = ((n >>> (COUNTER_BITS - 1 - (c - 2))) & 1) == 1;
            } else {
                white = parity == 1;
            }
            byte v = (byte) (white ? 255 : 0);
            int x0 = c * cell;
            int x1 = c == STRIP_CELLS - 1 ? width : x0 + cell;
            for (int y = top; y < height; y++) {
                java.util.Arrays.fill(px, (y * width + x0) * 3, (y * width + x1) * 3, v);
            }
        }
    }

    /**
     * The frame counter (low 32 bits) burned into an image made by this class, after any JPEG round trip
     * that keeps the size; empty when the strip is not there or does not check out.
     */
    public static OptionalLong readCounter(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        int cell = w / STRIP_CELLS;
        if (cell < 1) {
            return OptionalLong.empty();
        }
        int stripHeight = Math.max(8, h / 24);
        int y0 = h - stripHeight + stripHeight / 4;
        int y1 = h - stripHeight / 4;
        double[] levels = new double[STRIP_CELLS];
        for (int c = 0; c < STRIP_CELLS; c++) {
            int x0 = c * cell + cell / 4;
            int x1 = Math.max(x0 + 1, c * cell + cell - cell / 4);
            double sum = 0;
            int count = 0;
            for (int y = y0; y < y1; y++) {
                for (int x = x0; x < x1; x++) {
                    int rgb = image.getRGB(x, y);
                    sum += ((rgb >> 16) & 0xFF) + ((rgb >> 8) & 0xFF) + (rgb & 0xFF);
                    count++;
                }
            }
            levels[c] = sum / Math.max(1, count) / 3;
        }
        if (levels[0] - levels[1] < 100) {
            return OptionalLong.empty(); // no white/black reference: not our strip
        }
        double threshold = (levels[0] + levels[1]) / 2;
        long n = 0;
        for (int b = 0; b < COUNTER_BITS; b++) {
            n = (n << 1) | (levels[2 + b] > threshold ? 1 : 0);
        }
        int parity = levels[STRIP_CELLS - 1] > threshold ? 1 : 0;
        if ((Long.bitCount(n) & 1) != parity) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(n);
    }

    /** {@link #readCounter(BufferedImage)} of a JPEG; empty when the bytes are not an image. */
    public static OptionalLong readCounter(byte[] jpeg) {
        try {
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(jpeg));
            return image == null ? OptionalLong.empty() : readCounter(image);
        } catch (IOException e) {
            return OptionalLong.empty();
        }
    }

    /**
     * Vertical colour bars with a fixed grain: flat synthetic images compress to a few KB, real camera
     * pictures do not, and a load test should move realistic byte counts.
     */
    private static BufferedImage paintBackground(int width, int height) {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
        Color[] bars = {new Color(192, 192, 192), new Color(192, 192, 0), new Color(0, 192, 192), new Color(0, 192, 0),
                new Color(192, 0, 192), new Color(192, 0, 0), new Color(0, 0, 192), new Color(40, 40, 40)};
        byte[] px = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
        SplittableRandom random = new SplittableRandom(42);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                Color c = bars[Math.min(bars.length - 1, x * bars.length / width)];
                // grain: uniform noise, +-GRAIN levels
                int noise = random.nextInt(2 * GRAIN + 1) - GRAIN;
                int i = (y * width + x) * 3;
                px[i] = clamp(c.getBlue() + noise);
                px[i + 1] = clamp(c.getGreen() + noise);
                px[i + 2] = clamp(c.getRed() + noise);
            }
        }
        return img;
    }

    private static final int GRAIN = 10;

    private static byte clamp(int v) {
        return (byte) Math.max(0, Math.min(255, v));
    }

    @Override
    public void close() {
        encoder.close();
    }
}
