package io.github.cctv.dashboard.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SecretFilesTest {

    @TempDir
    Path dir;

    @Test
    void aMissingFileIsCreatedOwnerOnlyAndReadTheSameNextTime() throws Exception {
        Path file = dir.resolve("secrets/session-secret");
        String first = SecretFiles.readOrCreate(file, 32);
        assertThat(first).hasSize(43).matches("[A-Za-z0-9_-]+");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(SecretFiles.readOrCreate(file, 32)).isEqualTo(first);
        try (var files = Files.list(file.getParent())) {
            assertThat(files).containsExactly(file); // no temporary file left
        }
    }

    @Test
    void anExistingFileIsReadWithoutItsLineEndAndAnEmptyOneIsAnError() throws Exception {
        Path file = dir.resolve("dashboard-password");
        Files.writeString(file, "correct horse\n");
        assertThat(SecretFiles.readOrCreate(file, 18)).isEqualTo("correct horse");
        Files.writeString(file, "\n");
        assertThatThrownBy(() -> SecretFiles.readOrCreate(file, 18)).hasMessageContaining("is empty");
    }
}
