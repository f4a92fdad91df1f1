package io.github.cctv.recorder.domain.store;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A recording id is the base name of its file, {@code <cameraId>_<yyyy-MM-dd_HH-mm-ss>[-n]}. It names a file,
 * so it is checked against a strict pattern before it is used to build any path.
 */
public record RecordingId(String value, String cameraId, LocalDateTime start, int suffix) {

    static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd");
    static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd_HH-mm-ss");

    private static final Pattern PATTERN = Pattern.compile(
            "([A-Za-z0-9_-]{1,64})_(\\d{4}-\\d{2}-\\d{2}_\\d{2}-\\d{2}-\\d{2})(?:-([1-9]\\d{0,3}))?");

    /** Parses and checks an id; throws {@link InvalidRecordingIdException} saying what is wrong. */
    public static RecordingId parse(String value) {
        if (value == null || value.isEmpty()) {
            throw new InvalidRecordingIdException("recording id is empty");
        }
        if (value.length() > 100) {
            throw new InvalidRecordingIdException("recording id is too long");
        }
        Matcher m = PATTERN.matcher(value);
        if (!m.matches()) {
            throw new InvalidRecordingIdException("recording id must look like <cameraId>_<yyyy-MM-dd_HH-mm-ss>[-n]");
        }
        try {
            LocalDateTime start = LocalDateTime.parse(m.group(2), STAMP);
            int suffix = m.group(3) == null ? 0 : Integer.parseInt(m.group(3));
            return new RecordingId(value, m.group(1), start, suffix);
        } catch (DateTimeParseException e) {
            throw new InvalidRecordingIdException("recording id has an impossible date or time");
        }
    }

    public static boolean isValid(String value) {
        try {
            parse(value);
            return true;
        } catch (InvalidRecordingIdException e) {
            return false;
        }
    }

    /** The id of a segment of {@code cameraId} starting at {@code start} (local time of the configured zone). */
    public static RecordingId of(String cameraId, LocalDateTime start, int suffix) {
        String v = cameraId + "_" + STAMP.format(start) + (suffix > 0 ? "-" + suffix : "");
        return parse(v);
    }

    /** The day folder of this recording. */
    public LocalDate day() {
        return start.toLocalDate();
    }

    @Override
    public String toString() {
        return value;
    }

    /** An id that does not match the pattern. */
    public static final class InvalidRecordingIdException extends IllegalArgumentException {
        public InvalidRecordingIdException(String message) {
            super(message);
        }
    }
}
