package io.github.cctv.recorder;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.junit.jupiter.api.Assumptions;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.bytedeco.ffmpeg.global.avcodec.AV_PKT_FLAG_KEY;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;

/**
 * Reads a video file back with real decoders: the system's {@code ffprobe} (a different FFmpeg build than the
 * recorder's) and JavaCV's demuxer for the packets themselves.
 */
public final class MediaProbe {

    private static final ObjectMapper JSON = new ObjectMapper();

    private MediaProbe() {
    }

    /** A stored packet: its presentation time in µs from the file's zero, its key flag, its bytes and duration (µs). */
    record Packet(long ptsUs, boolean key, byte[] data, long durationUs) {
    }

    /** Every video packet of the file, in file order, without decoding. */
    static List<Packet> packets(Path file) throws IOException {
        List<Packet> out = new ArrayList<>();
        try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(file.toFile())) {
            g.start();
            int video = g.getVideoStream();
            AVRational tb = g.getFormatContext().streams(video).time_base();
            AVPacket p;
            while ((p = g.grabPacket()) != null) {
                if (p.stream_index() == video) {
                    byte[] data = new byte[p.size()];
                    p.data().position(0).get(data);
                    out.add(new Packet(p.pts() * 1_000_000L * tb.num() / tb.den(), (p.flags() & AV_PKT_FLAG_KEY) != 0, data,
                            p.duration() * 1_000_000L * tb.num() / tb.den()));
                }
                av_packet_unref(p);
            }
            g.stop();
        }
        return out;
    }

    /** The NAL units of an MP4 sample (each behind a four-byte big-endian length), as byte arrays. */
    static List<byte[]> nalsOfSample(byte[] sample) {
        List<byte[]> out = new ArrayList<>();
        int i = 0;
        while (i + 4 <= sample.length) {
            int n = ((sample[i] & 0xff) << 24) | ((sample[i + 1] & 0xff) << 16) | ((sample[i + 2] & 0xff) << 8) | (sample[i + 3] & 0xff);
            out.add(Arrays.copyOfRange(sample, i + 4, i + 4 + n));
            i += 4 + n;
        }
        return out;
    }

    /** The NAL units of an Annex B access unit, as byte arrays. */
    static List<byte[]> nalsOfAnnexB(byte[] au) {
        return io.github.cctv.recorder.media.AnnexB.nalUnits(au).stream()
                .map(n -> Arrays.copyOfRange(au, n.offset(), n.offset() + n.length())).toList();
    }

    /** What ffprobe says of the file's first video stream, after decoding every frame. */
    record Probe(String codec, String format, double durationSeconds, int decodedFrames, int width, int height) {
    }

    static Probe ffprobe(Path file) throws Exception {
        JsonNode j = JSON.readTree(run(false, "ffprobe", "-v", "error", "-count_frames", "-select_streams", "v:0",
                "-show_entries", "stream=codec_name,nb_read_frames,width,height:format=format_name,duration",
                "-of", "json", file.toString()));
        JsonNode s = j.path("streams").path(0);
        return new Probe(s.path("codec_name").asText(), j.path("format").path("format_name").asText(),
                j.path("format").path("duration").asDouble(-1), s.path("nb_read_frames").asInt(-1),
                s.path("width").asInt(), s.path("height").asInt());
    }

    /** The errors ffprobe reports while decoding every frame (empty for a clean file). */
    static String decodeErrors(Path file) throws Exception {
        return run(true, "ffprobe", "-v", "error", "-count_frames", "-select_streams", "v:0", "-show_entries",
                "stream=nb_read_frames", "-of", "csv=p=0", file.toString());
    }

    /**
     * Skips the calling test, loudly, unless {@code check} (a command) runs and succeeds here; fails it instead when
     * CCTV_REQUIRE_TOOLS=1 (CI). {@code missing} says what is skipped and how to install what is missing.
     */
    public static void requireTool(String missing, String... check) {
        boolean usable;
        try {
            Process p = new ProcessBuilder(check).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            usable = p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (Exception e) {
            usable = false;
        }
        if (!usable) {
            String msg = missing + " (set CCTV_REQUIRE_TOOLS=1 to make this a failure)";
            if ("1".equals(System.getenv("CCTV_REQUIRE_TOOLS"))) {
                throw new AssertionError(msg);
            }
            System.err.println("\n*** " + msg + " ***\n");
            Assumptions.abort(msg);
        }
    }

    /** Runs a command; returns its standard output, or its error output when {@code errors}. */
    private static String run(boolean errors, String... cmd) throws Exception {
        requireTool("ffprobe is not installed: SKIPPING this recording check (apt-get install ffmpeg)",
                "ffprobe", "-version");
        Path err = Files.createTempFile("cctv-ffprobe-", ".err");
        Process p = new ProcessBuilder(cmd).redirectError(err.toFile()).start();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (InputStream in = p.getInputStream()) {
            in.transferTo(out);
        }
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("timed out: " + String.join(" ", cmd));
        }
        String errText = Files.readString(err);
        Files.delete(err);
        if (p.exitValue() != 0) {
            throw new AssertionError(String.join(" ", cmd) + " failed: " + errText);
        }
        return errors ? errText : out.toString();
    }
}
