package io.github.cctv.ingest.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CameraSecretTest {

    @TempDir
    Path dir;

    @Test
    void readsTheSecretFromItsFileWithoutTheLineEnd() throws Exception {
        Path f = Files.writeString(dir.resolve("camera-secret"), "  kV3mQ9xT2pL7wR4nB8yC1dF6  \n");
        assertThat(CameraSecret.read(Optional.of(f.toString()), Optional.empty())).contains("kV3mQ9xT2pL7wR4nB8yC1dF6");
        assertThat(CameraSecret.read(Optional.empty(), Optional.of("kV3mQ9xT2pL7wR4nB8yC1dF6"))).contains("kV3mQ9xT2pL7wR4nB8yC1dF6");
        assertThat(CameraSecret.read(Optional.empty(), Optional.empty())).isEmpty();
    }

    @Test
    void refusesAMissingFileAShortSecretAndBothWaysAtOnceWithoutEchoingTheSecret() throws Exception {
        assertThatThrownBy(() -> CameraSecret.read(Optional.of(dir.resolve("nope").toString()), Optional.empty()))
                .hasMessageContaining("cannot read").hasMessageContaining("nope");
        Path shortOne = Files.writeString(dir.resolve("short"), "abc123\n");
        assertThatThrownBy(() -> CameraSecret.read(Optional.of(shortOne.toString()), Optional.empty()))
                .hasMessageContaining("at least 16").hasMessageNotContaining("abc123");
        assertThatThrownBy(() -> CameraSecret.read(Optional.of(shortOne.toString()), Optional.of("x".repeat(20))))
                .hasMessageContaining("not both");
    }
}
