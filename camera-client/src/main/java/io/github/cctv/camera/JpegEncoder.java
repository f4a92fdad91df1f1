package io.github.cctv.camera;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;

/** JPEG encoding with ImageIO at a fixed quality. Not thread-safe: one encoder per thread. */
final class JpegEncoder implements AutoCloseable {

    private final ImageWriter writer;
    private final ImageWriteParam param;
    private final float quality;

    JpegEncoder(float quality) {
        this.quality = checkQuality(quality);
        Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("jpeg");
        if (!writers.hasNext()) {
            throw new IllegalStateException("this Java runtime has no JPEG writer");
        }
        writer = writers.next();
        param = writer.getDefaultWriteParam();
        param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        param.setCompressionQuality(quality);
    }

    float quality() {
        return quality;
    }

    /** Encodes {@code image}, which must be of a type without alpha (e.g. {@code TYPE_3BYTE_BGR}). */
    byte[] encode(BufferedImage image) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(Math.max(16 * 1024, image.getWidth() * image.getHeight() / 8));
        try (ImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            writer.setOutput(out);
            writer.write(null, new IIOImage(image, null, null), param);
        } catch (IOException e) {
            throw new UncheckedIOException("JPEG encoding failed", e);
        } finally {
            writer.setOutput(null);
        }
        return bytes.toByteArray();
    }

    /**
     * Quality as given on the command line: 0..1 as ImageIO takes it, or 1..100 as most tools write it
     * (exactly 1 means best quality either way).
     */
    static float normalizeQuality(double q) {
        if (Double.isNaN(q) || q < 0 || q > 100) {
            throw new IllegalArgumentException("JPEG quality " + q + " must be in 0..1 or 1..100");
        }
        return (float) (q <= 1 ? q : q / 100.0);
    }

    private static float checkQuality(float q) {
        if (!(q >= 0 && q <= 1)) {
            throw new IllegalArgumentException("JPEG quality " + q + " must be in 0..1");
        }
        return q;
    }

    @Override
    public void close() {
        writer.dispose();
    }
}
