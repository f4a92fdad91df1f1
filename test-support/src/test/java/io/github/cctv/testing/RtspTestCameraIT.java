package io.github.cctv.testing;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class RtspTestCameraIT {

    @TempDir
    Path tmp;

    @ParameterizedTest(name = "over {0}")
    @ValueSource(strings = {"tcp", "udp"})
    void ffprobeReadsLiveH264FromIt(String transport) throws Exception {
        VideoTools.requireFfmpeg();
        try (RtspTestCamera camera = RtspTestCamera.builder().size(320, 240).fps(30).start(tmp)) {
            Path out = tmp.resolve("ffprobe-" + transport + ".txt");
            Process p = new ProcessBuilder("ffprobe", "-v", "error", "-rtsp_transport", transport, "-select_streams", "v:0",
                    "-read_intervals", "%+2", "-count_packets", "-show_entries", "stream=codec_name,width,height,nb_read_packets",
                    "-of", "default=noprint_wrappers=1", camera.url())
                    .redirectErrorStream(true).redirectOutput(out.toFile()).start();
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            String report = Files.readString(out);
            assertThat(report).contains("codec_name=h264", "width=320", "height=240");
            int packets = Integer.parseInt(report.replaceAll("(?s).*nb_read_packets=(\\d+).*", "$1"));
            assertThat(packets).as("about two seconds at 30 fps").isBetween(40, 80);
            assertThat(camera.framesMade()).isPositive();
        }
    }
}
