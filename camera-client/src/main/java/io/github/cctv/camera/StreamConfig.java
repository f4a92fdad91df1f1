package io.github.cctv.camera;

import io.github.cctv.protocol.CameraId;
import io.github.cctv.protocol.wire.Wire;

import java.time.Duration;
import java.util.Objects;

/** Settings of one camera stream, checked once so that the streaming thread never meets a bad value. */
record StreamConfig(String host, int port, String cameraId, String displayName, String token,
                    int width, int height, double fps, long frameLimit,
                    Duration initialBackoff, Duration maxBackoff, Duration connectTimeout,
                    Duration handshakeTimeout, TlsSettings tls) {

    /** A plain TCP stream. */
    StreamConfig(String host, int port, String cameraId, String displayName, String token,
                 int width, int height, double fps, long frameLimit,
                 Duration initialBackoff, Duration maxBackoff, Duration connectTimeout, Duration handshakeTimeout) {
        this(host, port, cameraId, displayName, token, width, height, fps, frameLimit, initialBackoff, maxBackoff,
                connectTimeout, handshakeTimeout, TlsSettings.OFF);
    }

    StreamConfig {
        tls = tls == null ? TlsSettings.OFF : tls;
        Objects.requireNonNull(host, "host");
        if (host.isBlank()) {
            throw new IllegalArgumentException("server host is empty");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("server port " + port + " outside 1..65535");
        }
        CameraId.requireValid(cameraId);
        displayName = displayName == null || displayName.isEmpty() ? cameraId : displayName;
        token = token == null ? "" : token;
        if (width < 1 || width > Wire.MAX_DIMENSION || height < 1 || height > Wire.MAX_DIMENSION) {
            throw new IllegalArgumentException("frame size " + width + "x" + height + " outside 1.." + Wire.MAX_DIMENSION);
        }
        if (!(fps >= 0.001 && fps <= 1000)) {
            throw new IllegalArgumentException("fps " + fps + " outside 0.001..1000");
        }
        if (frameLimit < 0) {
            throw new IllegalArgumentException("frame limit " + frameLimit + " is negative (0 means no limit)");
        }
    }

    int fpsMilli() {
        return (int) Math.round(fps * 1000);
    }

    long framePeriodNanos() {
        return (long) (1_000_000_000L / fps);
    }
}
