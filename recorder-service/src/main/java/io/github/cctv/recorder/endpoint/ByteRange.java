package io.github.cctv.recorder.endpoint;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One byte range of a file, from an HTTP {@code Range} header (RFC 9110 §14.1.2): {@code bytes=first-last},
 * {@code bytes=first-} or the suffix {@code bytes=-count}. Only a single range is served.
 *
 * @param start first byte, inclusive
 * @param end   last byte, inclusive
 */
record ByteRange(long start, long end) {

    private static final Pattern RANGE = Pattern.compile("bytes=(\\d*)-(\\d*)");

    /** A Range header that cannot be served for this file: answered 416 with the file's size. */
    static final class UnsatisfiableException extends Exception {
        UnsatisfiableException(String header) {
            super("range not satisfiable: " + header);
        }
    }

    /**
     * The range {@code header} asks for in a file of {@code size} bytes; empty for no header (the whole file). A last
     * byte beyond the end is cut to the end, as RFC 9110 asks.
     *
     * @throws UnsatisfiableException when the header is malformed, names several ranges, or starts past the end
     */
    static Optional<ByteRange> parse(String header, long size) throws UnsatisfiableException {
        if (header == null || header.isBlank()) {
            return Optional.empty();
        }
        Matcher m = RANGE.matcher(header.trim());
        if (!m.matches() || (m.group(1).isEmpty() && m.group(2).isEmpty())) {
            throw new UnsatisfiableException(header);
        }
        long start;
        long end;
        try {
            if (m.group(1).isEmpty()) {
                long suffix = Long.parseLong(m.group(2));
                start = Math.max(0, size - suffix);
                end = size - 1;
            } else {
                start = Long.parseLong(m.group(1));
                end = m.group(2).isEmpty() ? size - 1 : Math.min(Long.parseLong(m.group(2)), size - 1);
            }
        } catch (NumberFormatException e) {
            throw new UnsatisfiableException(header);
        }
        if (start >= size || end < start) {
            throw new UnsatisfiableException(header);
        }
        return Optional.of(new ByteRange(start, end));
    }

    long length() {
        return end - start + 1;
    }

    /** The {@code Content-Range} value of this range of a file of {@code size} bytes. */
    String contentRange(long size) {
        return "bytes " + start + "-" + end + "/" + size;
    }
}
