package io.github.cctv.recorder.endpoint;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class Mp4DownloadTest {

    @Test
    void namesTheFileAfterTheRecordingAndThePartExported() {
        assertThat(Mp4Download.fileName("cam1_2026-11-25_12-00-00", null, null)).isEqualTo("cam1_2026-11-25_12-00-00.mp4");
        assertThat(Mp4Download.fileName("cam1_2026-11-25_12-00-00", 0.4, 1.4)).isEqualTo("cam1_2026-11-25_12-00-00_0-1.mp4");
        assertThat(Mp4Download.fileName("cam1_2026-11-25_12-00-00", 30.0, null)).isEqualTo("cam1_2026-11-25_12-00-00_30-end.mp4");
        assertThat(Mp4Download.fileName("cam1_2026-11-25_12-00-00", null, 10.0)).isEqualTo("cam1_2026-11-25_12-00-00_0-10.mp4");
    }
}
