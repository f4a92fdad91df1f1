package io.github.cctv.recorder.media;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Reads the box structure of an MP4 file (ISO/IEC 14496-12) and patches the movie's duration in place. */
public final class Mp4Boxes {

    private Mp4Boxes() {
    }

    /** One box: its four-character type, where it starts and its whole size (header included). */
    public record Box(String type, long offset, long size, int headerSize) {
        public long end() {
            return offset + size;
        }
    }

    /** The boxes lying one after another in [{@code from}, {@code to}) of the file; a cut-off last box is left out. */
    public static List<Box> children(FileChannel ch, long from, long to) throws IOException {
        List<Box> out = new ArrayList<>();
        long pos = from;
        ByteBuffer head = ByteBuffer.allocate(16);
        while (pos + 8 <= to) {
            head.clear().limit(8);
            readFully(ch, head, pos);
            long size = Integer.toUnsignedLong(head.getInt(0));
            String type = new String(head.array(), 4, 4, StandardCharsets.ISO_8859_1);
            int header = 8;
            if (size == 1) {
                head.clear().limit(8);
                readFully(ch, head, pos + 8);
                size = head.getLong(0);
                header = 16;
            } else if (size == 0) {
                size = to - pos;
            }
            if (size < header || pos + size > to) {
                break;
            }
            out.add(new Box(type, pos, size, header));
            pos += size;
        }
        return out;
    }

    /** The top-level boxes of the file. */
    public static List<Box> topLevel(FileChannel ch) throws IOException {
        return children(ch, 0, ch.size());
    }

    /** The first child of {@code parent} of type {@code type}, or {@code null}. */
    public static Box child(FileChannel ch, Box parent, String type) throws IOException {
        for (Box b : children(ch, parent.offset() + parent.headerSize(), parent.end())) {
            if (b.type().equals(type)) {
                return b;
            }
        }
        return null;
    }

    /**
     * Writes {@code durationUs} into the movie header ({@code moov/mvhd}) of a fragmented file, whose muxer left it
     * at 0 because the samples were still to come. Players that read only the header then know the length without
     * walking every fragment. The field is overwritten in place, so the file is valid before, during and after.
     * Returns false when the file has no movie header or the duration does not fit its field.
     */
    public static boolean writeMovieDuration(FileChannel ch, long durationUs) throws IOException {
        Box moov = null;
        for (Box b : topLevel(ch)) {
            if (b.type().equals("moov")) {
                moov = b;
                break;
            }
        }
        Box mvhd = moov == null ? null : child(ch, moov, "mvhd");
        if (mvhd == null) {
            return false;
        }
        ByteBuffer b = ByteBuffer.allocate(36);
        readFully(ch, b, mvhd.offset() + mvhd.headerSize());
        int version = b.get(0) & 0xff;
        // version 0: creation, modification (4 bytes each), time scale, duration (4); version 1: 8, 8, 4, 8
        long timescale = Integer.toUnsignedLong(b.getInt(version == 1 ? 20 : 12));
        long duration = durationUs * timescale / 1_000_000;
        long at = mvhd.offset() + mvhd.headerSize() + (version == 1 ? 24 : 16);
        ByteBuffer field;
        if (version == 1) {
            field = ByteBuffer.allocate(8).putLong(0, duration);
        } else if (duration <= 0xffff_ffffL) {
            field = ByteBuffer.allocate(4).putInt(0, (int) duration);
        } else {
            return false;
        }
        while (field.hasRemaining()) {
            ch.write(field, at + field.position());
        }
        return true;
    }

    private static void readFully(FileChannel ch, ByteBuffer b, long pos) throws IOException {
        while (b.hasRemaining()) {
            if (ch.read(b, pos + b.position()) < 0) {
                throw new EOFException("the file ends inside a box header at " + pos);
            }
        }
    }
}
