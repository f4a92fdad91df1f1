package io.github.cctv.dashboard.domain.live;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How a viewer watches one camera: a frame-rate cap (0 = full rate; JPEG only) and which stream, the camera's
 * main stream or its smaller substream ({@code cctv.frames.<id>.sub}, for grid tiles).
 */
public record Watch(int maxFps, boolean substream) {

    public static Watch main(int maxFps) {
        return new Watch(maxFps, false);
    }

    /** Every camera of {@code caps} (id to frame-rate cap) on its main stream. */
    public static Map<String, Watch> mainStreams(Map<String, Integer> caps) {
        Map<String, Watch> out = new LinkedHashMap<>();
        caps.forEach((id, fps) -> out.put(id, main(fps)));
        return out;
    }
}
