package io.github.cctv.camera;

import java.time.LocalTime;
import java.time.format.DateTimeFormatter;

/** One-line log messages on stderr, prefixed with the time and the camera id. */
final class Log {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");

    private Log() {
    }

    static void info(String camera, String message) {
        print("INFO ", camera, message);
    }

    static void warn(String camera, String message) {
        print("WARN ", camera, message);
    }

    private static void print(String level, String camera, String message) {
        System.err.println(LocalTime.now().format(TIME) + " " + level + (camera == null ? "" : camera + ": ") + message);
    }
}
