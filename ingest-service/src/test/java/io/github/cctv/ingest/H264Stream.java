package io.github.cctv.ingest;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * H.264 made by a real encoder (the system's ffmpeg with libx264): an Annex B stream with an access unit delimiter
 * before each picture and the parameter sets before every IDR, cut into access units as a camera sends them.
 */
final class H264Stream {

    /** One access unit and whether it holds an IDR slice. */
    record AccessUnit(byte[] data, boolean key) {
    }

    private H264Stream() {
    }

    /** {@code frames} pictures of 160x120, an IDR every {@code gop}; skips (fails in CI) without ffmpeg. */
    static List<AccessUnit> encode(int frames, int gop) throws IOException, InterruptedException {
        return encode(frames, gop, "160x120");
    }

    /** The same at {@code size} ({@code WxH}). */
    static List<AccessUnit> encode(int frames, int gop, String size) throws IOException, InterruptedException {
        Path out = Files.createTempFile("cctv-test-", ".h264");
        try {
            Process p;
            try {
                p = new ProcessBuilder("ffmpeg", "-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi",
                        "-i", "testsrc=size=" + size + ":rate=10", "-frames:v", String.valueOf(frames), "-c:v", "libx264",
                        "-bf", "0", "-g", String.valueOf(gop), "-x264-params", "repeat-headers=1",
                        "-bsf:v", "h264_metadata=aud=insert", "-f", "h264", out.toString())
                        .redirectErrorStream(true).start();
            } catch (IOException e) {
                String msg = "ffmpeg is missing: H.264 test skipped (apt-get install ffmpeg; set CCTV_REQUIRE_TOOLS=1 to make this a failure)";
                if ("1".equals(System.getenv("CCTV_REQUIRE_TOOLS"))) {
                    throw new AssertionError(msg, e);
                }
                System.err.println("SKIPPED: " + msg);
                Assumptions.abort(msg);
                return List.of();
            }
            String log = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("ffmpeg failed: " + log);
            }
            return split(Files.readAllBytes(out));
        } finally {
            Files.deleteIfExists(out);
        }
    }

    /** Cuts an Annex B stream before each access unit delimiter (NAL type 9). */
    static List<AccessUnit> split(byte[] s) {
        List<Integer> starts = new ArrayList<>();
        for (int i = 0; i + 4 < s.length; i++) {
            if (s[i] == 0 && s[i + 1] == 0 && s[i + 2] == 0 && s[i + 3] == 1 && (s[i + 4] & 0x1F) == 9) {
                starts.add(i);
            }
        }
        List<AccessUnit> units = new ArrayList<>();
        for (int k = 0; k < starts.size(); k++) {
            int from = starts.get(k);
            int to = k + 1 < starts.size() ? starts.get(k + 1) : s.length;
            byte[] au = java.util.Arrays.copyOfRange(s, from, to);
            units.add(new AccessUnit(au, hasIdr(au)));
        }
        return units;
    }

    private static boolean hasIdr(byte[] au) {
        for (int i = 0; i + 3 < au.length; i++) {
            if (au[i] == 0 && au[i + 1] == 0 && au[i + 2] == 1 && (au[i + 3] & 0x1F) == 5) {
                return true;
            }
        }
        return false;
    }

    /** {@code au} without its NAL units of type {@code type} (their start codes included). */
    static byte[] without(byte[] au, int type) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        List<Integer> nals = new ArrayList<>();
        for (int i = 0; i + 3 < au.length; i++) {
            if (au[i] == 0 && au[i + 1] == 0 && au[i + 2] == 1) {
                nals.add(i > 0 && au[i - 1] == 0 ? i - 1 : i);
                i += 2;
            }
        }
        for (int k = 0; k < nals.size(); k++) {
            int from = nals.get(k);
            int to = k + 1 < nals.size() ? nals.get(k + 1) : au.length;
            int header = au[from + 2] == 1 ? from + 3 : from + 4;
            if ((au[header] & 0x1F) != type) {
                out.write(au, from, to - from);
            }
        }
        return out.toByteArray();
    }
}
