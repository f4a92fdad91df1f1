package io.github.cctv.protocol;

/**
 * What the system knows about one frame besides its bytes: written by ingest into the headers of each
 * {@code cctv.frames.<cameraId>} message ({@link FrameHeaders#write}), read back by the recorder and the dashboard
 * ({@link FrameHeaders#read}).
 *
 * <p>To add a field (a substream name, say): add the component, teach {@link FrameHeaders} its header and its
 * default for messages that lack it, and keep the previous constructor as a secondary one that passes that
 * default. The services read and write the record as a whole, so none of their parsing code changes.
 *
 * @param seq       the camera's frame sequence number, unsigned 64-bit (compare with {@link Long#compareUnsigned})
 * @param captureUs capture time, microseconds since the Unix epoch, camera clock
 * @param ingestUs  time ingest received the frame, microseconds since the Unix epoch, server clock
 * @param codec     codec name as in the camera's hello: {@code jpeg} or {@code h264}
 * @param width     frame width in pixels, from the camera's hello (0 = unknown)
 * @param height    frame height in pixels, from the camera's hello (0 = unknown)
 * @param keyFrame  true for a frame a decoder can start from (every JPEG frame is one)
 */
public record FrameMetadata(long seq, long captureUs, long ingestUs, String codec, int width, int height,
                            boolean keyFrame) {
}
