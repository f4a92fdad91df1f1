package io.github.cctv.protocol.wire;

/** Video codec of a camera's frames, as carried in the hello. */
public enum Codec {
    JPEG(1, "jpeg"),
    H264(2, "h264");

    private final int code;
    private final String wireName;

    Codec(int code, String wireName) {
        this.code = code;
        this.wireName = wireName;
    }

    public int code() {
        return code;
    }

    /** Lower-case name used in NATS headers, JSON and the command line. */
    public String wireName() {
        return wireName;
    }

    /** The codec with this wire code, or {@code null}. */
    public static Codec ofCode(int code) {
        for (Codec c : values()) {
            if (c.code == code) {
                return c;
            }
        }
        return null;
    }

    /** The codec with this name ({@code jpeg}, {@code h264}, any case), or {@code null}. */
    public static Codec ofName(String name) {
        for (Codec c : values()) {
            if (c.wireName.equalsIgnoreCase(name)) {
                return c;
            }
        }
        return null;
    }
}
