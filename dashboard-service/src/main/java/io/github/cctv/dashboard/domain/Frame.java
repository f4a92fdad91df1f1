package io.github.cctv.dashboard.domain;

/**
 * One camera frame as ingest published it: encoded image bytes and the metadata of its NATS headers.
 * {@code captureUs} is the camera's clock, {@code ingestUs} the server's, both microseconds since the epoch.
 */
public record Frame(String cameraId, long seq, long captureUs, long ingestUs, String codec, int width, int height,
                    byte[] data) {
}
