package io.github.cctv.protocol.event;

/** Request on {@code cctv.control.<cameraId>.recording}: {@code action} is {@code start}, {@code stop} or {@code status}. */
public record RecordingCommand(String action, String by) {

    public static final String START = "start";
    public static final String STOP = "stop";
    public static final String STATUS = "status";
}
